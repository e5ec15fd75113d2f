/**
 * The origins a pipeline accepts browser events from, as typed in a textarea: one per line (or
 * separated by spaces), `*` for any site. The API normalises and checks them again; checking
 * here names the bad line before a round trip.
 */

export interface ParsedOrigins {
  origins: string[];
  /** What to tell the user about the first entry that is not an origin. */
  problem?: string;
}

export function parseOrigins(text: string): ParsedOrigins {
  const origins = text
    .split(/\s+/)
    .map((origin) => origin.trim())
    .filter(Boolean);
  const bad = origins.find(
    (origin) => origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin.replace(/\/$/, '')),
  );

  return bad
    ? {
        origins,
        problem: `${bad} is not an origin: write scheme and host, such as https://www.example.com.`,
      }
    : { origins };
}

export const ORIGINS_HELP =
  'One per line, e.g. https://www.example.com. * accepts any site (not advised in production).';
