import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBastion } from '../../src/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { hardeningModule } from '../transport/fixture-app.js';
import { rawProblemInvariants, rawRequest, type RawResponse } from '../transport/raw-request.js';

const VECTORS = '/work/shared/vectors';
const payloads = JSON.parse(readFileSync(`${VECTORS}/input_validation_payloads.json`, 'utf8'));
const suite = JSON.parse(readFileSync(`${VECTORS}/jsontestsuite_selected.json`, 'utf8')) as { files: Array<{ file: string; expect: string; hex?: string }> };

/** The exact bytes of a JSONTestSuite file; the three large ones are stored as recipes. */
function suiteBytes(f: { file: string; hex?: string }): Buffer {
  if (f.hex !== undefined) return Buffer.from(f.hex, 'hex');
  const recipes: Record<string, string> = {
    'i_structure_500_nested_arrays.json': '['.repeat(500) + ']'.repeat(500),
    'n_structure_100000_opening_arrays.json': '['.repeat(100_000),
    'n_structure_open_array_object.json': '[{"":'.repeat(50_000) + '\n',
  };
  const text = recipes[f.file];
  if (text === undefined) throw new Error(`no bytes for ${f.file}`);
  return Buffer.from(text);
}
const blns = JSON.parse(readFileSync(`${VECTORS}/blns_selected.json`, 'utf8')) as { sections: Record<string, string[]> };

const JSON_CT = { 'content-type': 'application/json' };
const pp = payloads.prototype_pollution;
const PROTO_BODIES: string[] = [
  ...Object.values(pp.json_body_techniques as Record<string, { json_body_minimal: string; json_body_nullify: string }>).flatMap((t) => [t.json_body_minimal, t.json_body_nullify]),
  ...(pp.classic_payloads_constructed_here as Array<{ body?: string }>).flatMap((p) => (p.body ? [p.body] : [])),
];
const PROTO_QUERIES: string[] = [
  ...(pp.classic_payloads_constructed_here as Array<{ query?: string }>).flatMap((p) => (p.query ? [p.query] : [])),
  ...Object.values(pp.bracket_techniques_for_form_or_qs as Record<string, { key: string; attack_value: string }>)
    .filter((t) => t.key !== '')
    .map((t) => `?${encodeURIComponent(t.key).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(t.attack_value)}`),
];
const SIZE_CASES: Array<[string, string, number[]]> = [
  ...[100, 1000, 10_000, 100_000].map((n): [string, string, number[]] => [`deep array ${n}`, '['.repeat(n) + ']'.repeat(n), [400, 413]]),
  ...[100, 1000, 10_000].map((n): [string, string, number[]] => [`deep object ${n}`, '{"a":'.repeat(n) + '1' + '}'.repeat(n), [400, 413]]),
  ['unterminated deep nesting', '['.repeat(100_000), [400]],
  ['huge array of small items', `{"ids":[${Array(200_000).fill('1').join(',')}]}`, [413]],
  ['huge array under the byte limit', `{"ids":[${Array(45_000).fill('0').join(',')}]}`, [400]],
  ['many keys', `{${Array.from({ length: 9000 }, (_, i) => `"k${i}":0`).join(',')}}`, [400]],
  ['long string', `{"name":"${'A'.repeat(1_000_000)}"}`, [413]],
  ['body just over limit', `{"p":"${'a'.repeat(100 * 1024)}"}`, [413]],
];

function isProblem4xx(res: RawResponse): string[] {
  const issues = rawProblemInvariants(res);
  if (res.status < 400 || res.status >= 500) issues.push(`status ${res.status}`);
  return issues;
}

describe.each(ADAPTERS)('shared input vectors (%s)', (adapter) => {
  let running: RunningApp;
  beforeAll(async () => {
    // Thousands of requests from one IP: the anonymous rate limit (a separate suite) is off here.
    running = await startApp(hardeningModule({ throttle: { enabled: false } }), adapter, configureBastion);
  });
  afterAll(() => running.close());

  const post = (path: string, body: string | Buffer, headers: Record<string, string> = JSON_CT) => rawRequest(`${running.url}${path}`, { headers, body });
  const get = (path: string, headers: Record<string, string> = {}) => rawRequest(`${running.url}${path}`, { method: 'GET', headers });

  it('rejects every prototype-pollution body and query with 4xx, and no oracle fires afterwards', async () => {
    for (const body of PROTO_BODIES) expect(isProblem4xx(await post('/h/echo', body)), body).toEqual([]);
    for (const query of PROTO_QUERIES) expect(isProblem4xx(await get(`/h/query${query}`)), query).toEqual([]);
    const form = await post('/h/echo', '__proto__[isAdmin]=true', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(isProblem4xx(form)).toEqual([]);
    // Oracles (PortSwigger's technique list): status, JSON spacing, exposed headers, and the prototype itself.
    const after = await post('/h/echo', '{"a":', JSON_CT);
    expect(after.status).toBe(400);
    const normal = await get('/h/ok');
    expect(normal.body).toBe('{"ok":true}');
    expect(JSON.stringify(normal.headers)).not.toContain(pp.canary);
    expect(Object.prototype).toEqual({});
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });

  it.each(SIZE_CASES)('structure and size: %s', async (_name, body, statuses) => {
    const res = await post('/h/echo', body);
    expect(statuses).toContain(res.status);
    expect(rawProblemInvariants(res)).toEqual([]);
  });

  it('structure and size: gzip bomb, lying Content-Length, duplicate keys, odd content types', async () => {
    const bomb = gzipSync(Buffer.from(`{"a":"${'0'.repeat(50_000_000)}"}`));
    expect(isProblem4xx(await post('/h/echo', bomb, { ...JSON_CT, 'content-encoding': 'gzip' }))).toEqual([]);
    expect(isProblem4xx(await post('/h/echo', '{"a":1}', { ...JSON_CT, 'content-length': '1000000' }))).toEqual([]);
    for (const body of ['{"role":"user","role":"admin"}', '{"amount":1,"amount":-1000}', '{"a":{"b":1,"b":2}}', '{"a\\u0062":1,"ab":2}']) {
      expect(isProblem4xx(await post('/h/echo', body)), body).toEqual([]);
    }
    for (const type of ['text/plain', 'application/json; charset=utf-16', 'application/json; charset=ibm037', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/vnd.api+json']) {
      expect(isProblem4xx(await post('/h/echo', '{"a":1}', { 'content-type': type })), type).toEqual([]);
    }
    expect(isProblem4xx(await rawRequest(`${running.url}/h/echo`, { body: '{"a":1}' }))).toEqual([]);
  });

  it('big and special numbers never pass an integer rule (1e-400 is 0, a fine integer)', async () => {
    expect((await post('/h/orders', '{"name":"a","quantity":1e-400}')).status).toBe(201);
    for (const n of ['1e400', '-1e400', '123456789012345678901234567890', '9007199254740993', '-0.5']) {
      expect(isProblem4xx(await post('/h/orders', `{"name":"a","quantity":${n}}`)), n).toEqual([]);
    }
  });

  it('top-level non-objects: primitives at the parser, arrays at the DTO', async () => {
    for (const body of ['"string"', '123', 'null', 'true', '[]', '[{"a":1}]']) expect(isProblem4xx(await post('/h/orders', body)), body).toEqual([]);
  });

  it('type confusion in a string field gives 400; plain strings pass', async () => {
    for (const variant of payloads.type_confusion.string_field_variants as unknown[]) {
      const res = await post('/h/orders', JSON.stringify({ name: variant }));
      if (typeof variant === 'string' && variant.length <= 10_000) expect(res.status, JSON.stringify(variant)).toBe(201);
      else expect(isProblem4xx(res), JSON.stringify(variant).slice(0, 40)).toEqual([]);
    }
  });

  it('qs cases: nested, repeated, operator, oversized and malformed queries are refused on a query DTO', async () => {
    for (const c of payloads.query_string_qs.cases as Array<{ q: string }>) {
      const q = c.q.includes('...') ? `?${Array.from({ length: 1001 }, (_, i) => `p${i}=1`).join('&')}` : c.q;
      const res = await get(`/h/page${q}${q.includes('limit=') ? '' : '&limit=1'}`);
      expect(isProblem4xx(res), q).toEqual([]);
    }
  });

  it('NoSQL operators: operator objects refused, operator strings inert', async () => {
    for (const body of payloads.nosql_injection.json_operator_bodies_constructed_here as string[]) expect(isProblem4xx(await post('/h/orders', body)), body).toEqual([]);
    for (const s of payloads.nosql_injection.strings as string[]) {
      const res = await post('/h/orders', JSON.stringify({ name: s }));
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    }
  });

  it('unicode and control characters never give 5xx; invalid and overlong UTF-8 are refused', async () => {
    for (const c of payloads.unicode_and_control.cases as Array<{ json?: string; json2?: string; bytes_hex?: string }>) {
      for (const json of [c.json, c.json2].filter((j): j is string => j !== undefined)) {
        const value = Object.values(JSON.parse(json) as Record<string, string>)[0]!;
        const res = await post('/h/orders', JSON.stringify({ name: value }));
        expect(res.status, json).toBeLessThan(500);
      }
      if (c.bytes_hex) expect(isProblem4xx(await post('/h/echo', Buffer.from(c.bytes_hex, 'hex'))), c.bytes_hex).toEqual([]);
    }
    expect(isProblem4xx(await get('/h/query?redirect=%0d%0aLocation:%20http://evil'))).not.toContain('status 500');
    const long = await get('/h/ok', { 'x-api-key': 'A'.repeat(20_000) });
    expect(long.status).toBe(431);
  });

  it('reflection strings are stored inertly as JSON and never rendered in an error', async () => {
    const r = payloads.reflection_checks;
    for (const s of [...r.xss_quick, ...r.sqli_quick, ...r.template_interpolation_quick, ...r.template_interpolation_constructed_here] as string[]) {
      const ok = await post('/h/orders', JSON.stringify({ name: s }));
      expect(ok.status).toBe(201);
      expect(ok.headers['x-content-type-options']).toBe('nosniff');
      const bad = await post('/h/orders', JSON.stringify({ name: 'a', [s]: s }));
      expect(isProblem4xx(bad)).toEqual([]);
      expect(bad.body).not.toContain(s);
    }
  });

  it('every must-reject case of JSONTestSuite gives 4xx problem+json; accepted and implementation-defined ones never 5xx', async () => {
    for (const f of suite.files) {
      const res = await post('/h/echo', suiteBytes(f));
      if (f.expect === 'reject') expect(isProblem4xx(res), f.file).toEqual([]);
      else expect(res.status, f.file).toBeLessThan(500);
    }
  });

  it('BLNS strings in a string field never give 5xx', async () => {
    for (const strings of Object.values(blns.sections)) {
      for (const s of strings) {
        const res = await post('/h/orders', JSON.stringify({ name: s }));
        expect(res.status, JSON.stringify(s)).toBeLessThan(500);
        expect([201, 400]).toContain(res.status);
      }
    }
  });
});
