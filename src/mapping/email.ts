import { TransformRejected } from './transform-rejected.js';

// Characters RFC 5322 allows unquoted in a local part. Quoted local parts and IP-literal domains
// are refused: Actito does not accept them, and nobody signs up with one.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const TOP_LEVEL_DOMAIN = /^[A-Za-z]{2,}$/;

/**
 * True when `text` passes Actito's e-mail syntax: exactly one `@`, a non-empty local part, no
 * consecutive (or leading or trailing) dots, ASCII only, and a domain whose top-level label has at
 * least two letters. Actito also wants a *known* top-level domain; we cannot keep that list
 * current here, so any alphabetic one is accepted and Actito has the last word.
 */
export function isActitoEmail(text: string): boolean {
  const parts = text.split('@');
  if (parts.length !== 2) return false;

  const [local = '', domain = ''] = parts;
  if (!LOCAL_PART.test(local)) return false;

  const labels = domain.split('.');
  const topLevel = labels[labels.length - 1] ?? '';

  return (
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    TOP_LEVEL_DOMAIN.test(topLevel)
  );
}

/** The `email` transform: checks the syntax and returns the address unchanged (case included). */
export function toEmail(value: unknown): string {
  if (typeof value !== 'string' || !isActitoEmail(value)) {
    throw new TransformRejected('is not a valid e-mail address');
  }

  return value;
}
