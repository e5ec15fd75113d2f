import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { formatDate } from './date-format.js';
import { TransformRejected } from './transform-rejected.js';

describe('date_format transform', () => {
  it('writes the instant formats in UTC and the date as written, from a date-time with an offset', () => {
    const input = '2024-03-05T23:30:15.250-02:00';

    const written = (['date', 'datetime', 'iso', 'epoch_ms'] as const).map((format) =>
      formatDate(input, format),
    );

    assert.deepEqual(written, [
      '2024-03-05',
      '2024-03-06 01:30:15',
      '2024-03-06T01:30:15.250Z',
      Date.UTC(2024, 2, 6, 1, 30, 15, 250),
    ]);
  });

  it('keeps the written calendar date when the offset puts the UTC instant on another day', () => {
    const inputs = [
      '1990-05-01T00:30+02:00',
      '1990-04-30T23:30-02:00',
      '1990-05-01T23:59:59+14:00',
    ];

    const written = inputs.map((input) => formatDate(input, 'date'));

    assert.deepEqual(written, ['1990-05-01', '1990-04-30', '1990-05-01']);
  });

  it('still writes the UTC instant for datetime when the written date is kept for date', () => {
    const input = '1990-05-01T00:30+02:00';

    const written = [formatDate(input, 'date'), formatDate(input, 'datetime')];

    assert.deepEqual(written, ['1990-05-01', '1990-04-30 22:30:00']);
  });

  it('gives epoch milliseconds and Date objects their UTC calendar date', () => {
    const lateEvening = Date.UTC(1990, 3, 30, 22, 30);

    const written = [formatDate(lateEvening, 'date'), formatDate(new Date(lateEvening), 'date')];

    assert.deepEqual(written, ['1990-04-30', '1990-04-30']);
  });

  it('reads a date alone as midnight UTC', () => {
    const input = '2024-03-05';

    const written = formatDate(input, 'datetime');

    assert.equal(written, '2024-03-05 00:00:00');
  });

  it('reads a date-time without an offset as UTC, whatever the server zone', () => {
    const input = '2024-03-05 08:09';

    const written = formatDate(input, 'iso');

    assert.equal(written, '2024-03-05T08:09:00.000Z');
  });

  it('reads epoch milliseconds and Date objects', () => {
    const epoch = Date.UTC(1999, 11, 31, 23, 59, 59);

    const written = [formatDate(epoch, 'datetime'), formatDate(new Date(epoch), 'date')];

    assert.deepEqual(written, ['1999-12-31 23:59:59', '1999-12-31']);
  });

  it('keeps years below 100 as written', () => {
    const input = '0042-01-02';

    const written = formatDate(input, 'date');

    assert.equal(written, '0042-01-02');
  });

  it('rejects impossible dates instead of rolling them over', () => {
    const inputs: unknown[] = [
      '2024-02-30',
      '2023-02-29',
      '2024-13-01',
      '2024-01-01T24:00:00Z',
      '2024-01-01T10:60Z',
      '2024-01-01T10:00+25:00',
    ];

    const rejected = inputs.filter((input) => isRejected(() => formatDate(input, 'date')));

    assert.deepEqual(rejected, inputs);
  });

  it('rejects text that is not ISO 8601 and values that are not dates', () => {
    const inputs: unknown[] = [
      'March 5, 2024',
      '05/03/2024',
      '1709600000000',
      Number.NaN,
      new Date('nonsense'),
      8.64e15 + 1,
      true,
      {},
    ];

    const rejected = inputs.filter((input) => isRejected(() => formatDate(input, 'iso')));

    assert.deepEqual(rejected, inputs);
  });
});

function isRejected(attempt: () => unknown): boolean {
  try {
    attempt();
    return false;
  } catch (error) {
    return error instanceof TransformRejected;
  }
}
