/**
 * Pipelines through the Management API: create and edit with the configuration file's rules,
 * rotate the key, the install snippet; and the overview chart's per-minute counts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { request } from 'undici';
import { eventually } from '../../test/support/eventually.js';
import { actitoIntegration, PIPELINE_KEY, useAdminRigPerTest } from './test-support.js';

interface PipelineBody {
  id: string;
  key: string;
  name: string;
  enabled: boolean;
  allowed_origins: string[];
  hmac_secret_set: boolean;
}

const rig = useAdminRigPerTest();

async function sendWithKey(key: string): Promise<number> {
  const reply = await request(`${rig.url}/v1/p`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ anonymousId: 'a-1' }),
  });
  await reply.body.dump();
  return reply.statusCode;
}

describe('pipelines', () => {
  it('are created with a generated dk_ key and an id from the name', async () => {
    const reply = await rig.api('POST', '/pipelines', {
      body: { name: 'Web Shop', allowed_origins: ['https://Shop.Example/'] },
    });

    const body = reply.body as PipelineBody;
    assert.equal(reply.status, 201);
    assert.equal(body.id, 'web-shop');
    assert.match(body.key, /^dk_[A-Za-z0-9_-]{32}$/);
    assert.deepEqual(body.allowed_origins, ['https://shop.example']);
    assert.equal(body.hmac_secret_set, false);
    assert.equal(await sendWithKey(body.key), 200);
  });

  it('refuse an origin with a path, naming the field', async () => {
    const reply = await rig.api('PATCH', '/pipelines/web', {
      body: { allowed_origins: ['https://shop.example/checkout'] },
    });

    const error = (reply.body as { error: { code: string; field: string } }).error;
    assert.equal(reply.status, 422);
    assert.equal(error.code, 'VALIDATION_FAILED');
    assert.equal(error.field, 'allowed_origins[0]');
  });

  it('refuse a key in an edit: keys are rotated, not chosen', async () => {
    const reply = await rig.api('PATCH', '/pipelines/web', { body: { key: 'dk_mine_12345678' } });

    assert.equal(reply.status, 422);
  });

  it('rotate their key: the new one works and the old one is refused', async () => {
    const reply = await rig.api('POST', '/pipelines/web/rotate-key');

    const key = (reply.body as PipelineBody).key;
    assert.equal(reply.status, 200);
    assert.notEqual(key, PIPELINE_KEY);
    assert.equal(await sendWithKey(key), 200);
    assert.equal(await sendWithKey(PIPELINE_KEY), 401);
  });

  it('can be disabled and enabled, each change in the audit log', async () => {
    const disabled = await rig.api('POST', '/pipelines/web/disable');
    const enabled = await rig.api('POST', '/pipelines/web/enable');

    const audit = (await rig.api('GET', '/audit')).body as { data: { action: string }[] };
    assert.equal((disabled.body as PipelineBody).enabled, false);
    assert.equal((enabled.body as PipelineBody).enabled, true);
    assert.deepEqual(
      audit.data.slice(0, 2).map((entry) => entry.action),
      ['pipeline.enabled', 'pipeline.disabled'],
    );
  });

  it('give an install snippet with the key and the Signal origin', async () => {
    const reply = await rig.api('GET', '/pipelines/web/snippet');

    const body = reply.body as { html: string; script_url: string };
    assert.equal(body.script_url, `${rig.url}/datafly.js`);
    assert.equal(
      body.html,
      `<script async src="${rig.url}/datafly.js" data-pipeline-key="${PIPELINE_KEY}"></script>`,
    );
  });
});

describe('the audit log', () => {
  it('pages with a cursor', async () => {
    for (const name of ['A', 'B', 'C']) await rig.api('POST', '/pipelines', { body: { name } });

    const first = (await rig.api('GET', '/audit?limit=2')).body as {
      data: { id: number }[];
      next_cursor: string;
      has_more: boolean;
    };
    const second = (await rig.api('GET', `/audit?limit=2&cursor=${first.next_cursor}`)).body as {
      data: { id: number }[];
      has_more: boolean;
    };

    assert.equal(first.has_more, true);
    assert.equal(first.data.length, 2);
    assert.ok(second.data[0]!.id < first.data[1]!.id);
  });
});

describe('the overview chart', () => {
  it('counts per minute what was received, delivered and dropped, per integration', async () => {
    await rig.api('POST', '/integrations', { body: actitoIntegration(rig.sandbox) });
    const consent = { categories: { C0004: true } };

    await rig.send('/v1/i', {
      userId: 'u',
      traits: { email: 'u@example.com' },
      context: { consent },
    });
    await rig.send('/v1/p', { anonymousId: 'nobody', context: { consent } });
    await eventually(() => rig.sandbox.profile('demo', 'Profiles', 'u@example.com'), 'delivery');
    const reply = await eventually(async () => {
      const series = await rig.api('GET', '/stats/timeseries?minutes=5');
      const data = (series.body as { data: { total: { delivered: number } }[] }).data;
      return data.some((minute) => minute.total.delivered > 0) ? series : undefined;
    }, 'a delivered count');

    const body = reply.body as {
      minutes: number;
      data: {
        total: Record<string, number>;
        integrations: Record<string, Record<string, number>>;
      }[];
    };
    const sum = (pick: (minute: (typeof body.data)[number]) => number) =>
      body.data.reduce((total, minute) => total + pick(minute), 0);
    assert.equal(body.minutes, 5);
    assert.equal(body.data.length, 5);
    assert.equal(
      sum((m) => m.total.received!),
      2,
    );
    assert.equal(
      sum((m) => m.integrations.actito?.received ?? 0),
      2,
    );
    assert.equal(
      sum((m) => m.integrations.actito?.delivered ?? 0),
      1,
    );
    assert.equal(
      sum((m) => m.integrations.actito?.dropped ?? 0),
      1,
      'no e-mail: dropped',
    );
  });
});
