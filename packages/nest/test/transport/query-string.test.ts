import { describe, expect, it } from 'vitest';
import { InputRejected } from '../../src/transport/input-rejected.js';
import { keySegments, parseQueryString, rawQueryOf } from '../../src/transport/query-string.js';

const LIMITS = { maxParameters: 5, maxDepth: 2, maxArrayLength: 3 };

function rejection(raw: string): string | undefined {
  try {
    parseQueryString(raw, LIMITS);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(InputRejected);
    return (error as InputRejected).code;
  }
}

describe('parseQueryString', () => {
  it('parses flat, decodes + and percent-escapes, collects repeats into arrays', () => {
    const q = parseQueryString('a=1&b=x+y&b=%C3%A9&c&a%5Bb%5D=2', LIMITS);
    expect({ ...q }).toEqual({ a: '1', b: ['x y', 'é'], c: '', 'a[b]': '2' });
    expect(Object.getPrototypeOf(q)).toBeNull();
  });

  it('returns an empty object for no query (Express passes null)', () => {
    expect(Object.keys(parseQueryString('', LIMITS))).toEqual([]);
    expect(Object.keys(parseQueryString(null, LIMITS))).toEqual([]);
  });

  it.each(['__proto__=1', 'a[__proto__]=1', 'constructor[prototype][x]=1', 'a.prototype=1', '__proto__.x=1', '%5F%5Fproto%5F%5F=1'])('rejects prototype key %s', (raw) => {
    expect(rejection(raw)).toBe('ERR_BAD_REQUEST');
  });

  it('rejects malformed percent-encoding instead of throwing URIError', () => {
    expect(rejection('a=%E0%A4%A')).toBe('ERR_BAD_REQUEST');
    expect(rejection('%=1')).toBe('ERR_BAD_REQUEST');
  });

  it('enforces parameter count, nesting depth and array length', () => {
    expect(rejection('a=1&b=1&c=1&d=1&e=1')).toBeUndefined();
    expect(rejection('a=1&b=1&c=1&d=1&e=1&f=1')).toBe('ERR_BAD_REQUEST');
    expect(rejection('a[b][c]=1')).toBeUndefined();
    expect(rejection('a[b][c][d]=1')).toBe('ERR_BAD_REQUEST');
    expect(rejection('x=1&x=2&x=3')).toBeUndefined();
    expect(rejection('x=1&x=2&x=3&x=4')).toBe('ERR_BAD_REQUEST');
  });

  it('splits names as nested parsers would', () => {
    expect(keySegments('a[b][c]')).toEqual(['a', 'b', 'c']);
    expect(keySegments('a.b[c]')).toEqual(['a', 'b', 'c']);
    expect(keySegments('ids[]')).toEqual(['ids']);
  });

  it('extracts the query of a request target', () => {
    expect(rawQueryOf('/a?b=1#frag')).toBe('b=1');
    expect(rawQueryOf('/a')).toBe('');
    expect(rawQueryOf(undefined)).toBe('');
  });
});
