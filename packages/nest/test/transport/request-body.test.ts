import { describe, expect, it } from 'vitest';
import { InputRejected } from '../../src/transport/input-rejected.js';
import { hasDuplicateKeys } from '../../src/transport/json-duplicates.js';
import { assertJsonStructure } from '../../src/transport/json-structure.js';
import { parseRequestBody, type BodyPolicy } from '../../src/transport/request-body.js';

const POLICY: BodyPolicy = {
  contentTypes: ['application/json', 'application/x-www-form-urlencoded', 'application/octet-stream'],
  json: { maxDepth: 4, maxKeys: 10, maxArrayLength: 5 },
  form: { maxParameters: 10, maxDepth: 2, maxArrayLength: 5 },
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof InputRejected ? error.code : `not InputRejected: ${String(error)}`;
  }
}

const parse = (body: string | Buffer, contentType = 'application/json', contentEncoding?: string) =>
  parseRequestBody(Buffer.isBuffer(body) ? body : Buffer.from(body), { contentType, contentEncoding }, POLICY);

describe('parseRequestBody', () => {
  it('parses JSON objects and arrays, stripping a UTF-8 BOM', () => {
    expect(parse('{"a":[1,2]}')).toEqual({ a: [1, 2] });
    expect(parse('[1]')).toEqual([1]);
    expect(parse(Buffer.from('efbbbf7b7d', 'hex'))).toEqual({});
    expect(parse('{"a":1}', 'application/json; charset="UTF-8"')).toEqual({ a: 1 });
  });

  it.each([
    ['malformed', '{"a":'],
    ['empty', ''],
    ['top-level primitive', '42'],
    ['invalid UTF-8', Buffer.from('7b2273223a22ff227d', 'hex')],
    ['overlong UTF-8', Buffer.from('7b2273223a22c0af227d', 'hex')],
    ['duplicate key', '{"role":"user","role":"admin"}'],
    ['too deep', '[[[[[1]]]]]'],
    ['too many keys', `{${Array.from({ length: 11 }, (_, i) => `"k${i}":0`).join(',')}}`],
    ['array too long', '[1,2,3,4,5,6]'],
    ['__proto__', '{"__proto__":{"x":1}}'],
    ['nested constructor', '{"a":[{"constructor":{"prototype":{}}}]}'],
  ])('rejects %s with 400', (_name, body) => {
    expect(codeOf(() => parse(body))).toBe('ERR_BAD_REQUEST');
  });

  it.each([
    ['a type not allowed', 'text/plain', undefined],
    ['no type', undefined, undefined],
    ['an unparsable type', 'json', undefined],
    ['a non-UTF-8 charset', 'application/json; charset=utf-16', undefined],
    ['a content coding', 'application/json', 'gzip'],
  ])('rejects %s with 415', (_name, type, encoding) => {
    expect(codeOf(() => parseRequestBody(Buffer.from('{}'), { contentType: type, contentEncoding: encoding }, POLICY))).toBe('ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('parses forms with the query rules and passes other allowed types through raw', () => {
    expect({ ...(parse('a=1&a=2', 'application/x-www-form-urlencoded') as object) }).toEqual({ a: ['1', '2'] });
    expect(codeOf(() => parse('__proto__[x]=1', 'application/x-www-form-urlencoded'))).toBe('ERR_BAD_REQUEST');
    const raw = Buffer.from([0, 1, 2]);
    expect(parse(raw, 'application/octet-stream')).toBe(raw);
  });
});

describe('hasDuplicateKeys', () => {
  it.each([
    ['{"a":1,"a":2}', true],
    ['{"a":{"b":1,"b":2}}', true],
    ['{"a\\u0062":1,"ab":2}', true],
    ['[{"a":1},{"a":2}]', false],
    ['{"a":{"a":1}}', false],
    ['{"a":"b","b":"a"}', false],
    ['{"a":"x\\"a\\":1","b":2}', false],
    ['["a","a"]', false],
  ])('%s → %s', (text, expected) => {
    expect(hasDuplicateKeys(text)).toBe(expected);
  });
});

describe('assertJsonStructure', () => {
  it('survives hostile nesting without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(codeOf(() => assertJsonStructure(deep, { maxDepth: 32, maxKeys: 10, maxArrayLength: 10 }))).toBe('ERR_BAD_REQUEST');
  });
});
