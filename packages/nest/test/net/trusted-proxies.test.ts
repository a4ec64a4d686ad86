import { describe, expect, it } from 'vitest';
import { parseIp } from '../../src/net/ip-address.js';
import { InvalidProxyRangeError, TrustedProxies } from '../../src/net/trusted-proxies.js';

describe('parseIp', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4', 'ipv4'],
    [' 10.0.0.1 ', '10.0.0.1', 'ipv4'],
    ['10.0.0.1:8080', '10.0.0.1', 'ipv4'],
    ['::ffff:127.0.0.1', '127.0.0.1', 'ipv4'],
    ['::FFFF:10.1.2.3', '10.1.2.3', 'ipv4'],
    ['2001:DB8::1', '2001:db8::1', 'ipv6'],
    ['[2001:db8::1]:443', '2001:db8::1', 'ipv6'],
    ['fe80::1%eth0', 'fe80::1', 'ipv6'],
  ])('%s → %s', (input, address, family) => {
    expect(parseIp(input)).toEqual({ address, family });
  });

  it.each(['', 'unknown', '_hidden', '1.2.3', '999.1.1.1', 'evil, 1.2.3.4', '[::1', 'a'.repeat(100), undefined])('rejects %j', (input) => {
    expect(parseIp(input as string)).toBeUndefined();
  });
});

describe('TrustedProxies', () => {
  it('trusts the host proxy (127.0.0.1, ::1) by default, in every form, and nothing else', () => {
    const trusted = new TrustedProxies();
    for (const a of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(trusted.contains(a)).toBe(true);
    // Other loopback addresses are ordinary peers unless `loopback` is named.
    for (const a of ['127.0.0.2', '127.1.2.3', '10.0.0.1', '192.168.1.1', '::2', 'localhost', undefined]) expect(trusted.contains(a)).toBe(false);
    expect(new TrustedProxies(['loopback']).contains('127.0.0.2')).toBe(true);
  });

  it('accepts addresses, CIDR ranges and range names', () => {
    const trusted = new TrustedProxies(['10.0.0.0/8', '2001:db8::/32', '192.0.2.7', 'uniquelocal']);
    expect(trusted.contains('10.200.3.4')).toBe(true);
    expect(trusted.contains('2001:db8:1::5')).toBe(true);
    expect(trusted.contains('192.0.2.7')).toBe(true);
    expect(trusted.contains('192.0.2.8')).toBe(false);
    expect(trusted.contains('172.20.0.1')).toBe(true);
    expect(trusted.contains('127.0.0.1')).toBe(false);
  });

  it('narrows to exactly one address with a /32', () => {
    const trusted = new TrustedProxies(['127.0.0.1/32']);
    expect(trusted.contains('127.0.0.1')).toBe(true);
    expect(trusted.contains('127.0.0.2')).toBe(false);
  });

  it('trusts no one with an empty list', () => {
    expect(new TrustedProxies([]).contains('127.0.0.1')).toBe(false);
  });

  it.each([['10.0.0.0/33'], ['10.0.0.0/-1'], ['10.0.0.0/8x'], ['::1/129'], ['example.com'], ['*'], [42]])('refuses %j naming the entry', (entry) => {
    expect(() => new TrustedProxies(['loopback', entry as string])).toThrow(InvalidProxyRangeError);
    try {
      new TrustedProxies(['loopback', entry as string]);
    } catch (error) {
      expect((error as InvalidProxyRangeError).index).toBe(1);
    }
  });
});
