/**
 * Signal as `signal start` runs it: the engine (processor and delivery) on a thread of its own
 * with its own connection to the SQLite files, the gateway and the Management API on the main
 * thread. The seed's events must reach Actito, the debugger must still see every stage, and
 * `/metrics` must sum what both threads counted.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { callApi, login, openFeed } from '../../src/admin/test-support.js';
import { provision } from '../../src/config/provision.js';
import { silentLogger } from '../../src/observability/logger.js';
import { startSignalApp, type ThreadedSignalApp } from '../../src/runtime/signal-app.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { embeddedStore, openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { eventually } from '../support/eventually.js';
import {
  harnessConfig,
  PIPELINE_KEY,
  SEED_PAYLOAD,
  SEED_TRAITS,
  seedContext,
  unthrottledSandbox,
} from '../support/signal-harness.js';

const ADMIN = { email: 'engine-thread@example.com', password: 'a long enough password' };

let sandbox: Sandbox;
let running: Threaded;
let signal: ThreadedSignalApp;
let failures: Error[];

before(async () => {
  sandbox = await startSandbox({ port: 0, config: unthrottledSandbox() });
  process.env.SIGNAL_ADMIN_EMAIL = ADMIN.email;
  process.env.SIGNAL_ADMIN_PASSWORD = ADMIN.password;
  running = await startThreaded('signal-engine-thread-');
  ({ app: signal, failures } = running);
});

after(async () => {
  await running.close();
  await sandbox.close();
});

interface Threaded {
  app: ThreadedSignalApp;
  store: Store;
  /** What the engine thread reported through `onFailure`, oldest first. */
  failures: Error[];
  close(): Promise<void>;
}

/**
 * Signal on a fresh SQLite file in a new temporary folder named from `prefix`, provisioned with
 * the harness's configuration against the sandbox, its engine on a thread of its own.
 */
async function startThreaded(prefix: string): Promise<Threaded> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const location = embeddedStore(dataDir, 'normal');
  const store = await openStore(location);
  await provision(store, harnessConfig(sandbox.url));
  const failures: Error[] = [];
  const app = await startSignalApp({
    store,
    logger: silentLogger(),
    port: 0,
    engineThread: { store: location, logLevel: 'silent', onFailure: (e) => failures.push(e) },
  });

  return {
    app,
    store,
    failures,
    async close() {
      await app.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function send(path: string, body: unknown): Promise<number> {
  const response = await fetch(`${signal.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${PIPELINE_KEY}` },
    body: JSON.stringify(body),
  });
  await response.body?.cancel();
  return response.status;
}

describe('the engine on its own thread', () => {
  it('delivers the seed example and shows each stage in the debugger', async () => {
    const token = await login(signal.url, ADMIN.email, ADMIN.password);
    const feed = await openFeed(signal.url, { token });

    const identify = await send('/v1/i', {
      userId: 'user-123',
      traits: SEED_TRAITS,
      context: seedContext(),
    });
    const track = await send('/v1/t', {
      userId: 'user-123',
      event: 'Signed Up',
      context: seedContext(),
    });
    const delivered = await feed.next((m) => m.stage === 'delivered', 'a delivered trace');
    const recent = await callApi(signal.url, 'GET', '/debugger/recent?limit=50', { token });
    feed.close();

    assert.deepEqual([identify, track], [200, 200]);
    assert.equal(
      JSON.stringify(sandbox.profile('demo', 'Profiles', 'jane.doe@example.com')),
      SEED_PAYLOAD,
    );
    assert.equal(delivered.integrationId, 'actito');
    const stages = (recent.body as { data: { stage: string }[] }).data.map((t) => t.stage);
    assert.ok(stages.includes('received') && stages.includes('planned'), stages.join(', '));
    assert.deepEqual(failures, []);
  });

  it('sums the gateway and engine threads in one metrics page', async () => {
    await send('/v1/p', { userId: 'user-123', name: 'Home', context: seedContext() });

    const text = await eventually(async () => {
      const page = await (await fetch(`${signal.url}/metrics`)).text();
      return /signal_events_planned_total\{integration="actito"\} 3\b/.test(page)
        ? page
        : undefined;
    }, 'the page view planned on the engine thread');

    assert.match(text, /signal_events_received_total\{pipeline="web"\} 3\b/);
    assert.match(text, /signal_deliveries_total\{integration="actito",outcome="delivered"\} \d/);
    assert.match(text, /process_resident_memory_bytes \d/);
    for (const family of ['signal_events_received_total', 'signal_events_planned_total']) {
      const help = text.split('\n').filter((line) => line.startsWith(`# HELP ${family} `));
      assert.equal(help.length, 1, `${family} is written once`);
    }
  });

  it('runs the engine at lower priority than the gateway, so acknowledgements come first', (t) => {
    if (process.platform !== 'linux') return t.skip('thread priorities are read from /proc');

    // Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value.
    const niceness = readdirSync('/proc/self/task').map((tid) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    });

    assert.equal(niceness[0], 0, 'the gateway (main) thread keeps the default priority');
    assert.ok(niceness.includes(10), `one thread runs at nice 10: ${niceness.join(', ')}`);
  });

  it('applies a configuration change made through the API on the engine thread', async () => {
    const token = await login(signal.url, ADMIN.email, ADMIN.password);

    const disabled = await callApi(signal.url, 'POST', '/integrations/actito/disable', { token });
    await send('/v1/t', { userId: 'user-123', event: 'Order Completed', context: seedContext() });
    const drop = await eventually(async () => {
      const reply = await callApi(signal.url, 'GET', '/debugger/recent?type=Order%20Completed', {
        token,
      });
      const traces = (reply.body as { data: { stage: string; detail: { reason?: string } }[] })
        .data;
      return traces.find((trace) => trace.stage === 'dropped');
    }, 'the event dropped by the disabled integration');

    assert.equal(disabled.status, 200, disabled.text);
    assert.match(drop.detail.reason ?? '', /disabled/);
  });
});

describe('when the engine thread dies', () => {
  let doomed: Threaded;

  before(async () => {
    doomed = await startThreaded('signal-engine-death-');
  });

  after(async () => {
    await doomed.close();
  });

  it('tells its owner and stops answering ready, so no event waits on a dead engine', async () => {
    const readyBefore = (await fetch(`${doomed.app.url}/readyz`)).status;

    await doomed.app.engine.kill();
    const failure = await eventually(() => doomed.failures[0], 'the failure reported');
    const readyAfter = await fetch(`${doomed.app.url}/readyz`);
    const alive = await fetch(`${doomed.app.url}/healthz`);

    assert.equal(readyBefore, 200);
    assert.equal(doomed.app.engine.running, false);
    assert.match(failure.message, /exited/);
    assert.equal(readyAfter.status, 503, await readyAfter.text());
    assert.equal(alive.status, 200, 'the process itself still answers until it is restarted');
  });
});
