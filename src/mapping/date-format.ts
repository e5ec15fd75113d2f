import { TransformRejected } from './transform-rejected.js';

/** The output forms of the `date_format` transform. */
export type DateFormat = 'date' | 'datetime' | 'iso' | 'epoch_ms';

/** The formats `date_format` accepts, for the validator. */
export const DATE_FORMATS: readonly DateFormat[] = ['date', 'datetime', 'iso', 'epoch_ms'];

// ISO 8601 calendar date, optionally with a time and an offset. Parsed by hand because
// `Date.parse` also accepts non-ISO text and silently rolls 2024-02-30 over to March.
const DATE = String.raw`(\d{4})-(\d{2})-(\d{2})`;
const TIME = String.raw`(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?`;
const OFFSET = String.raw`(Z|[+-]\d{2}(?::?\d{2})?)`;
const ISO_8601 = new RegExp(`^${DATE}(?:[T ]${TIME}${OFFSET}?)?$`, 'i');

const UNREADABLE = 'is not a date this transform can read (ISO 8601 text or epoch milliseconds)';

/**
 * The `date_format` transform. Input: ISO 8601 text, epoch milliseconds or a `Date`. A date-time
 * written without an offset is read as UTC (the server's zone would make the result depend on
 * where Signal runs). Output: `date` → `yyyy-MM-dd`, `datetime` → `yyyy-MM-dd HH:mm:ss`
 * (Actito's forms), `iso` → `toISOString()`, `epoch_ms` → a number.
 *
 * The rule for `date`: text keeps the calendar date it was written with, even when its offset
 * puts the instant on another UTC day. A date-only attribute (a birth date, a subscription day)
 * names a day where the value was written: `1990-05-01T00:30+02:00` is 1 May, not the 30 April
 * its UTC instant falls on. An epoch or a `Date` carries no written day, so it gets its UTC day.
 * The other formats write an instant, always in UTC.
 */
export function formatDate(value: unknown, format: DateFormat): string | number {
  const { instant, writtenDate } = readDate(value);

  if (format === 'epoch_ms') return instant.getTime();

  if (format === 'iso') return instant.toISOString();

  const [utcDate = '', time = ''] = instant.toISOString().split('T');

  return format === 'date' ? (writtenDate ?? utcDate) : `${utcDate} ${time.slice(0, 8)}`;
}

interface ReadDate {
  instant: Date;
  /** The `yyyy-MM-dd` the text was written with; undefined for epoch and `Date` input. */
  writtenDate: string | undefined;
}

function readDate(value: unknown): ReadDate {
  const read: ReadDate | undefined =
    value instanceof Date
      ? { instant: new Date(value.getTime()), writtenDate: undefined }
      : typeof value === 'number'
        ? { instant: new Date(value), writtenDate: undefined }
        : typeof value === 'string'
          ? parseIso8601(value.trim())
          : undefined;

  // Four-digit years only: the formats above cannot write the others.
  const year = read?.instant.getUTCFullYear() ?? Number.NaN;
  if (read === undefined || !(year >= 0 && year <= 9999)) {
    throw new TransformRejected(UNREADABLE);
  }

  return read;
}

function parseIso8601(text: string): ReadDate | undefined {
  const match = ISO_8601.exec(text);
  if (match === null) return undefined;

  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', offset = 'Z'] =
    match;
  // The regular expression guarantees the digits; the defaults only satisfy the type checker.
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = [year, month, day, hour, minute, second].map(
    Number,
  );
  const milliseconds = Number(fraction.padEnd(3, '0').slice(0, 3));

  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s, milliseconds));
  // `Date.UTC` year 0–99 maps to 1900–1999; set the year explicitly.
  date.setUTCFullYear(y, mo - 1, d);

  // A field out of range (month 13, 30 February, 24:00) makes `Date` roll over: refuse it.
  const rolledOver =
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== mo - 1 ||
    date.getUTCDate() !== d ||
    date.getUTCHours() !== h ||
    date.getUTCMinutes() !== mi ||
    date.getUTCSeconds() !== s;
  if (rolledOver) return undefined;

  const offsetMinutes = parseOffset(offset);
  if (offsetMinutes === undefined) return undefined;

  return {
    instant: new Date(date.getTime() - offsetMinutes * 60_000),
    writtenDate: `${year}-${month}-${day}`,
  };
}

function parseOffset(offset: string): number | undefined {
  if (offset.toUpperCase() === 'Z') return 0;

  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');

  return hours <= 23 && minutes <= 59 ? sign * (hours * 60 + minutes) : undefined;
}
