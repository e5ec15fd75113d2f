import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from './index.js';
import { DEMO_PROFILE_PATH, bearer, call, fetchToken, type CallOptions } from './test-support.js';

const PATH = `${DEMO_PROFILE_PATH}?allowUpdate=true`;
const EMAIL = 'jane@example.com';

/** Each documented cause of a 400, with a body that triggers it and the message expected. */
const INVALID: Array<{ cause: string; body: CallOptions; message: RegExp }> = [
  { cause: 'the body is not JSON', body: { text: 'email=jane' }, message: /not valid JSON/ },
  { cause: 'the body is an array', body: { json: [{ email: EMAIL }] }, message: /JSON object/ },
  { cause: 'the body is a string', body: { json: 'jane' }, message: /JSON object/ },
  {
    cause: 'an attribute is unknown',
    body: { json: { email: EMAIL, foo: 1 } },
    message: /^unknown attribute "foo" in table Profiles$/,
  },
  {
    cause: 'profileId is sent',
    body: { json: { email: EMAIL, profileId: 1 } },
    message: /technical attribute "profileId"/,
  },
  {
    cause: 'creationMoment is sent',
    body: { json: { email: EMAIL, creationMoment: '2025-01-01 00:00:00' } },
    message: /technical attribute "creationMoment"/,
  },
  {
    cause: 'updateMoment is sent',
    body: { json: { email: EMAIL, updateMoment: '2025-01-01 00:00:00' } },
    message: /technical attribute "updateMoment"/,
  },
  {
    cause: 'the unique key is missing',
    body: { json: { firstName: 'Jane' } },
    message: /missing unique key: send "email"/,
  },
  {
    cause: 'the mandatory e-mail is null on creation',
    body: { json: { email: null, firstName: 'Jane' } },
    message: /missing unique key/,
  },
  ...[
    'jane',
    'a@b@example.com',
    'jane..doe@example.com',
    'jané@example.com',
    'jane@example.c',
    'jane@example',
    'jane@example.123',
    ' jane@example.com',
  ].map((email) => ({
    cause: `the e-mail "${email}" is malformed`,
    body: { json: { email } },
    message: /attribute "email" is not a valid e-mail address/,
  })),
  ...['true', 1].map((value) => ({
    cause: `the BOOLEAN attribute is ${JSON.stringify(value)}`,
    body: { json: { email: EMAIL, marketingConsent: value } },
    message: /attribute "marketingConsent" must be a JSON boolean/,
  })),
  ...['0470123456', '+12345', '+1234567890123456', '+32 470 12 34 56', 3247012345].map((phone) => ({
    cause: `the phone ${JSON.stringify(phone)} is not international`,
    body: { json: { email: EMAIL, phone } },
    message: /attribute "phone" must be (an international phone number|a string)/,
  })),
  ...['fra', 'f', 'f1', 'en-GB'].map((language) => ({
    cause: `the language "${language}" is not ISO 639-1`,
    body: { json: { email: EMAIL, language } },
    message: /attribute "language" must be a two-letter ISO 639-1 language code/,
  })),
  {
    cause: 'a string is over 255 characters',
    body: { json: { email: EMAIL, lastName: 'x'.repeat(256) } },
    message: /attribute "lastName" is longer than 255 characters/,
  },
  {
    cause: 'a string attribute is given a number',
    body: { json: { email: EMAIL, firstName: 42 } },
    message: /attribute "firstName" must be a string/,
  },
  {
    cause: 'a native attribute item has no value',
    body: { json: { attributes: [{ name: 'email' }] } },
    message: /"name": string, "value"/,
  },
  {
    cause: 'a native body has an unknown section',
    body: { json: { attributes: [{ name: 'email', value: EMAIL }], extra: {} } },
    message: /unknown section "extra"/,
  },
  {
    cause: 'a native body has malformed subscriptions',
    body: {
      json: { attributes: [{ name: 'email', value: EMAIL }], subscriptions: [{ name: 'x' }] },
    },
    message: /"subscriptions" must be/,
  },
];

describe('sandbox profile validation', () => {
  let sandbox: Sandbox;
  let token: string;

  before(async () => {
    sandbox = await startSandbox({ port: 0, config: undefined });
    token = await fetchToken(sandbox);
  });

  after(async () => {
    await sandbox.close();
  });

  for (const { cause, body, message } of INVALID) {
    it(`answers 400 when ${cause}`, async () => {
      const reply = await call(sandbox.url, 'POST', PATH, { ...body, headers: bearer(token) });

      assert.equal(reply.status, 400);
      const error = reply.body as { status: number; message: string; source: string };
      assert.equal(error.status, 400);
      assert.equal(error.source, 'actito-sandbox');
      assert.match(error.message, message);
    });
  }

  it('stores nothing for a rejected write', async () => {
    sandbox.reset();
    token = await fetchToken(sandbox);

    const reply = await call(sandbox.url, 'POST', PATH, {
      headers: bearer(token),
      json: { email: EMAIL, phone: '12' },
    });

    assert.equal(reply.status, 400);
    assert.deepEqual(sandbox.profiles('demo', 'Profiles'), []);
  });

  it('accepts values at the edge of each rule', async () => {
    const json = {
      email: "o'brien+tag@mail.example.co.uk",
      firstName: 'x'.repeat(255),
      phone: '+123456',
      language: 'fr',
      marketingConsent: false,
    };

    const reply = await call(sandbox.url, 'POST', PATH, { headers: bearer(token), json });
    const longPhone = await call(sandbox.url, 'POST', PATH, {
      headers: bearer(token),
      json: { email: json.email, phone: '+123456789012345' },
    });

    assert.ok([200, 201].includes(reply.status), `status ${reply.status}`);
    assert.equal(longPhone.status, 200);
  });

  it('clears an optional attribute sent as null on update', async () => {
    await call(sandbox.url, 'POST', PATH, {
      headers: bearer(token),
      json: { email: 'keep@example.com' },
    });

    const reply = await call(sandbox.url, 'POST', PATH, {
      headers: bearer(token),
      json: {
        attributes: [
          { name: 'email', value: 'keep@example.com' },
          { name: 'firstName', value: null },
        ],
      },
    });
    const cleared = sandbox.profile('demo', 'Profiles', 'keep@example.com');

    assert.equal(reply.status, 200);
    assert.deepEqual(cleared, { email: 'keep@example.com' });
  });
});
