import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, configureBastion, Public, RequireScopes } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';

/**
 * Red team over HTTP: routing tricks, method tricks, credential confusion and hostile bodies against
 * an app secured by Bastion (configureBastion + BastionModule, brute-force blocking off so every
 * probe reaches the layer it targets). Every answer is either the designed success or a problem+json
 * 4xx that carries the security headers and leaks neither the protected data nor the input.
 */
class NoteDto {
  @IsString() @MaxLength(100) title!: string;
  @IsOptional() @IsString() @MaxLength(100) body?: string;
}

@Controller('orders')
class OrdersController {
  @Get()
  @RequireScopes('orders:read')
  list() {
    return { secret: 'ORDER-LIST' };
  }

  @Get(':id')
  @RequireScopes('orders:read')
  one(@Param('id') id: string) {
    return { secret: 'ORDER-ONE', id };
  }

  @Post()
  @RequireScopes('orders:write')
  create(@Body() note: NoteDto) {
    return { secret: 'ORDER-CREATED', title: note.title };
  }
}

@Controller()
class MiscController {
  @Get('health')
  @Public()
  health() {
    return { ok: true };
  }

  @Get('me')
  @Authenticated()
  me() {
    return { secret: 'ME' };
  }

  @Post('notes')
  @Public()
  note(@Body() note: NoteDto) {
    return { title: note.title, polluted: ({} as Record<string, unknown>).polluted ?? null };
  }
}

interface RawAnswer {
  status: number;
  head: string;
  body: string;
}

/** Sends exact request bytes and parses the first response (status, header block, de-chunked body). */
function raw(baseUrl: string, request: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      // Skip interim 1xx responses (100 Continue).
      const text = data.replace(/^HTTP\/1\.1 1\d\d [^\r]*\r\n(?:[^\r]+\r\n)*\r\n/, '');
      const split = text.indexOf('\r\n\r\n');
      const head = text.slice(0, split);
      let body = text.slice(split + 4);
      if (/^transfer-encoding: chunked/im.test(head)) body = body.replace(/^[0-9a-f]+\r\n/i, '').replace(/\r\n0\r\n\r\n$/, '').replace(/^0\r\n\r\n$/, '');
      resolve({ status: Number(text.split(' ')[1]), head, body });
    });
  });
}

const header = (answer: RawAnswer, name: string): string | undefined =>
  answer.head
    .split('\r\n')
    .find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    ?.slice(name.length + 1)
    .trim();

/** The invariants of every error answer, on raw responses: problem+json, request id, headers, no leak. */
function rawInvariants(answer: RawAnswer): string[] {
  const problems: string[] = [];
  if (!header(answer, 'content-type')?.startsWith('application/problem+json')) problems.push(`content-type ${header(answer, 'content-type')}`);
  if (!/^[0-9a-f-]{36}$/.test(header(answer, 'x-request-id') ?? '')) problems.push(`x-request-id ${header(answer, 'x-request-id')}`);
  if (header(answer, 'x-content-type-options') !== 'nosniff') problems.push('no nosniff');
  if (header(answer, 'cache-control') !== 'no-store') problems.push('no Cache-Control: no-store');
  if (header(answer, 'x-powered-by') !== undefined) problems.push('X-Powered-By');
  if (/ORDER-|"secret"|FST_|ERR_HTTP|\bat [\w$.<>]+ \(|node_modules|\.ts:\d|\.js:\d|Cannot (GET|POST)|Unexpected token|JSON at position/.test(answer.body)) problems.push(`leak: ${answer.body.slice(0, 120)}`);
  if (answer.body !== '') {
    try {
      const doc = JSON.parse(answer.body) as { status?: number; code?: string; requestId?: string; detail?: unknown };
      if (doc.status !== answer.status) problems.push(`body status ${doc.status}`);
      if (!/^ERR_[A-Z_]+$/.test(doc.code ?? '')) problems.push(`code ${doc.code}`);
      if (doc.requestId !== header(answer, 'x-request-id')) problems.push('requestId differs from X-Request-Id');
    } catch {
      problems.push(`body not JSON: ${answer.body.slice(0, 80)}`);
    }
  }
  return problems;
}

describe.each(ADAPTERS)('red team: HTTP surface (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  let noScope: string;
  let reader: string;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    @Module({ imports: [BastionModule.forRoot({ realm: 'api', jwt: issuer.options(), bruteForce: { enabled: false } })], controllers: [OrdersController, MiscController] })
    class AppModule {}
    running = await startApp(AppModule, adapter, (app) => configureBastion(app));
    noScope = await issuer.sign({ sub: 'mallory', scope: 'profile' });
    reader = await issuer.sign({ sub: 'alice', scope: 'orders:read' });
  });
  afterAll(async () => {
    await running?.close();
    await issuer?.close();
  });

  const get = (path: string, lines: string[] = []) => raw(running.url, [`GET ${path} HTTP/1.1`, 'Host: api.test', ...lines, 'Connection: close', '', ''].join('\r\n'));
  const send = (method: string, path: string, lines: string[], body = '') =>
    raw(running.url, [`${method} ${path} HTTP/1.1`, 'Host: api.test', ...lines, 'Connection: close', '', body].join('\r\n'));

  describe('routing tricks never reach a protected handler without its scope', () => {
    const PATHS = [
      '/orders', '/orders/', '/ORDERS', '/Orders/1', '//orders', '/orders//', '/./orders', '/x/../orders', '/%2e%2e/orders',
      '/orders%2f1', '/orders;x=1', '/orders/1;x', '/orders%00', '/orders%20', '/orders/%2e', '/orders/..', '/orders#frag',
      '/%6frders', 'http://evil.example/orders', '/orders\\1', '/health/../orders', '/health/..%2forders', '/health;/../orders',
      `/orders/${'a'.repeat(4000)}`, `/${'x/'.repeat(2000)}orders`, '/orders/%ZZ', '/orders/%E0%A4%A', '/%ZZ/orders', `/orders/${'%41'.repeat(200)}`,
    ];
    it.each(PATHS)('GET %s: 401/404, problem+json with the security headers', async (path) => {
      for (const lines of [[], [`Authorization: Bearer ${noScope}`]]) {
        const answer = await get(path, lines);
        expect([400, 401, 403, 404, 414]).toContain(answer.status);
        expect(rawInvariants(answer)).toEqual([]);
      }
    });

    it('a caller with the scope still reaches the route (the refusals above are about the caller, not a broken app)', async () => {
      const ok = await get('/orders', [`Authorization: Bearer ${reader}`]);
      expect(ok.status).toBe(200);
      expect(ok.body).toContain('ORDER-LIST');
    });
  });

  describe('method tricks', () => {
    it('HEAD on a protected GET route is 401 with no body, like GET', async () => {
      const answer = await send('HEAD', '/orders', []);
      expect(answer.status).toBe(401);
      expect(answer.body).toBe('');
      expect(header(answer, 'www-authenticate')).toBe('Bearer realm="api"');
      expect(header(answer, 'x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it.each(['OPTIONS', 'TRACE', 'PROPFIND', 'PATCH', 'PUT', 'DELETE', 'SEARCH', 'FOO', 'get'])('%s /orders: 4xx problem+json, never the list', async (method) => {
      const answer = await send(method, '/orders', [`Authorization: Bearer ${noScope}`]);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(rawInvariants(answer)).toEqual([]);
    });

    it('X-HTTP-Method-Override and friends are ignored: a POST stays a POST (needs orders:write)', async () => {
      for (const name of ['X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override']) {
        const answer = await send('POST', '/orders', [`Authorization: Bearer ${reader}`, `${name}: GET`, 'Content-Type: application/json', 'Content-Length: 13'], '{"title":"x"}');
        expect(answer.status).toBe(403);
        expect(rawInvariants(answer)).toEqual([]);
        const health = await get('/health', [`${name}: POST`]);
        expect(health.status).toBe(200);
      }
    });
  });

  describe('credential confusion', () => {
    it.each([
      ['a tab after the scheme', (t: string) => [`Authorization: Bearer\t${t}`], 400],
      ['Basic and Bearer in one header', (t: string) => [`Authorization: Basic YTpi, Bearer ${t}`], 401],
      ['Basic only', () => ['Authorization: Basic YTpi'], 401],
      ['the token in a cookie', (t: string) => [`Cookie: access_token=${t}; token=${t}; jwt=${t}`], 401],
      ['the token in X-Access-Token / X-Auth-Token', (t: string) => [`X-Access-Token: ${t}`, `X-Auth-Token: ${t}`], 401],
      ['two Authorization headers', (t: string) => [`Authorization: Bearer ${t}`, 'Authorization: Basic YTpi'], 400],
      ['a bare token without scheme', (t: string) => [`Authorization: ${t}`], 401],
      ['a quoted token', (t: string) => [`Authorization: Bearer "${t}"`], 400],
      ['a token with a comma list', (t: string) => [`Authorization: Bearer ${t}, Bearer ${t}`], 400],
    ])('%s is never accepted', async (_name, lines, status) => {
      const answer = await get('/me', lines(reader));
      expect(answer.status).toBe(status);
      expect(rawInvariants(answer)).toEqual([]);
      expect(answer.body).not.toContain(reader);
    });

    it('the token in the query string, however spelled, is never accepted', async () => {
      for (const query of [`access_token=${reader}`, `access%5Ftoken=${reader}`, `access_token[]=${reader}`, `ACCESS_TOKEN=${reader}`, `token=${reader}`]) {
        const answer = await get(`/me?${query}`);
        expect([400, 401]).toContain(answer.status);
        expect(rawInvariants(answer)).toEqual([]);
        expect(answer.body).not.toContain(reader.slice(0, 20));
      }
    });

    it('a 100 KB token gets a 4xx problem (431), not a 5xx or a hang', async () => {
      const answer = await get('/me', [`Authorization: Bearer ${'A'.repeat(100_000)}`]);
      expect(answer.status).toBe(431);
      expect(rawInvariants(answer)).toEqual([]);
    });

    it('a 12 KB token under the header limit is refused with the uniform 401', async () => {
      const answer = await get('/me', [`Authorization: Bearer ${'eyJ'.repeat(4000)}.e30.c2ln`]);
      expect(answer.status).toBe(401);
      expect(rawInvariants(answer)).toEqual([]);
      expect(JSON.parse(answer.body).code).toBe('ERR_INVALID_TOKEN');
    });

    it('an invalid token on a public route is not ignored', async () => {
      const answer = await get('/health', ['Authorization: Bearer x.y.z']);
      expect(answer.status).toBe(401);
      expect(rawInvariants(answer)).toEqual([]);
    });
  });

  describe('request id and response headers', () => {
    it.each([
      ['CR/LF-free but spaced', 'attacker chosen id'],
      ['markup', '<script>alert(1)</script>'],
      ['a 5 KB id', 'a'.repeat(5000)],
    ])('never echoes an unsafe inbound X-Request-Id (%s)', async (_name, value) => {
      const answer = await get('/orders', [`X-Request-Id: ${value}`]);
      expect(answer.status).toBe(401);
      expect(header(answer, 'x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(answer.head + answer.body).not.toContain(value);
    });

    it('404 for an unknown path never reflects the path', async () => {
      const answer = await get('/<script>alert(1)</script>/%3Cimg%20src%3Dx%3E');
      expect(answer.status).toBe(404);
      expect(rawInvariants(answer)).toEqual([]);
      expect(answer.body).not.toMatch(/script|img/i);
    });
  });

  describe('hostile bodies', () => {
    const post = (path: string, contentType: string, body: string | Buffer, extra: string[] = []) => {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      return raw(running.url, [`POST ${path} HTTP/1.1`, 'Host: api.test', `Content-Type: ${contentType}`, `Content-Length: ${bytes.length}`, ...extra, 'Connection: close', '', bytes.toString('latin1')].join('\r\n'));
    };

    it.each([
      ['__proto__ nested in an array', '{"title":"x","tags":[{"__proto__":{"polluted":1}}]}'],
      ['__proto__ deep in arrays', `{"title":"x","a":[[[[{"b":{"__proto__":{"polluted":1}}}]]]]}`],
      ['constructor.prototype', '{"title":"x","constructor":{"prototype":{"polluted":1}}}'],
      ['escaped __proto__ key', '{"title":"x","\\u005f_proto__":{"polluted":1}}'],
      ['deeply nested arrays', `{"title":"x","a":${'['.repeat(5000)}${']'.repeat(5000)}}`],
      ['a huge number', `{"title":"x","n":1${'0'.repeat(5000)}}`],
      ['a top-level array', '[{"title":"x"}]'],
      ['a top-level string', '"x"'],
      ['an extra field', '{"title":"x","admin":true}'],
      ['a number for a string', '{"title":5}'],
      ['an object for a string', '{"title":{"$ne":null}}'],
      ['a duplicate key', '{"title":"x","title":"y"}'],
      ['truncated JSON', '{"title":'],
      ['a BOM', '\uFEFF{"title":"x"}'],
    ])('%s: 4xx problem+json, never echoing the input, Object.prototype untouched', async (_name, body) => {
      const answer = await post('/notes', 'application/json', body);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(rawInvariants(answer)).toEqual([]);
      // Validation errors name a rejected field (`admin`), never its value.
      expect(answer.body).not.toMatch(/polluted|\$ne|true/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it.each([
      ['charset=utf-16', 'application/json; charset=utf-16', '{"title":"x"}', []],
      ['gzip', 'application/json', gzipSync('{"title":"x"}'), ['Content-Encoding: gzip']],
      ['deflate', 'application/json', '{"title":"x"}', ['Content-Encoding: deflate']],
      ['text/plain', 'text/plain', '{"title":"x"}', []],
      ['multipart', 'multipart/form-data; boundary=x', '--x--', []],
      ['xml', 'application/xml', '<a/>', []],
    ] as const)('%s: 415 problem+json', async (_name, contentType, body, extra) => {
      const answer = await post('/notes', contentType, body, [...extra]);
      expect(answer.status).toBe(415);
      expect(rawInvariants(answer)).toEqual([]);
    });

    it('a valid body still works', async () => {
      const answer = await post('/notes', 'application/json', '{"title":"x"}');
      expect(answer.status).toBe(201);
      expect(JSON.parse(answer.body)).toEqual({ title: 'x', polluted: null });
    });

    it('chunked with no body, and Content-Length with Transfer-Encoding (smuggling shape): 400', async () => {
      for (const lines of [['Transfer-Encoding: chunked'], ['Content-Length: 3', 'Transfer-Encoding: chunked']]) {
        const answer = await raw(running.url, ['POST /notes HTTP/1.1', 'Host: api.test', 'Content-Type: application/json', ...lines, 'Connection: close', '', '0', '', ''].join('\r\n'));
        expect(answer.status).toBe(400);
        expect(rawInvariants(answer)).toEqual([]);
      }
    });

    it('a protected POST is refused before its body is parsed (no JSON error oracle for anonymous callers)', async () => {
      const answer = await post('/orders', 'application/json', '{"title":');
      expect([400, 401]).toContain(answer.status);
      expect(rawInvariants(answer)).toEqual([]);
    });
  });

  describe('hostile queries', () => {
    it.each([
      ['__proto__[x]=1'],
      ['constructor[prototype][x]=1'],
      ['__proto__.x=1'],
      ['a[__proto__][x]=1'],
      ['a[b][c][d][e][f][g][h]=1'],
      ['a=%ZZ'],
      [Array.from({ length: 10_000 }, (_, i) => `p${i}=1`).join('&').slice(0, 15_000)],
    ])('GET /health?%s: never 5xx, never pollutes', async (query) => {
      const answer = await get(`/health?${query}`);
      expect(answer.status).toBeLessThan(500);
      if (answer.status >= 400) expect(rawInvariants(answer)).toEqual([]);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    });
  });

  it('500 parallel hostile requests: never a 5xx, and the app keeps serving', async () => {
    const attacks = [
      () => get('/orders', ['Authorization: Bearer eyJhbGciOiJub25lIn0.e30.']),
      () => get('/me', [`Authorization: Bearer ${'x'.repeat(8000)}`]),
      () => send('POST', '/notes', ['Content-Type: application/json', 'Content-Length: 9'], '{"title":'),
      () => send('POST', '/notes', ['Content-Type: application/json', 'Content-Length: 31'], '{"__proto__":{"polluted":true}}'),
      () => get('/health?__proto__[x]=1'),
      () => get('/%2e%2e/%2e%2e/etc/passwd'),
      () => send('FOO', '/orders', []),
    ];
    const answers = await Promise.all(Array.from({ length: 500 }, (_, i) => attacks[i % attacks.length]!()));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s >= 500 || !(s >= 400))).toEqual([]);
    for (const answer of answers.slice(0, 50)) expect(rawInvariants(answer)).toEqual([]);
    const health = await fetch(`${running.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
  });
});
