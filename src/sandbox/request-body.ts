/**
 * The body of one sandbox request, read at most once and only when first asked for. The API
 * pipeline asks after admitting the request, so a request holds its licence's concurrency slot
 * from the moment its headers arrive, while its body is still uploading, as Actito counts it.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestBody } from './profile-handlers.js';

/** Largest request body read; beyond it the request is answered 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Longest non-JSON body text kept in a recorded request. */
const MAX_RECORDED_TEXT = 10_000;

export interface ReadBody {
  /** The text; `too-large` past the limit (the rest is drained, not kept). */
  raw: string | 'too-large';
  parsed: RequestBody;
}

/** Reads the body the first time it is called; later calls share that read. */
export type LazyBody = () => Promise<ReadBody>;

export function lazyBody(req: IncomingMessage): LazyBody {
  let reading: Promise<ReadBody> | undefined;

  return () => {
    reading ??= readText(req).then((raw) => ({ raw, parsed: parseBody(raw) }));
    return reading;
  };
}

/** The body as a recorded request shows it. */
export function recordedBody({ raw, parsed }: ReadBody): unknown {
  if (raw === 'too-large') return '[body too large]';
  if (parsed.json) return parsed.value ?? null;
  return raw.length > MAX_RECORDED_TEXT ? `${raw.slice(0, MAX_RECORDED_TEXT)}…` : raw;
}

async function readText(req: IncomingMessage): Promise<string | 'too-large'> {
  // Most calls (GET, token exchange) have no body: skip the stream machinery entirely.
  if (
    req.headers['content-length'] === undefined &&
    req.headers['transfer-encoding'] === undefined
  ) {
    return '';
  }

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  return size > MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string | 'too-large'): RequestBody {
  if (raw === 'too-large') return { json: false };
  if (raw === '') return { json: true, value: undefined };

  try {
    return { json: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { json: false };
  }
}
