/**
 * A `kill -9` of Signal while it takes events loses no acknowledged event: after a restart on the
 * same data directory every event answered 200 reaches the Actito sandbox.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { eventually } from '../support/eventually.js';
import { PIPELINE_KEY, unthrottledSandbox } from '../support/signal-harness.js';

let sandbox: Sandbox;
let dataDir: string;

before(async () => {
  sandbox = await startSandbox({ port: 0, config: unthrottledSandbox() });
  dataDir = mkdtempSync(join(tmpdir(), 'signal-crash-'));
});

after(async () => {
  await sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function startSignal(port: number): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'start', '--config', join(dataDir, 'config.json')],
    {
      env: {
        ...process.env,
        SIGNAL_PORT: String(port),
        SIGNAL_DATA_DIR: dataDir,
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return child;
}

async function ready(url: string): Promise<void> {
  await eventually(
    async () => {
      try {
        return (await fetch(`${url}/readyz`)).ok ? true : undefined;
      } catch {
        return undefined;
      }
    },
    'Signal to be ready',
    20_000,
  );
}

it('delivers every acknowledged event after a kill -9 under load', async () => {
  const port = 18_000 + Math.floor(Math.random() * 2_000);
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(
    join(dataDir, 'config.json'),
    JSON.stringify({
      pipelines: [
        {
          id: 'web',
          name: 'Web',
          key: PIPELINE_KEY,
          allowed_origins: ['*'],
          integrations: ['actito'],
        },
      ],
      integrations: [
        {
          id: 'actito',
          vendor: 'actito',
          preset: 'default',
          config: {
            entity: 'demo',
            profile_table: 'Profiles',
            api_key: 'sandbox-key',
            api_host: sandbox.url,
          },
          consent_categories: [],
          delivery: { calls_per_minute: null },
        },
      ],
    }),
  );
  sandbox.setFaults({ latencyMs: 20 });

  const first = startSignal(port);
  await ready(url);
  const acknowledged: string[] = [];
  let sending = true;
  const senders = Array.from({ length: 8 }, async (_, worker) => {
    for (let i = 0; sending; i++) {
      const email = `w${worker}-${i}@example.com`;
      try {
        const response = await fetch(`${url}/v1/i`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${PIPELINE_KEY}` },
          body: JSON.stringify({ userId: email, traits: { email } }),
        });
        if (response.status === 200) acknowledged.push(email);
      } catch {
        // The server died under this request: it was never acknowledged.
      }
    }
  });
  await eventually(
    () => (acknowledged.length >= 300 ? true : undefined),
    '300 acknowledged events',
    20_000,
  );
  first.kill('SIGKILL');
  sending = false;
  await Promise.all(senders);

  const second = startSignal(port);
  try {
    await ready(url);
    const missing = await eventually(
      () => {
        const absent = acknowledged.filter((email) => !sandbox.profile('demo', 'Profiles', email));
        return absent.length === 0 ? absent : undefined;
      },
      `all ${acknowledged.length} acknowledged events in the sandbox`,
      60_000,
    );

    assert.deepEqual(missing, []);
  } finally {
    second.kill('SIGTERM');
  }
});
