import { connect } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBastion } from '../../src/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { hardeningModule } from '../transport/fixture-app.js';
import { rawProblemInvariants, rawRequest } from '../transport/raw-request.js';

/**
 * Sends the head of a request, then trickles its body one byte every `everyMs` for as long as the
 * socket stays open. Resolves with what the server answered (if anything) when it closes the socket.
 */
function slowloris(url: string, everyMs: number): Promise<{ response: string; bytesSent: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let response = '';
    let bytesSent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(`POST /h/echo HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{`);
      timer = setInterval(() => {
        if (!socket.writable) return;
        socket.write('1');
        bytesSent++;
      }, everyMs);
    });
    socket.on('data', (d) => (response += d.toString('utf8')));
    const done = () => {
      clearInterval(timer);
      resolve({ response, bytesSent });
    };
    socket.on('close', done);
    socket.on('error', () => undefined);
  });
}

describe.each(ADAPTERS)('timeouts and header limits (%s)', (adapter) => {
  let running: RunningApp;
  let strict: RunningApp;
  beforeAll(async () => {
    running = await startApp(hardeningModule({ timeouts: { request: 1500, headers: 1000, keepAlive: 2000 } }), adapter, configureBastion);
    strict = await startApp(hardeningModule({ limits: { headerBytes: 4096 } }), adapter, configureBastion);
  });
  afterAll(async () => {
    await running.close();
    await strict.close();
  });

  it('cuts off a body trickled byte by byte with 408 and closes the connection', async () => {
    const { response, bytesSent } = await slowloris(running.url, 100);
    // 10,000 bytes at 10 bytes/s would take ~17 minutes; the cut comes at the deadline.
    expect(bytesSent).toBeLessThan(10_000);
    expect(response).toMatch(/^HTTP\/1\.1 408 /);
    expect(response).toContain('application/problem+json');
    expect(response).toContain('"code":"ERR_REQUEST_TIMEOUT"');
    expect(response).toContain('X-Content-Type-Options: nosniff');
  });

  it('sets server timeouts from the options (Node defaults: 300 s request, none on Fastify)', () => {
    const server = running.app.getHttpServer() as Server;
    expect(server.requestTimeout).toBe(1500);
    expect(server.headersTimeout).toBe(1000);
    expect(server.keepAliveTimeout).toBe(2000);
  });

  it('serves a normal request on the same server', async () => {
    const res = await rawRequest(`${running.url}/h/echo`, { headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(res.status).toBe(201);
  });

  it("answers headers over Node's 16 KiB limit with 431 problem+json", async () => {
    const res = await rawRequest(`${running.url}/h/ok`, { method: 'GET', headers: { 'x-api-key': 'A'.repeat(20_000) } });
    expect(res.status).toBe(431);
    expect(rawProblemInvariants(res)).toEqual([]);
    expect(JSON.parse(res.body).code).toBe('ERR_HEADERS_TOO_LARGE');
  });

  it('answers headers over a configured lower limit with 431', async () => {
    const res = await rawRequest(`${strict.url}/h/ok`, { method: 'GET', headers: { 'x-api-key': 'A'.repeat(6000) } });
    expect(res.status).toBe(431);
    expect(rawProblemInvariants(res)).toEqual([]);
    expect((await rawRequest(`${strict.url}/h/ok`, { method: 'GET', headers: { 'x-api-key': 'A'.repeat(1000) } })).status).toBe(200);
  });

  const rawExchange = (text: string) => {
    const { hostname, port } = new URL(running.url);
    return new Promise<string>((resolve) => {
      const socket = connect(Number(port), hostname, () => socket.write(text));
      let data = '';
      socket.on('data', (d) => (data += d.toString('utf8')));
      socket.on('close', () => resolve(data));
      socket.on('error', () => undefined);
    });
  };

  it('answers an unknown Expect with 417 problem+json and the security headers, not Node\'s bare status line', async () => {
    const response = await rawExchange('POST /h/echo HTTP/1.1\r\nHost: api.test\r\nExpect: foo\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
    expect(response).toMatch(/^HTTP\/1\.1 417 /);
    expect(response).toContain('application/problem+json');
    expect(response).toContain('"code":"ERR_EXPECTATION_FAILED"');
    expect(response).toMatch(/X-Request-Id: /i);
    expect(response).toContain('X-Content-Type-Options: nosniff');
  });

  it('answers an HTTP/1.1 request without Host with 400 problem+json (RFC 9112 §3.2), and serves HTTP/1.0 without one', async () => {
    const response = await rawExchange('GET /h/ok HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    expect(response).toContain('"code":"ERR_BAD_REQUEST"');
    expect(response).toContain('X-Content-Type-Options: nosniff');
    expect(await rawExchange('GET /h/ok HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('answers a malformed request line with 400 problem+json', async () => {
    const { hostname, port } = new URL(running.url);
    const response = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), hostname, () => socket.write('GARBAGE / HTTP/9.9\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d.toString('utf8')));
      socket.on('close', () => resolve(data));
      socket.on('error', () => undefined);
    });
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    expect(response).toContain('application/problem+json');
  });
});
