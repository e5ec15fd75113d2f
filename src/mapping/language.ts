import { ISO_639_1_CODES, WITHDRAWN_ISO_639_1_CODES } from './iso-639-1.js';
import { TransformRejected } from './transform-rejected.js';

/**
 * The `language` transform: a locale (`en`, `en-GB`, `fr_BE`, `EN`, `de_DE.UTF-8`) becomes its
 * ISO 639-1 language, lower case unless `case` is `upper` (Actito's own convention is `FR`).
 * Three-letter ISO 639-2/3 languages have no two-letter form and are refused, as is anything
 * that is not a known ISO 639-1 code.
 */
export function toLanguage(value: unknown, letterCase: 'lower' | 'upper' = 'lower'): string {
  if (typeof value !== 'string') throw new TransformRejected('is not a plausible language code');

  // BCP 47 uses `-`, POSIX locales `_`, and may carry `.charset` or `@modifier` suffixes.
  const primary = (value.trim().split(/[-_.@]/)[0] ?? '').toLowerCase();
  const language = WITHDRAWN_ISO_639_1_CODES[primary] ?? primary;

  if (!ISO_639_1_CODES.has(language)) {
    throw new TransformRejected('is not a plausible language code');
  }

  return letterCase === 'upper' ? language.toUpperCase() : language;
}
