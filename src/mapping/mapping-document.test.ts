import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isAbsent, mappingDocument, readPath } from './mapping-document.js';
import { planInput } from './test-events.js';

describe('mapping document', () => {
  it('exposes the event fields and the resolved consent', () => {
    const input = planInput(
      { type: 'track', event: 'Order Completed', userId: 'u-1', context: { locale: 'fr-BE' } },
      { marketing: false },
    );

    const document = mappingDocument(input);

    assert.deepEqual(
      [
        readPath(document, 'type'),
        readPath(document, 'event'),
        readPath(document, 'userId'),
        readPath(document, 'context.locale'),
        readPath(document, 'consent.marketing'),
        readPath(document, 'consent.essential'),
        readPath(document, 'messageId'),
      ],
      ['track', 'Order Completed', 'u-1', 'fr-BE', false, true, 'msg-1'],
    );
  });

  it('reads into nested objects and arrays and answers undefined for missing steps', () => {
    const document = mappingDocument(
      planInput({ properties: { items: [{ sku: 'A-1' }], total: 0 } }),
    );

    const values = [
      readPath(document, 'properties.items.0.sku'),
      readPath(document, 'properties.total'),
      readPath(document, 'properties.items.1.sku'),
      readPath(document, 'properties.total.value'),
      readPath(document, 'receivedAt'),
    ];

    assert.deepEqual(values, ['A-1', 0, undefined, undefined, undefined]);
  });

  it('does not follow inherited properties', () => {
    const document = mappingDocument(planInput({ traits: {} }));

    const values = [
      readPath(document, 'traits.constructor'),
      readPath(document, 'traits.__proto__'),
    ];

    assert.deepEqual(values, [undefined, undefined]);
  });

  it('counts undefined, null and blank strings as absent, but not false or 0', () => {
    const values: unknown[] = [undefined, null, '', '  \t', false, 0, 'x', []];

    const absent = values.map(isAbsent);

    assert.deepEqual(absent, [true, true, true, true, false, false, false, false]);
  });
});
