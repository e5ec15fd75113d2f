import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { TRANSPARENT_GIF } from './pixel.js';
import { PIPELINE_KEY, SHOP_ORIGIN, startGateway, type Gateway } from './test-support.js';

/** Sends a body of `bytes` bytes with its Content-Length and resolves with the status and body. */
function postLarge(url: string, bytes: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${url}/v1/batch`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${PIPELINE_KEY}`,
          'content-type': 'application/json',
          'content-length': String(bytes),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    // The server may answer and stop reading before the whole body is written.
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    outgoing.end(Buffer.alloc(bytes, 0x20));
  });
}

describe('the gateway over a real socket', () => {
  let gateway: Gateway;
  let proxied: Gateway;

  before(async () => {
    gateway = await startGateway({ listen: true });
    proxied = await startGateway({ listen: true, trustProxy: true });
  });

  after(async () => {
    await gateway.close();
    await proxied.close();
  });

  it('accepts a collector beacon (text/plain, writeKey, Origin) and sets the cookie', async () => {
    const before = (await gateway.storedEvents()).length;

    const response = await fetch(`${gateway.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: SHOP_ORIGIN },
      body: JSON.stringify({
        batch: [{ type: 'page', properties: {}, context: {}, messageId: 'sock-1' }],
        sentAt: new Date().toISOString(),
        writeKey: PIPELINE_KEY,
      }),
    });

    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { success: true });
    assert.equal(response.headers.get('access-control-allow-origin'), SHOP_ORIGIN);
    const visitorId = /^_dfid=([^;]+);/.exec(response.headers.get('set-cookie') ?? '')?.[1];
    const [event] = (await gateway.storedEvents()).slice(before);
    assert.equal(event?.anonymousId, visitorId);
    assert.equal(event?.context.ip, '127.0.0.1');
  });

  it('serves the pixel GIF', async () => {
    const response = await fetch(`${gateway.url}/v1/pixel/p?key=${PIPELINE_KEY}`);

    assert.equal(response.status, 200);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), TRANSPARENT_GIF);
  });

  it('answers a streamed body over 5 MB with 413 in the error shape', async () => {
    const response = await postLarge(gateway.url, 5 * 1024 * 1024 + 1);

    assert.equal(response.status, 413);
    assert.equal(
      (JSON.parse(response.body) as { error: { code: string } }).error.code,
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('acknowledges 50 concurrent requests only once all their events are stored', async () => {
    const before = (await gateway.storedEvents()).length;

    const statuses = await Promise.all(
      Array.from({ length: 50 }, async (_, index) => {
        const response = await fetch(`${gateway.url}/v1/t`, {
          method: 'POST',
          headers: { authorization: `Bearer ${PIPELINE_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ event: 'Concurrent', anonymousId: `c-${index}` }),
        });
        await response.arrayBuffer();
        return response.status;
      }),
    );

    assert.deepEqual(statuses, Array(50).fill(200));
    assert.equal((await gateway.storedEvents()).length - before, 50);
  });

  it('takes the client IP from X-Forwarded-For only behind a trusted proxy', async () => {
    const send = (url: string) =>
      fetch(`${url}/v1/t`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${PIPELINE_KEY}`,
          'content-type': 'application/json',
          'x-forwarded-for': '203.0.113.7',
        },
        body: JSON.stringify({ event: 'Forwarded', anonymousId: 'fwd' }),
      });

    await send(gateway.url);
    await send(proxied.url);

    const [direct] = (await gateway.storedEvents()).slice(-1);
    const [viaProxy] = (await proxied.storedEvents()).slice(-1);
    assert.equal(direct?.context.ip, '127.0.0.1');
    assert.equal(viaProxy?.context.ip, '203.0.113.7');
  });
});
