import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { componentId, componentValue, parseComponentId } from '../../../src/authentication/signature/components.js';
import { messageOf, normalizeAuthority, splitTarget } from '../../../src/authentication/signature/http-message.js';
import { signatureBase, signatureParamsValue } from '../../../src/authentication/signature/signature-base.js';
import { serializeInnerList, serializeItem, Token, type Item, type Parameters } from '../../../src/authentication/signature/structured-fields.js';

const valueOf = (message: ReturnType<typeof messageOf>, id: string) => {
  try {
    return componentValue(message, parseComponentId(id));
  } catch (error) {
    return (error as { reason?: string }).reason;
  }
};

describe('RFC 9421 component values', () => {
  it('derives the request components (§2.2)', () => {
    const m = messageOf({ method: 'POST', url: 'https://WWW.Example.com:443/path/a%2Fb?param=value&foo=bar&baz=bat%2Dman' });
    expect(valueOf(m, '@method')).toBe('POST');
    expect(valueOf(m, '@scheme')).toBe('https');
    expect(valueOf(m, '@authority')).toBe('www.example.com');
    expect(valueOf(m, '@target-uri')).toBe('https://www.example.com/path/a%2Fb?param=value&foo=bar&baz=bat%2Dman');
    expect(valueOf(m, '@request-target')).toBe('/path/a%2Fb?param=value&foo=bar&baz=bat%2Dman');
    expect(valueOf(m, '@path')).toBe('/path/a%2Fb');
    expect(valueOf(m, '@query')).toBe('?param=value&foo=bar&baz=bat%2Dman');
    expect(valueOf(messageOf({ method: 'GET', url: 'http://h/x' }), '@query')).toBe('?');
    expect(valueOf(messageOf({ method: 'GET', url: 'http://h:8080/' }), '@authority')).toBe('h:8080');
  });

  it('@target-uri is scheme, authority, path and query of any request target (origin-form, absolute-form, with a fragment)', () => {
    const target = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'/?#a=&%.'.split('')), maxLength: 12 }).map((t) => `/${t}`),
      fc.string({ unit: fc.constantFrom(...'/?#a=&'.split('')), maxLength: 12 }).map((t) => `http://other.example/${t}`),
    );
    fc.assert(
      fc.property(target, (t) => {
        const m = { method: 'GET', scheme: 'HTTPS', authority: 'API.example.com:443', target: t, fieldLines: () => [] };
        const { path, query } = splitTarget(t);
        expect(valueOf(m, '@target-uri')).toBe(`https://api.example.com${path}${query === undefined ? '' : `?${query}`}`);
      }),
      { numRuns: 500 },
    );
  });

  it('@query-param decodes, then re-encodes with %20 for spaces (§2.2.8 examples)', () => {
    const m = messageOf({ method: 'GET', url: 'https://h/parameters?var=this%20is%20a%20big%0Amultiline%20value&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something&qux=' });
    expect(valueOf(m, '"@query-param";name="var"')).toBe('this%20is%20a%20big%0Amultiline%20value');
    expect(valueOf(m, '"@query-param";name="bar"')).toBe('with%20plus%20whitespace');
    expect(valueOf(m, '"@query-param";name="fa%C3%A7ade%22%3A%20"')).toBe('something');
    expect(valueOf(m, '@query-param;name="qux"')).toBe('');
    // Absent or repeated parameters cannot be covered (ambiguous).
    expect(valueOf(m, '@query-param;name="nope"')).toBe('ERR_COMPONENT_INVALID');
    expect(valueOf(messageOf({ method: 'GET', url: 'https://h/?a=1&a=2' }), '@query-param;name="a"')).toBe('ERR_COMPONENT_INVALID');
    expect(valueOf(m, '"@query-param"')).toBe('ERR_COMPONENT_INVALID');
  });

  it('combines repeated field lines, trims them, and handles sf, key and bs (§2.1)', () => {
    const m = messageOf({
      method: 'GET',
      url: 'https://h/',
      headers: [
        ['Accept', '  application/json  '],
        ['Accept', '*/*'],
        ['Content-Digest', 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:,   sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:'],
        ['X-Empty', ''],
        ['X-Weird', 'value, with, commas'],
      ],
    });
    expect(valueOf(m, 'accept')).toBe('application/json, */*');
    expect(valueOf(m, 'x-empty')).toBe('');
    expect(valueOf(m, '"content-digest";sf')).toBe('sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:');
    expect(valueOf(m, '"content-digest";key="sha-256"')).toBe(':X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:');
    expect(valueOf(m, '"accept";bs')).toBe(`:${Buffer.from('application/json').toString('base64')}:, :${Buffer.from('*/*').toString('base64')}:`);
    for (const bad of ['"content-digest";key="md5"', '"x-weird";sf', '"accept";req', '"accept";tr', '"accept";bs;sf', '"accept";sf=?0', 'Accept', '"x-missing"', '@status', '@unknown', '"@method";req']) {
      expect(valueOf(m, bad), bad).toBe('ERR_COMPONENT_INVALID');
    }
  });

  it('builds the base with the @signature-params line last, refusing repeats, @signature-params and non-ASCII values', () => {
    const m = messageOf({ method: 'GET', url: 'https://h/x', headers: [['x-a', 'é'], ['x-b', 'ok']] });
    const params = new Map<string, string | number>([['created', 1], ['keyid', 'k']]);
    expect(signatureBase(m, [parseComponentId('@method'), parseComponentId('x-b')], params)).toBe('"@method": GET\n"x-b": ok\n"@signature-params": ("@method" "x-b");created=1;keyid="k"');
    const reason = (ids: string[]) => {
      try {
        signatureBase(m, ids.map(parseComponentId), params);
        return 'ok';
      } catch (error) {
        return (error as { reason?: string }).reason;
      }
    };
    expect(reason(['@method', '@method'])).toBe('ERR_COMPONENT_INVALID');
    expect(reason(['@signature-params'])).toBe('ERR_COMPONENT_INVALID');
    expect(reason(['x-a'])).toBe('ERR_COMPONENT_INVALID');
    expect(reason(['"x-a";bs'])).toBe('ok');
  });

  it('normalises authorities and splits targets', () => {
    expect(normalizeAuthority('Example.COM:80', 'http')).toBe('example.com');
    expect(normalizeAuthority('example.com:80', 'https')).toBe('example.com:80');
    expect(normalizeAuthority('[::1]:443', 'https')).toBe('[::1]');
    expect(normalizeAuthority('[::1]', 'https')).toBe('[::1]');
    for (const bad of ['', ' ', 'a b', 'user@host', 'host/path']) expect(normalizeAuthority(bad, 'https')).toBeUndefined();
    expect(splitTarget('/a?b=1#frag')).toEqual({ path: '/a', query: 'b=1' });
    expect(splitTarget('http://h:1/a/b?c')).toEqual({ path: '/a/b', query: 'c' });
    expect(splitTarget('')).toEqual({ path: '/', query: undefined });
  });
});

describe('serialization fast paths', () => {
  // Printable ASCII with the characters that need escaping, and keys and values of every bare-item type.
  const text = fc.string({ unit: fc.constantFrom(...' !"#@\\;=()azAZ09-_.*:'.split('')), maxLength: 12 });
  const key = fc.stringMatching(/^[a-z*][a-z0-9_\-.*]{0,6}$/);
  const bare = fc.oneof(
    text,
    fc.integer({ min: -999_999_999_999_999, max: 999_999_999_999_999 }),
    fc.constant(true),
    fc.constant(false),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((n) => Math.round(n * 1000) / 1000),
    fc.stringMatching(/^[a-z][a-z0-9:/!#$%&'*+\-.^_`|~]{0,6}$/).map((t) => new Token(t)),
  );
  const params = fc.uniqueArray(fc.tuple(key, bare), { selector: ([k]) => k, maxLength: 5 }).map((entries) => new Map(entries) as Parameters);
  const item = fc.tuple(text, params).map(([name, p]) => [name, p] as Item);

  it('componentId and signatureParamsValue write exactly what the RFC 8941 serializer writes', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 6 }), params, (covered, p) => {
        for (const i of covered) expect(componentId(i)).toBe(serializeItem(i));
        expect(signatureParamsValue(covered, p)).toBe(serializeInnerList([covered, p]));
      }),
      { numRuns: 500 },
    );
  });
});
