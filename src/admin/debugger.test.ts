/**
 * The Event Debugger feed over a real WebSocket: the seed example from received to Actito's
 * 200, server-side filters (pipeline, integration, type, user, e-mail), history, and refusal
 * without a session.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { request } from 'undici';
import { eventually } from '../../test/support/eventually.js';
import {
  actitoIntegration,
  callApi,
  openFeed,
  startAdminRig,
  type AdminRig,
} from './test-support.js';

const SEED_PAYLOAD =
  '{"email":"jane.doe@example.com","firstName":"Jane","lastName":"Doe",' +
  '"phone":"+447700900123","language":"en","marketingConsent":true}';
const SEED_TRAITS = {
  email: 'Jane.Doe@Example.com ',
  first_name: 'Jane',
  last_name: 'Doe',
  phone: '+44 7700 900123',
};
const CONTEXT = { locale: 'en', consent: { categories: { C0001: true, C0004: true } } };

interface Trace {
  stage: string;
  pipelineId?: string;
}

interface Exchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; body: string };
}

let rig: AdminRig;

beforeEach(async () => {
  rig = await startAdminRig();
  const created = await rig.api('POST', '/integrations', { body: actitoIntegration(rig.sandbox) });
  assert.equal(created.status, 201, created.text);
});

afterEach(() => rig.close());

/** Sends an identify to the gateway with another pipeline's key. */
async function sendWithKey(key: string, body: unknown): Promise<void> {
  const reply = await request(`${rig.url}/v1/i`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  await reply.body.dump();
  assert.equal(reply.statusCode, 200);
}

describe('the debugger feed', () => {
  it('streams the seed example from received to the exact Actito payload and its 200', async () => {
    // The profile exists already, so Actito answers 200 (updated) rather than 201 (created).
    await rig.send('/v1/i', {
      userId: 'user-123',
      traits: { email: 'jane.doe@example.com' },
      context: CONTEXT,
    });
    await eventually(() => rig.sandbox.profile('demo', 'Profiles', 'jane.doe@example.com'), 'jane');
    // The sandbox holds the profile a moment before Signal records the call, and its trace: the
    // feed opens after that, so that it carries the second event's traces only.
    await eventually(async () => {
      const reply = await rig.api('GET', '/integrations/actito/deliveries?limit=1');
      return (reply.body as { data: unknown[] }).data[0];
    }, 'the first delivery recorded');
    const feed = await openFeed(rig.url, { token: rig.adminToken });

    await rig.send('/v1/i', { userId: 'user-123', traits: SEED_TRAITS, context: CONTEXT });
    const delivered = await feed.next((m) => m.stage === 'delivered', 'a delivered trace');

    const stages = feed.messages.map((message) => message.stage);
    assert.deepEqual(stages.slice(0, 3), ['received', 'planned', 'delivered']);
    const received = feed.messages[0]!;
    assert.equal(received.pipelineId, 'web');
    assert.equal((received.detail as { event: { userId: string } }).event.userId, 'user-123');
    assert.equal(delivered.integrationId, 'actito');
    assert.equal(delivered.pipelineId, 'web', 'the delivery is correlated with its pipeline');
    assert.equal(delivered.profileKey, 'jane.doe@example.com');
    const exchanges = (delivered.detail as { exchanges: Exchange[] }).exchanges;
    const write = exchanges.at(-1)!;
    assert.equal(write.request.method, 'POST');
    assert.match(
      write.request.url,
      /\/v4\/entity\/demo\/table\/Profiles\/profile\?allowUpdate=true$/,
    );
    assert.equal(write.request.body, SEED_PAYLOAD);
    assert.equal(
      write.request.headers.Authorization ?? write.request.headers.authorization,
      'Bearer ****',
    );
    assert.equal(write.response?.status, 200);
    feed.close();
  });

  it('applies the filter the client sets, on the server', async () => {
    const feed = await openFeed(rig.url, { token: rig.viewerToken });
    feed.send({ filter: { email: 'jane.doe@example.com' } });
    await feed.next((m) => m.filter !== undefined, 'the filter acknowledgement');

    await rig.send('/v1/i', {
      userId: 'bob',
      traits: { email: 'bob@example.com' },
      context: CONTEXT,
    });
    await rig.send('/v1/i', { userId: 'user-123', traits: SEED_TRAITS, context: CONTEXT });
    await eventually(() => rig.sandbox.profile('demo', 'Profiles', 'bob@example.com'), 'bob');
    await feed.next((m) => m.stage === 'delivered', 'jane delivered');

    const traces = feed.messages.filter((message) => message.stage !== undefined);
    assert.ok(traces.length >= 3);
    for (const trace of traces) {
      const event = (trace.detail as { event?: { userId?: string } }).event;
      assert.ok(
        event?.userId === 'user-123' || trace.profileKey === 'jane.doe@example.com',
        `unexpected trace ${JSON.stringify(trace).slice(0, 200)}`,
      );
    }
    feed.close();
  });

  it('filters by integration and event type', async () => {
    const feed = await openFeed(rig.url, { token: rig.adminToken });
    feed.send({ filter: { integration: 'actito', type: 'Signed Up' } });
    await feed.next((m) => m.filter !== undefined, 'the filter acknowledgement');

    await rig.send('/v1/p', { userId: 'user-123', context: CONTEXT });
    await rig.send('/v1/t', { event: 'Signed Up', userId: 'user-123', context: CONTEXT });
    const received = await feed.next((m) => m.stage === 'received', 'the Signed Up event');

    assert.equal((received.detail as { event: { event: string } }).event.event, 'Signed Up');
    assert.ok(
      feed.messages.every(
        (m) =>
          m.stage === undefined ||
          (m.detail as { event?: { type?: string } }).event?.type !== 'page',
      ),
    );
    feed.close();
  });

  it('filters by pipeline, down to the deliveries of that pipeline’s events', async () => {
    const created = await rig.api('POST', '/pipelines', {
      body: { name: 'App', integrations: ['actito'] },
    });
    const app = created.body as { id: string; key: string };
    const feed = await openFeed(rig.url, { token: rig.viewerToken });
    feed.send({ filter: { pipeline: 'app' } });
    await feed.next((m) => m.filter !== undefined, 'the filter acknowledgement');

    // The website's event is delivered first: the socket is ordered, so any of its traces that
    // slipped through would arrive before the app's delivery.
    await rig.send('/v1/i', {
      userId: 'web',
      traits: { email: 'web@example.com' },
      context: CONTEXT,
    });
    await eventually(async () => {
      const recent = (await rig.api('GET', '/debugger/recent')).body as { data: Trace[] };
      return recent.data.find((t) => t.stage === 'delivered' && t.pipelineId === 'web');
    }, 'the website delivery');
    await sendWithKey(app.key, {
      userId: 'app',
      traits: { email: 'app@example.com' },
      context: CONTEXT,
    });
    const delivered = await feed.next((m) => m.stage === 'delivered', 'the app delivery');
    const recent = (await rig.api('GET', '/debugger/recent?pipeline=app')).body as {
      data: Trace[];
    };

    assert.equal(app.id, 'app');
    assert.equal(delivered.profileKey, 'app@example.com');
    const streamed = feed.messages.filter((m) => m.stage !== undefined) as unknown as Trace[];
    assert.deepEqual([...new Set(streamed.map((t) => t.pipelineId))], ['app']);
    assert.deepEqual([...new Set(recent.data.map((t) => t.pipelineId))], ['app']);
    assert.ok(recent.data.some((t) => t.stage === 'delivered'));
    feed.close();
  });

  it('answers a malformed client message with an error message', async () => {
    const feed = await openFeed(rig.url, { token: rig.adminToken });

    feed.send({ filter: { colour: 'blue' } });
    const error = await feed.next((m) => m.error !== undefined, 'an error');

    assert.match((error.error as { message: string }).message, /filter\.colour/);
    feed.close();
  });

  it('closes with 4401 without a session', async () => {
    const anonymous = await openFeed(rig.url);
    const wrongToken = await openFeed(rig.url, { token: 'nope' });

    assert.equal(await anonymous.closed, 4401);
    assert.equal(await wrongToken.closed, 4401);
  });

  it('accepts the session cookie from a page of its own origin only', async () => {
    const login = await callApi(rig.url, 'POST', '/auth/login', {
      body: { email: 'owner@example.com', password: 'correct horse battery staple' },
    });
    const cookie = (login.body as { access_token: string }).access_token;

    const own = await openFeed(rig.url, { cookie, origin: rig.url });
    const foreign = await openFeed(rig.url, { cookie, origin: 'https://evil.example' });
    await rig.send('/v1/p', { userId: 'user-123', context: CONTEXT });
    await own.next((m) => m.stage === 'received', 'a trace on the own-origin socket');

    assert.equal(await foreign.closed, 4401);
    own.close();
  });
});

describe('recent traces', () => {
  it('returns history, oldest first, with the same filters', async () => {
    await rig.send('/v1/i', { userId: 'user-123', traits: SEED_TRAITS, context: CONTEXT });
    await rig.send('/v1/i', {
      userId: 'bob',
      traits: { email: 'bob@example.com' },
      context: CONTEXT,
    });
    await eventually(() => rig.sandbox.profile('demo', 'Profiles', 'bob@example.com'), 'bob');

    // The sandbox holds a profile a moment before Signal records the call and traces it.
    const stagesOf = (reply: { body: unknown }) =>
      (reply.body as { data: { stage: string }[] }).data.map((trace) => trace.stage);
    const all = await eventually(async () => {
      const reply = await rig.api('GET', '/debugger/recent?limit=100', { token: rig.viewerToken });
      return stagesOf(reply).filter((stage) => stage === 'delivered').length >= 2
        ? reply
        : undefined;
    }, 'both deliveries traced');
    const bob = await rig.api('GET', '/debugger/recent?user=bob');

    const stages = stagesOf(all);
    assert.equal(stages[0], 'received');
    assert.ok(stages.includes('delivered'));
    const bobTraces = (bob.body as { data: { profileKey?: string }[] }).data;
    assert.ok(bobTraces.length >= 2);
    assert.ok(
      bobTraces.every(
        (trace) => trace.profileKey === undefined || trace.profileKey === 'bob@example.com',
      ),
    );
  });
});
