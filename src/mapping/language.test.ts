import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { toLanguage } from './language.js';
import { TransformRejected } from './transform-rejected.js';

describe('language transform', () => {
  it('reduces locales in BCP 47, POSIX and upper-case forms to the lower-case language', () => {
    const locales = ['en', 'en-GB', 'fr_BE', 'EN', 'nl-Latn-BE', 'de_DE.UTF-8', ' pt-BR '];

    const languages = locales.map((locale) => toLanguage(locale));

    assert.deepEqual(languages, ['en', 'en', 'fr', 'en', 'nl', 'de', 'pt']);
  });

  it('writes upper case when asked', () => {
    const locale = 'fr-BE';

    const language = toLanguage(locale, 'upper');

    assert.equal(language, 'FR');
  });

  it('replaces withdrawn codes that old platforms still send', () => {
    const locales = ['iw-IL', 'in_ID', 'ji'];

    const languages = locales.map((locale) => toLanguage(locale));

    assert.deepEqual(languages, ['he', 'id', 'yi']);
  });

  it('rejects what is not a plausible ISO 639-1 language', () => {
    const inputs: unknown[] = ['zz', 'xx-XX', 'eng', 'fil-PH', 'C', 'english', '-en', 42, null];

    const rejected = inputs.filter((input) => {
      try {
        toLanguage(input);
        return false;
      } catch (error) {
        return error instanceof TransformRejected;
      }
    });

    assert.deepEqual(rejected, inputs);
  });
});
