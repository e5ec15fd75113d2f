import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isActitoEmail, toEmail } from './email.js';
import { TransformRejected } from './transform-rejected.js';

describe('email transform', () => {
  it('accepts ordinary addresses, sub-domains and plus tags', () => {
    const addresses = ['jane.doe@example.com', 'j+news@mail.example.co.uk', "o'neil_1@ex-ample.be"];

    const verdicts = addresses.map(isActitoEmail);

    assert.deepEqual(verdicts, [true, true, true]);
  });

  it('returns the address unchanged, case included', () => {
    const address = 'Jane.Doe@Example.com';

    const result = toEmail(address);

    assert.equal(result, 'Jane.Doe@Example.com');
  });

  it('rejects addresses outside Actito syntax', () => {
    const invalid = [
      'jane.doe',
      'jane@doe@example.com',
      '@example.com',
      'jane..doe@example.com',
      'jane@example..com',
      '.jane@example.com',
      'jane.@example.com',
      'jané@example.com',
      'jane@exämple.com',
      'jane doe@example.com',
      'jane@localhost',
      'jane@example.c',
      'jane@example.123',
      'jane@-example.com',
      ' jane@example.com',
    ];

    const accepted = invalid.filter(isActitoEmail);

    assert.deepEqual(accepted, []);
  });

  it('rejects a value that is not text with a reason that does not quote it', () => {
    const attempt = () => toEmail(42);

    assert.throws(attempt, (error: unknown) => {
      assert.ok(error instanceof TransformRejected);
      assert.equal(error.problem, 'is not a valid e-mail address');
      return true;
    });
  });
});
