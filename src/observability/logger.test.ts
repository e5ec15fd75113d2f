import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { REDACTED_PATHS } from './logger.js';

const SECRETS = {
  apiKey: 'actito-secret-key-42',
  bearer: 'eyJhbGciOiJIUzI1NiJ9.token-value',
  configKey: 'config-secret-key-77',
  accessToken: 'preview-access-token-31',
  password: 'correct-horse-battery-staple',
};

/** A logger configured as `createLogger` configures it, writing into a captured string. */
function capturedLogger(): { log: pino.Logger; output: () => string } {
  let output = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString();
      done();
    },
  });
  const log = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
  return { log, output: () => output };
}

function assertNoSecret(output: string, secrets: string[]): void {
  for (const secret of secrets) {
    assert.ok(!output.includes(secret), `the log leaked ${secret}: ${output}`);
  }
}

describe('logger redaction', () => {
  it('redacts api keys, authorization headers, config keys, access tokens and passwords', () => {
    const { log, output } = capturedLogger();

    log.info(
      {
        api_key: SECRETS.apiKey,
        headers: { authorization: `Bearer ${SECRETS.bearer}`, accept: 'application/json' },
        config: { entity: 'demo', api_key: SECRETS.configKey },
        access_token: SECRETS.accessToken,
        admin: { name: 'root', password: SECRETS.password },
      },
      'delivery failed',
    );

    const line = JSON.parse(output()) as Record<string, unknown>;
    assertNoSecret(output(), Object.values(SECRETS));
    assert.deepEqual(line.headers, { authorization: '[redacted]', accept: 'application/json' });
    assert.deepEqual(line.config, { entity: 'demo', api_key: '[redacted]' });
    assert.deepEqual(line.admin, { name: 'root', password: '[redacted]' });
    assert.equal(line.api_key, '[redacted]');
    assert.equal(line.access_token, '[redacted]');
    assert.equal(line.msg, 'delivery failed');
  });

  it("redacts an outbound request's Authorization header logged as request.headers", () => {
    const { log, output } = capturedLogger();

    log.warn(
      { request: { method: 'POST', headers: { Authorization: `Bearer ${SECRETS.bearer}` } } },
      'vendor call failed',
    );

    assertNoSecret(output(), [SECRETS.bearer]);
  });

  it('redacts the api_key of an integration record logged whole', () => {
    const { log, output } = capturedLogger();

    log.info({ integration: { id: 'actito', config: { api_key: SECRETS.apiKey } } }, 'saved');

    assertNoSecret(output(), [SECRETS.apiKey]);
  });

  it('redacts in a child logger as in its parent', () => {
    const { log, output } = capturedLogger();

    log.child({ integration: 'actito' }).error({ config: { access_token: SECRETS.accessToken } });

    assertNoSecret(output(), [SECRETS.accessToken]);
    assert.match(output(), /"integration":"actito"/);
  });

  it('is what createLogger writes to standard output', () => {
    const loggerModule = fileURLToPath(new URL('./logger.ts', import.meta.url));
    const script = `
      const { createLogger } = await import(${JSON.stringify(loggerModule)});
      createLogger({ level: 'info' }).info(
        { api_key: ${JSON.stringify(SECRETS.apiKey)}, headers: { authorization: 'x' } },
        'hello',
      );`;

    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
      },
    );

    assert.equal(child.status, 0, child.stderr);
    const line = JSON.parse(child.stdout) as Record<string, unknown>;
    assert.equal(line.api_key, '[redacted]');
    assert.deepEqual(line.headers, { authorization: '[redacted]' });
    assert.equal(line.name, 'signal');
    assertNoSecret(child.stdout, [SECRETS.apiKey]);
  });
});
