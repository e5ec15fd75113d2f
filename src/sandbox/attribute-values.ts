/**
 * Value checks for profile attributes, after the formats in actito-api.md (Actito's
 * file-import documentation). Messages name the attribute but never echo the value: it may be
 * personal data and ends up in logs and debuggers.
 */
import type { AttributeConfig } from './config.js';

/** Longest string Actito accepts in an attribute. */
export const MAX_STRING_LENGTH = 255;

const PHONE = /^\+[0-9]{6,15}$/;
const LANGUAGE = /^[A-Za-z]{2}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const TLD = /^[A-Za-z]{2,}$/;

/** Returns why `value` is not acceptable for `attribute`, or undefined when it is. */
export function checkAttributeValue(
  attribute: AttributeConfig,
  value: unknown,
): string | undefined {
  const name = `attribute "${attribute.name}"`;

  if (attribute.type === 'CUSTOM' && attribute.valueType === 'BOOLEAN') {
    return typeof value === 'boolean' ? undefined : `${name} must be a JSON boolean`;
  }
  if (attribute.type === 'CUSTOM' && attribute.valueType === 'INTEGER') {
    return Number.isSafeInteger(value) ? undefined : `${name} must be an integer`;
  }

  if (typeof value !== 'string') return `${name} must be a string`;
  const maxLength = attribute.valueRestriction?.maxLength ?? MAX_STRING_LENGTH;
  if (value.length > Math.min(maxLength, MAX_STRING_LENGTH)) {
    return `${name} is longer than ${Math.min(maxLength, MAX_STRING_LENGTH)} characters`;
  }

  switch (attribute.type) {
    case 'EMAIL_ADDRESS':
      return isValidEmail(value) ? undefined : `${name} is not a valid e-mail address`;
    case 'PHONE_NUMBER':
      return PHONE.test(value)
        ? undefined
        : `${name} must be an international phone number ("+" then 6 to 15 digits)`;
    case 'MOTHER_LANGUAGE':
      return LANGUAGE.test(value)
        ? undefined
        : `${name} must be a two-letter ISO 639-1 language code`;
    case 'SEX':
      return value === 'M' || value === 'F' ? undefined : `${name} must be "M" or "F"`;
    case 'BIRTHDATE':
      return isValidDate(value, DATE) ? undefined : `${name} must be a date "yyyy-MM-dd"`;
    case 'CUSTOM':
      if (attribute.valueType === 'TIMESTAMP' && !isValidDate(value, TIMESTAMP)) {
        return `${name} must be a date-time "yyyy-MM-dd HH:mm:ss"`;
      }
      return undefined;
    default:
      return undefined;
  }
}

/**
 * Actito's documented e-mail syntax: one `@`, no consecutive dots, no accented (non-ASCII)
 * characters, a top-level domain of at least two letters. Actito also requires a *known* TLD;
 * the sandbox does not keep a list and accepts any alphabetic one.
 */
export function isValidEmail(value: string): boolean {
  const at = value.indexOf('@');
  if (at <= 0 || at !== value.lastIndexOf('@') || value.includes('..')) return false;

  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  if (!EMAIL_LOCAL.test(local) || local.startsWith('.') || local.endsWith('.')) return false;
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return false;

  return TLD.test(labels[labels.length - 1] ?? '');
}

function isValidDate(value: string, pattern: RegExp): boolean {
  const match = pattern.exec(value);
  if (match === null) return false;

  // Reject dates such as 2024-02-30 that match the pattern but do not exist.
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}
