import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { ERROR_CATALOGUE } from './error-catalogue.js';

const ERRORS_MD = readFileSync(new URL('./ERRORS.md', import.meta.url), 'utf8');
const READMES = ['../../README.md', '../admin/README.md'].map((path) => ({
  path,
  text: readFileSync(new URL(path, import.meta.url), 'utf8'),
}));

/** One table row of ERRORS.md, `| CODE | status | meaning |`, padded as Prettier aligns it. */
const ROW = /^\| +`([A-Z][A-Z0-9_]*)` +\| +(\d{3}) +\| +(.+?) +\|$/gm;

/** A status followed by a code in prose, as in "403 `CSRF_REJECTED`". */
const STATUS_AND_CODE = /\b([1-5]\d\d) `([A-Z][A-Z0-9_]*)`/g;

function documentedRows(): string[][] {
  return [...ERRORS_MD.matchAll(ROW)].map(([, code = '', status = '', meaning = '']) => [
    code,
    status,
    meaning,
  ]);
}

function catalogueRows(): string[][] {
  return Object.entries(ERROR_CATALOGUE).map(([code, entry]) => [
    code,
    String(entry.status),
    entry.description,
  ]);
}

describe('error catalogue', () => {
  it('is documented in src/core/ERRORS.md code for code, with the same status and meaning', () => {
    const expected = catalogueRows();

    const documented = documentedRows();

    const rows = expected.map(
      ([code, status, meaning]) => `| \`${code}\` | ${status} | ${meaning} |`,
    );
    assert.deepEqual(
      documented,
      expected,
      `src/core/ERRORS.md must list, in catalogue order:\n${rows.join('\n')}`,
    );
  });

  it('names in the READMEs only catalogue codes, each with its catalogue status', () => {
    const mentions = READMES.flatMap(({ path, text }) =>
      [...text.matchAll(STATUS_AND_CODE)].map(([, status = '', code = '']) => ({
        path,
        status,
        code,
      })),
    );

    const wrong = mentions.filter(({ status, code }) => {
      const entry = (ERROR_CATALOGUE as Record<string, { status: number } | undefined>)[code];
      return entry === undefined || String(entry.status) !== status;
    });

    assert.ok(mentions.length > 0, 'the READMEs name no status and code pair any more');
    assert.deepEqual(wrong, []);
  });

  it('uses upper snake case codes and error statuses only', () => {
    const entries = Object.entries(ERROR_CATALOGUE);

    const odd = entries.filter(
      ([code, { status }]) => !/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(code) || status < 400,
    );

    assert.deepEqual(odd, []);
  });
});
