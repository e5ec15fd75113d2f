import assert from 'node:assert/strict';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { HttpClient, HttpFailure, MAX_KEPT_BODY, maskHeaders } from './http-client.js';

/** A local server answering with `handler`; closed, with the client, after the test. */
async function serve(t: TestContext, handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => closeServer(server));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function client(t: TestContext, timeoutMs = 2_000): HttpClient {
  const http = new HttpClient({ timeoutMs });
  t.after(() => http.close());
  return http;
}

/** The rejection of `promise`, which must reject. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('the request was expected to fail');
}

describe('HttpClient.send', () => {
  it('sends method, headers and body, and resolves with status, headers and body', async (t) => {
    const url = await serve(t, (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json', 'x-echo': req.headers['x-test'] });
        res.end(JSON.stringify({ method: req.method, path: req.url, body }));
      });
    });

    const res = await client(t).send({
      method: 'POST',
      url: `${url}/profile?allowUpdate=true`,
      headers: { 'x-test': 'yes', 'content-type': 'application/json' },
      body: '{"email":"ada@example.com"}',
    });

    assert.equal(res.status, 201);
    assert.equal(res.headers['x-echo'], 'yes');
    assert.deepEqual(JSON.parse(res.body), {
      method: 'POST',
      path: '/profile?allowUpdate=true',
      body: '{"email":"ada@example.com"}',
    });
    assert.ok(res.latencyMs >= 0);
  });

  it('resolves with an error status instead of rejecting', async (t) => {
    const url = await serve(t, (_req, res) => {
      res.writeHead(503, { 'retry-after': '7' });
      res.end('down');
    });

    const res = await client(t).send({ method: 'GET', url, headers: {} });

    assert.equal(res.status, 503);
    assert.equal(res.headers['retry-after'], '7');
    assert.equal(res.body, 'down');
  });

  it('keeps only the first 2,000 characters of a long body', async (t) => {
    const long = 'a'.repeat(MAX_KEPT_BODY) + 'b'.repeat(3_000);
    const url = await serve(t, (_req, res) => res.end(long));

    const res = await client(t).send({ method: 'GET', url, headers: {} });

    assert.equal(MAX_KEPT_BODY, 2_000);
    assert.equal(res.body, `${'a'.repeat(MAX_KEPT_BODY)}…`);
  });

  it('rejects with a timeout failure when no answer comes in time', async (t) => {
    const url = await serve(t, () => {
      // Never answers.
    });

    const error = await rejection(
      client(t).send({ method: 'GET', url, headers: {}, timeoutMs: 150 }),
    );

    assert.ok(error instanceof HttpFailure, String(error));
    assert.equal(error.kind, 'timeout');
    assert.equal(error.message, 'no answer within 150 ms');
    assert.ok(error.latencyMs >= 100, `latency ${error.latencyMs}`);
  });

  it('rejects with a timeout failure when the body stalls after the headers', async (t) => {
    const url = await serve(t, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });

    const error = await rejection(client(t, 150).send({ method: 'GET', url, headers: {} }));

    assert.ok(error instanceof HttpFailure, String(error));
    assert.equal(error.kind, 'timeout');
  });

  it('ends a request of a deadline-bound client at the deadline, keeping the connections', async (t) => {
    const url = await serve(t, (req, res) => {
      if (req.url === '/stall') return;
      res.end('ok');
    });
    const http = client(t, 5_000);
    const bounded = http.withDeadline(Date.now() + 150);

    const started = performance.now();
    const failure = await rejection(
      bounded.send({ method: 'GET', url: `${url}/stall`, headers: {} }),
    );
    const elapsed = performance.now() - started;
    await bounded.close();
    const after = await http.send({ method: 'GET', url: `${url}/fine`, headers: {} });

    assert.ok(failure instanceof HttpFailure);
    assert.equal(failure.kind, 'timeout');
    assert.equal(failure.message, 'the delivery ran out of time before an answer');
    assert.ok(elapsed < 4_000, `ended after ${Math.round(elapsed)} ms, not at the 5 s timeout`);
    assert.equal(after.body, 'ok', 'closing the bounded view left the shared client open');
  });

  it('rejects with a connection failure when nothing listens on the port', async (t) => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await closeServer(probe);

    const error = await rejection(
      client(t).send({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {} }),
    );

    assert.ok(error instanceof HttpFailure, String(error));
    assert.equal(error.kind, 'connection');
    assert.match(error.message, /^connection failed: /);
  });
});

describe('maskHeaders', () => {
  it('keeps the auth scheme and hides the credential', () => {
    const masked = maskHeaders({
      Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.secret-token',
      'Proxy-Target': 'kept',
    });

    assert.deepEqual(masked, { Authorization: 'Bearer ****', 'Proxy-Target': 'kept' });
  });

  it('hides a raw API key, a Basic credential, cookies and x-api-key whatever their case', () => {
    const masked = maskHeaders({
      authorization: 'actito-secret-key-42',
      AUTHORIZATION: 'basic dXNlcjpwYXNz',
      Cookie: 'session=abc',
      'X-Api-Key': 'key-123',
      'Content-Type': 'application/json',
    });

    assert.deepEqual(masked, {
      authorization: '****',
      AUTHORIZATION: 'basic ****',
      Cookie: '****',
      'X-Api-Key': '****',
      'Content-Type': 'application/json',
    });
  });

  it('leaves the headers it was given unchanged', () => {
    const headers = { Authorization: 'Bearer token-1' };

    maskHeaders(headers);

    assert.deepEqual(headers, { Authorization: 'Bearer token-1' });
  });
});
