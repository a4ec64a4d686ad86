import { describe, expect, it, vi } from 'vitest';
import { MALFORMED, parseForwarded } from '../../src/net/forwarded-header.js';
import { resolveClient } from '../../src/net/forwarded.js';
import { TrustedProxies } from '../../src/net/trusted-proxies.js';
import { UntrustedForwardingWarning } from '../../src/net/untrusted-forwarding.js';
import { fakeContext } from '../support/request-context.js';

const proxy = new TrustedProxies(['10.0.0.0/8']);

describe('parseForwarded (RFC 7239 §4)', () => {
  it('parses the examples of RFC 7239 §4', () => {
    expect(parseForwarded(['for="_gazonk"'])).toEqual([{ for: '_gazonk' }]);
    expect(parseForwarded(['For="[2001:db8:cafe::17]:4711"'])).toEqual([{ for: '[2001:db8:cafe::17]:4711' }]);
    expect(parseForwarded(['for=192.0.2.60;proto=http;by=203.0.113.43'])).toEqual([{ for: '192.0.2.60', proto: 'http', by: '203.0.113.43' }]);
    expect(parseForwarded(['for=192.0.2.43, for=198.51.100.17'])).toEqual([{ for: '192.0.2.43' }, { for: '198.51.100.17' }]);
  });

  it('joins repeated header lines in order (RFC 7239 §4: same as one comma-separated list)', () => {
    expect(parseForwarded(['for=192.0.2.43', 'for=198.51.100.17;proto=HTTPS'])).toEqual([{ for: '192.0.2.43' }, { for: '198.51.100.17', proto: 'https' }]);
  });

  it('keeps separators and escapes inside quoted strings', () => {
    expect(parseForwarded(['for="[2001:db8::1]:80";host="a,b;c.example"'])).toEqual([{ for: '[2001:db8::1]:80', host: 'a,b;c.example' }]);
    expect(parseForwarded(['for="\\"x\\""'])).toEqual([{ for: '"x"' }]);
  });

  it('marks an element that breaks the grammar or repeats a parameter, in place', () => {
    expect(parseForwarded(['for=1.2.3.4;for=5.6.7.8, for=9.9.9.9'])).toEqual([MALFORMED, { for: '9.9.9.9' }]);
    expect(parseForwarded(['for=[::1]'])).toEqual([MALFORMED]); // RFC 7239 §6: IPv6 must be quoted
    expect(parseForwarded(['for="unterminated'])).toEqual([MALFORMED]);
    expect(parseForwarded(['=x'])).toEqual([MALFORMED]);
  });

  it('ignores unknown parameters and empty elements', () => {
    expect(parseForwarded(['for=192.0.2.1;secret=abc, ,'])).toEqual([{ for: '192.0.2.1' }]);
  });
});

describe('resolveClient with Forwarded', () => {
  it('takes the right-most untrusted hop, quoted IPv6 with a port canonicalised', () => {
    const client = resolveClient({ peer: '10.0.0.1', forwarded: ['for=6.6.6.6, for="[2001:DB8:cafe::17]:4711", for=10.0.0.7'] }, proxy);
    expect(client).toMatchObject({ ip: '2001:db8:cafe::17', viaTrustedProxy: true, forwardingHeaders: true });
  });

  it('takes proto and host from the element of the chosen hop', () => {
    const client = resolveClient({ peer: '10.0.0.1', forwarded: ['for=192.0.2.60;proto=https;host=api.example.com, for=10.0.0.7;proto=http;host=internal'] }, proxy);
    expect(client).toMatchObject({ ip: '192.0.2.60', protocol: 'https', host: 'api.example.com' });
  });

  it('never turns "unknown" or an obfuscated identifier into an address: the walk stops at the proxy that wrote it', () => {
    expect(resolveClient({ peer: '10.0.0.1', forwarded: ['for=unknown'] }, proxy).ip).toBe('10.0.0.1');
    expect(resolveClient({ peer: '10.0.0.1', forwarded: ['for=192.0.2.1, for=_hidden, for=10.0.0.7'] }, proxy).ip).toBe('10.0.0.7');
    expect(resolveClient({ peer: '10.0.0.1', forwarded: ['for=192.0.2.1;for=x'] }, proxy).ip).toBe('10.0.0.1');
  });

  it('takes the nearest proxy protocol when the element has no for=', () => {
    expect(resolveClient({ peer: '10.0.0.1', forwarded: ['proto=https'] }, proxy)).toMatchObject({ ip: '10.0.0.1', protocol: 'https' });
  });

  it('ignores Forwarded from an untrusted peer', () => {
    expect(resolveClient({ peer: '203.0.113.9', forwarded: ['for=1.1.1.1;proto=https;host=evil.example'], host: 'api.example.com' }, proxy)).toEqual({
      ip: '203.0.113.9',
      protocol: 'http',
      host: 'api.example.com',
      peer: '203.0.113.9',
      viaTrustedProxy: false,
      forwardingHeaders: true,
    });
  });

  it('prefers X-Forwarded-* when a request carries both (most proxies pass a client-written Forwarded through)', () => {
    const client = resolveClient({ peer: '10.0.0.1', forwarded: ['for=6.6.6.6;proto=https'], forwardedFor: ['198.51.100.4'], forwardedProto: ['http'] }, proxy);
    expect(client).toMatchObject({ ip: '198.51.100.4', protocol: 'http' });
  });

  it('reads X-Forwarded-Host like X-Forwarded-Proto, and the Host header otherwise', () => {
    expect(resolveClient({ peer: '10.0.0.1', forwardedFor: ['198.51.100.4'], forwardedHost: ['API.Example.com:8443'], host: 'internal:3000' }, proxy).host).toBe('api.example.com:8443');
    expect(resolveClient({ peer: '10.0.0.1', host: 'internal:3000' }, proxy).host).toBe('internal:3000');
    expect(resolveClient({ peer: '10.0.0.1', forwardedHost: ['bad host/x'], host: 'internal' }, proxy).host).toBe('internal');
  });
});

describe('the warning about forwarding headers from untrusted peers', () => {
  it('is logged once, names the peer and the option, and never a header value', () => {
    const warn = vi.fn();
    const untrustedForwarding = new UntrustedForwardingWarning(warn);
    fakeContext({ peer: '203.0.113.9', rawHeaders: ['X-Forwarded-For', '6.6.6.6-secret-marker'], untrustedForwarding });
    fakeContext({ peer: '203.0.113.9', rawHeaders: ['Forwarded', 'for=6.6.6.6'], untrustedForwarding });
    fakeContext({ peer: '203.0.113.10', rawHeaders: [], untrustedForwarding });
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]![0]);
    expect(message).toContain('203.0.113.9');
    expect(message).toContain('trustedProxies');
    expect(message).not.toContain('6.6.6.6');
  });

  it('is not logged for a trusted proxy or a request without forwarding headers', () => {
    const warn = vi.fn();
    const untrustedForwarding = new UntrustedForwardingWarning(warn);
    fakeContext({ peer: '127.0.0.1', rawHeaders: ['X-Forwarded-For', '192.0.2.1'], untrustedForwarding });
    fakeContext({ peer: '203.0.113.9', rawHeaders: ['Host', 'x'], untrustedForwarding });
    expect(warn).not.toHaveBeenCalled();
  });
});
