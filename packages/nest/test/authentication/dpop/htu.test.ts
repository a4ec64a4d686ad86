import { describe, expect, it } from 'vitest';
import { normalizeHtu, requestHtus } from '../../../src/authentication/dpop/htu.js';

describe('htu normalisation (RFC 9449 §4.3, RFC 3986 §6.2.2–6.2.3)', () => {
  it.each([
    ['HTTPS://API.Example.COM/orders', 'https://api.example.com/orders'],
    ['https://api.example.com:443/orders', 'https://api.example.com/orders'],
    ['http://api.example.com:80/orders', 'http://api.example.com/orders'],
    ['https://api.example.com:8443/orders', 'https://api.example.com:8443/orders'],
    ['https://api.example.com', 'https://api.example.com/'],
    ['https://api.example.com/a/./b/../orders', 'https://api.example.com/a/orders'],
    ['https://api.example.com/%7Euser/%6frders', 'https://api.example.com/~user/orders'],
    ['https://api.example.com/a%2fb', 'https://api.example.com/a%2Fb'],
    ['https://api.example.com/orders?page=2#top', 'https://api.example.com/orders'],
    ['https://[::1]:443/x', 'https://[::1]/x'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeHtu(input)).toBe(expected);
  });

  it.each(['/orders', 'ftp://api.example.com/x', 'https://user:pw@api.example.com/x', 'not a url', `https://a.example/${'x'.repeat(9000)}`])(
    'refuses %s',
    (input) => {
      expect(normalizeHtu(input)).toBeUndefined();
    },
  );

  it('builds the request URIs from each origin and the path, without the query', () => {
    expect(requestHtus(['https://api.example.com', 'http://127.0.0.1:3000'], '/orders/%7e1?x=1')).toEqual(['https://api.example.com/orders/~1', 'http://127.0.0.1:3000/orders/~1']);
    expect(requestHtus(['https://api.example.com'], 'https://other.example/orders?x')).toEqual(['https://api.example.com/orders']);
    expect(requestHtus(['https://api.example.com'], '*')).toEqual([]);
  });
});
