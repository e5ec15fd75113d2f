import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
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
});
