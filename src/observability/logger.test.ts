import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { CENSOR, createLogger, SCRUB_DEPTH, type Logger } from './logger.js';

/** Every field name the logs must never show the value of, as code and headers spell them. */
const SECRET_FIELDS = [
  'hmacSecret',
  'hmac_secret',
  'x-signature',
  'X-Signature',
  'password',
  'access_token',
  'accessToken',
  'api_key',
  'apiKey',
  'authorization',
  'Authorization',
  'cookie',
  'set-cookie',
  'Set-Cookie',
  'secret',
  'token',
];

/** Where a secret field sits in the logged object. */
const PLACEMENTS: Record<string, (field: string, secret: string) => Record<string, unknown>> = {
  'at depth 1': (field, secret) => ({ [field]: secret }),
  'at depth 2': (field, secret) => ({ headers: { [field]: secret, accept: 'application/json' } }),
  'at depth 3': (field, secret) => ({ integration: { config: { [field]: secret, entity: 'e' } } }),
  'in an array of objects': (field, secret) => ({
    exchanges: [{ url: 'https://a.example' }, { request: { headers: { [field]: secret } } }],
  }),
};

/** The production logger writing into a list of parsed lines. */
function capturedLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = createLogger({ level: 'trace', destination: { write: (line) => lines.push(line) } });

  return { log, lines };
}

/** A value that cannot occur by chance, so finding it anywhere in a line is a leak. */
function secretFor(field: string, placement: string): string {
  return `leak-${field}-${placement}-9f3c`.replace(/\W/g, '_');
}

describe('log redaction', () => {
  for (const [placement, place] of Object.entries(PLACEMENTS)) {
    it(`never writes the value of a secret field ${placement}`, () => {
      const { log, lines } = capturedLogger();
      const secrets = SECRET_FIELDS.map((field) => secretFor(field, placement));

      SECRET_FIELDS.forEach((field, i) => log.info(place(field, secrets[i]!), 'call failed'));

      assert.equal(lines.length, SECRET_FIELDS.length);
      lines.forEach((line, i) => {
        assert.ok(!line.includes(secrets[i]!), `${SECRET_FIELDS[i]} leaked: ${line}`);
        assert.ok(line.includes(`"${CENSOR}"`), `${SECRET_FIELDS[i]} was not censored: ${line}`);
      });
    });
  }

  it('keeps the other fields and the shape of the line', () => {
    const { log, lines } = capturedLogger();

    log.warn(
      {
        integration: 'actito',
        request: { method: 'POST', headers: { Authorization: 'Bearer t0k3n', accept: 'json' } },
        attempts: [{ status: 503, latencyMs: 12 }],
      },
      'vendor call failed',
    );

    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(line.integration, 'actito');
    assert.deepEqual(line.request, {
      method: 'POST',
      headers: { Authorization: CENSOR, accept: 'json' },
    });
    assert.deepEqual(line.attempts, [{ status: 503, latencyMs: 12 }]);
    assert.equal(line.msg, 'vendor call failed');
  });

  it('leaves the logged object itself untouched', () => {
    const { log } = capturedLogger();
    const record = {
      id: 'actito',
      config: { api_key: 'k-1', entity: 'demo' },
      tags: [{ token: 't' }],
    };
    const before = structuredClone(record);

    log.info({ integration: record }, 'saved');

    assert.deepEqual(record, before);
  });

  it('scrubs the fields and the cause of a logged error but keeps its type, message and stack', () => {
    const { log, lines } = capturedLogger();
    const cause = Object.assign(new Error('socket hang up'), { headers: { cookie: 'sid=c00k13' } });
    const error = Object.assign(new TypeError('vendor refused', { cause }), {
      config: { apiKey: 'k3y-in-error' },
    });

    log.error({ err: error }, 'delivery failed');

    const line = lines[0]!;
    const written = JSON.parse(line) as { err: Record<string, unknown> };
    assert.ok(!line.includes('k3y-in-error') && !line.includes('c00k13'), line);
    assert.equal(written.err.type, 'TypeError');
    assert.equal(written.err.message, 'vendor refused: socket hang up');
    assert.match(String(written.err.stack), /^TypeError: vendor refused/);
    assert.deepEqual(written.err.config, { apiKey: CENSOR });
    assert.equal(error.config.apiKey, 'k3y-in-error');
  });

  it('scrubs the bindings of a child logger', () => {
    const { log, lines } = capturedLogger();

    log.child({ pipeline: { id: 'web', hmacSecret: 'hs-b1nd1ng' } }).info('accepted');

    assert.ok(!lines[0]!.includes('hs-b1nd1ng'), lines[0]);
    assert.match(lines[0]!, /"pipeline":\{"id":"web","hmacSecret":"\[redacted\]"\}/);
  });

  it(`looks ${SCRUB_DEPTH} levels deep and survives a cyclic object`, () => {
    const { log, lines } = capturedLogger();
    const deepest: Record<string, unknown> = { password: 'd33p' };
    let nested = deepest;
    for (let depth = SCRUB_DEPTH; depth > 1; depth--) nested = { level: nested };
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;

    log.info(nested, 'deep');
    log.info({ cyclic }, 'cyclic');

    assert.ok(!lines[0]!.includes('d33p'), lines[0]);
    assert.equal(lines.length, 2);
  });

  it('is what createLogger writes to standard output', () => {
    const loggerModule = fileURLToPath(new URL('./logger.ts', import.meta.url));
    const script = `
      const { createLogger } = await import(${JSON.stringify(loggerModule)});
      createLogger({ level: 'info' }).info(
        { api_key: 'stdout-s3cr3t', headers: { authorization: 'x' } },
        'hello',
      );`;

    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { encoding: 'utf8' },
    );

    assert.equal(child.status, 0, child.stderr);
    const line = JSON.parse(child.stdout) as Record<string, unknown>;
    assert.equal(line.api_key, CENSOR);
    assert.deepEqual(line.headers, { authorization: CENSOR });
    assert.equal(line.name, 'signal');
    assert.ok(!child.stdout.includes('stdout-s3cr3t'));
  });
});
