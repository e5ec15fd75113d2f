import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js';

import { TransformRejected } from './transform-rejected.js';

const NATIONAL_NUMBER = /^[\d\s().\/-]*\d[\d\s().\/-]*$/;

/** True when libphonenumber-js knows `region` (an upper-case ISO 3166-1 alpha-2 code). */
export function isPhoneRegion(region: string): region is CountryCode {
  return isSupportedCountry(region);
}

/**
 * The `e164` transform: an international number (`+32 470 12 34 56`), or a national one read in
 * `defaultRegion` (`0470 12 34 56` with `BE`), becomes `+32470123456`.
 *
 * A number is kept when it is *possible* for its country (right length), not only when
 * libphonenumber calls it *valid*: valid means "in a range assigned today", which rejects test and
 * fiction ranges such as +44 7700 900xxx and lags behind new allocations. The vendor, not us, is
 * the judge of whether a possible number is reachable.
 */
export function toE164(value: unknown, defaultRegion?: string): string {
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new TransformRejected('is not a possible phone number');
  }

  const text = String(value).trim();
  const region =
    defaultRegion !== undefined && isPhoneRegion(defaultRegion) ? defaultRegion : undefined;
  const parsed = parsePhoneNumberFromString(
    text,
    region === undefined ? undefined : { defaultCountry: region },
  );

  // Only text shaped like a national number earns the more helpful message; `abc` is no number.
  if (parsed === undefined && region === undefined && NATIONAL_NUMBER.test(text)) {
    throw new TransformRejected('has no country code and the e164 transform has no defaultRegion');
  }

  if (parsed === undefined || !parsed.isPossible()) {
    throw new TransformRejected('is not a possible phone number');
  }

  return parsed.number;
}
