import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { provision } from '../config/provision.js';
import { demoConfig } from '../demo/demo-config.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { SecretBox } from '../store/secret-box.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import { registerHealthRoutes } from './health-routes.js';

interface Harness {
  app: FastifyInstance;
  store: Store;
  metrics: Metrics;
  state: { ready: boolean };
}

async function harness(t: TestContext): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'signal-health-'));
  const store = await openSqliteStore({
    path: join(dir, 'signal.db'),
    secretBox: new SecretBox(randomBytes(32)),
  });
  const metrics = createMetrics();
  const state = { ready: true };
  const app = Fastify();
  registerHealthRoutes(app, { store, metrics, ready: () => state.ready });
  await app.ready();

  t.after(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { app, store, metrics, state };
}

describe('health routes', () => {
  it('answers /healthz with ok', async (t) => {
    const { app } = await harness(t);

    const res = await app.inject({ method: 'GET', url: '/healthz' });

    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  it('answers /readyz with 503 until the process says it is ready, then 200', async (t) => {
    const h = await harness(t);
    h.state.ready = false;

    const starting = await h.app.inject({ method: 'GET', url: '/readyz' });
    h.state.ready = true;
    const ready = await h.app.inject({ method: 'GET', url: '/readyz' });

    assert.equal(starting.statusCode, 503);
    assert.deepEqual(starting.json(), { status: 'not ready' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready' });
  });

  it('answers /readyz with 503 when the store fails', async (t) => {
    const h = await harness(t);
    await h.store.close();

    const res = await h.app.inject({ method: 'GET', url: '/readyz' });

    assert.equal(res.statusCode, 503);
    assert.deepEqual(res.json(), { status: 'not ready' });
  });

  it('serves Prometheus metrics with events received, queue depth and process metrics', async (t) => {
    const h = await harness(t);
    const config = demoConfig({
      allowedOrigins: ['http://127.0.0.1:1'],
      sandboxUrl: 'http://127.0.0.1:2',
    });
    await provision(h.store, config);
    await h.store.commitProcessing({
      cursor: 0,
      seen: [],
      profiles: [],
      mergedProfileIds: [],
      intents: ['ada@example.com', 'bob@example.com'].map((email, i) => ({
        integrationId: 'actito',
        profileKey: email,
        attributes: { email },
        messageId: `m-${i}`,
        unchangedMaxAgeMs: null,
      })),
      drops: [],
      at: new Date().toISOString(),
    });
    h.metrics.eventsReceived.inc({ pipeline: 'demo' }, 3);

    const res = await h.app.inject({ method: 'GET', url: '/metrics' });

    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.match(res.body, /^signal_events_received_total\{pipeline="demo"\} 3$/m);
    assert.match(res.body, /^signal_queue_depth\{integration="actito",state="waiting"\} 2$/m);
    assert.match(res.body, /^signal_queue_depth\{integration="actito",state="in_flight"\} 0$/m);
    assert.match(res.body, /^signal_queue_depth\{integration="actito",state="dead"\} 0$/m);
    assert.match(res.body, /^process_resident_memory_bytes \d+$/m);
  });
});
