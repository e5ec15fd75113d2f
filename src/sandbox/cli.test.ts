import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { demoConfig } from './config.js';
import { call } from './test-support.js';

const SIGNAL = fileURLToPath(new URL('../../bin/signal.js', import.meta.url));

interface Run {
  child: ChildProcess;
  output: () => string;
  /** The exit code, once the process has ended and its output is fully read. */
  closed: Promise<number | null>;
}

/** Runs `signal sandbox ...`, collecting its output. */
function runSandbox(args: string[]): Run {
  const child = spawn(process.execPath, [SIGNAL, 'sandbox', ...args], { stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const closed = once(child, 'close').then(([code]) => code as number | null);
  return { child, output: () => output, closed };
}

/** Waits for the start-up banner and returns the URL it prints. */
async function bannerUrl(output: () => string, child: ChildProcess): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const match = /listening on (http:\/\/\S+)/.exec(output());
    if (match?.[1] !== undefined) return match[1];
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no URL in the sandbox output:\n${output()}`);
}

/** Runs the sandbox until its banner is printed, lets `use` call it, then stops it. */
async function withSandbox(args: string[], use: (url: string) => Promise<void>): Promise<string> {
  const { child, output, closed } = runSandbox(['--port', '0', ...args]);
  try {
    await use(await bannerUrl(output, child));
  } finally {
    child.kill('SIGTERM');
  }

  assert.equal(await closed, 0);
  return output();
}

const OWN_KEY = 'acme-key-0123456789';

describe('signal sandbox command', () => {
  it('serves the demo licence on the printed URL and stops cleanly on SIGTERM', async () => {
    const { child, output, closed } = runSandbox(['--port', '0']);
    let token;
    try {
      const url = await bannerUrl(output, child);

      token = await call(url, 'GET', '/auth/token', { headers: { authorization: 'sandbox-key' } });
    } finally {
      // A failed start must not leave a sandbox running after the test.
      child.kill('SIGTERM');
    }
    const code = await closed;

    assert.equal(token.status, 200);
    assert.match(output(), /API key {3}sandbox-key/);
    assert.match(output(), /Entity {4}demo/);
    assert.match(output(), /Table {3}Profiles/);
    assert.match(output(), /\/__sandbox\/faults/);
    assert.equal(code, 0);
  });

  it('exits with 2 and names the problem for a bad configuration file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-cli-'));
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ licences: [{ id: 'x' }] }));

    const { output, closed } = runSandbox(['--port', '0', '--config', file]);
    const code = await closed;

    assert.equal(code, 2);
    assert.match(output(), /invalid sandbox config .*bad\.json/);
    assert.match(output(), /licences\[0\]\.api_keys: must be an array/);
  });

  it('exits with 2 for an unknown flag or a bad value', async () => {
    const unknown = runSandbox(['--verbose']);
    const badPort = runSandbox(['--port', 'eighty']);

    const codes = await Promise.all([unknown.closed, badPort.closed]);

    assert.deepEqual(codes, [2, 2]);
    assert.match(unknown.output(), /unknown option "--verbose"/);
    assert.match(badPort.output(), /--port must be an integer from 0 to 65535, got "eighty"/);
  });

  it('serves a licence declared by --api-key, --entity and --table instead of the demo one', async () => {
    const replies: Record<string, number> = {};

    const output = await withSandbox(
      ['--api-key', OWN_KEY, '--entity', 'acme', '--table', 'Contacts'],
      async (url) => {
        const token = await call(url, 'GET', '/auth/token', {
          headers: { authorization: OWN_KEY },
        });
        const demo = await call(url, 'GET', '/auth/token', {
          headers: { authorization: 'sandbox-key' },
        });
        const accessToken = (token.body as { accessToken: string }).accessToken;
        const write = await call(url, 'POST', '/v4/entity/acme/table/Contacts/profile', {
          headers: { authorization: `Bearer ${accessToken}` },
          json: { email: 'jane@example.com', firstName: 'Jane' },
        });
        Object.assign(replies, { token: token.status, demo: demo.status, write: write.status });
      },
    );

    assert.deepEqual(replies, { token: 200, demo: 401, write: 201 });
    assert.match(output, /Licence "acme"/);
    assert.match(output, /Entity {4}acme\n {4}Table {3}Contacts\n/);
    assert.match(output, /API key {3}\*\*\*\*6789 \(masked\)/);
    assert.equal(output.includes(OWN_KEY), false);
  });

  it('prints the keys of a --config file masked, and only the demo key whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-cli-'));
    const file = join(dir, 'licences.json');
    const config = demoConfig();
    config.licences[0]?.api_keys.push(
      { key: OWN_KEY, rights: [{ entity: 'demo', table: '*', write: true }] },
      { key: 'short', rights: [] },
    );
    await writeFile(file, JSON.stringify(config));

    const output = await withSandbox(['--config', file], async () => undefined);

    const keyLines = output.split('\n').filter((line) => line.includes('API key'));
    assert.deepEqual(keyLines, [
      '  API key   sandbox-key',
      '  API key   ****6789 (masked)',
      '  API key   **** (masked)',
    ]);
  });

  it('exits with 2 for licence flags next to --config, or a licence the flags make invalid', async () => {
    const both = runSandbox(['--config', 'licences.json', '--entity', 'acme']);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'].flatMap((k) => ['--api-key', `key-${k}`]);
    const tooMany = runSandbox(['--port', '0', ...keys]);

    const codes = await Promise.all([both.closed, tooMany.closed]);

    assert.deepEqual(codes, [2, 2]);
    assert.match(
      both.output(),
      /--api-key, --entity and --table declare a licence without --config/,
    );
    assert.match(
      tooMany.output(),
      /invalid sandbox config given by --api-key, --entity and --table/,
    );
    assert.match(tooMany.output(), /licences\[0\]\.api_keys: at most 5 keys per licence/);
    assert.equal(tooMany.output().includes('key-a'), false);
  });
});
