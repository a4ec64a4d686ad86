import { describe, expect, it } from 'vitest';
import { resolveClient } from '../../src/net/forwarded.js';
import { TrustedProxies } from '../../src/net/trusted-proxies.js';
import { UntrustedForwardingWarning } from '../../src/net/untrusted-forwarding.js';
import { httpContextOf } from '../../src/contexts/http/http-context.js';
import { fakeContext } from '../support/request-context.js';

const loopback = new TrustedProxies();
const edge = new TrustedProxies(['loopback', '10.0.0.0/8']);

describe('resolveClient', () => {
  it('ignores X-Forwarded-For and X-Forwarded-Proto from an untrusted peer', () => {
    const client = resolveClient({ peer: '203.0.113.9', forwardedFor: ['1.1.1.1'], forwardedProto: ['https'] }, loopback);
    expect(client).toEqual({ ip: '203.0.113.9', protocol: 'http', host: undefined, peer: '203.0.113.9', viaTrustedProxy: false, forwardingHeaders: true });
  });

  it('treats a non-loopback test peer (127.0.0.2) as untrusted when only 127.0.0.1 is trusted', () => {
    const client = resolveClient({ peer: '::ffff:127.0.0.2', forwardedFor: ['9.9.9.9'] }, new TrustedProxies(['127.0.0.1']));
    expect(client.ip).toBe('127.0.0.2');
    expect(client.viaTrustedProxy).toBe(false);
  });

  it('uses the peer when a trusted peer sends no X-Forwarded-For (local traffic)', () => {
    expect(resolveClient({ peer: '127.0.0.1' }, loopback)).toMatchObject({ ip: '127.0.0.1', protocol: 'http', viaTrustedProxy: true });
  });

  it('takes the right-most untrusted hop, so a spoofed left part is ignored', () => {
    const client = resolveClient({ peer: '127.0.0.1', forwardedFor: ['6.6.6.6, 198.51.100.4, 10.0.0.5'] }, edge);
    expect(client.ip).toBe('198.51.100.4');
  });

  it('reads duplicated header lines in order as one list', () => {
    const client = resolveClient({ peer: '10.1.1.1', forwardedFor: ['6.6.6.6', '198.51.100.4', '10.0.0.5'] }, edge);
    expect(client.ip).toBe('198.51.100.4');
  });

  it('takes the left-most hop when every hop is trusted', () => {
    expect(resolveClient({ peer: '127.0.0.1', forwardedFor: ['10.0.0.9, 10.0.0.5'] }, edge).ip).toBe('10.0.0.9');
  });

  it('stops at a malformed hop and keeps the last address a trusted proxy vouched for', () => {
    expect(resolveClient({ peer: '127.0.0.1', forwardedFor: ['6.6.6.6, garbage, 10.0.0.5'] }, edge).ip).toBe('10.0.0.5');
    expect(resolveClient({ peer: '127.0.0.1', forwardedFor: ['unknown'] }, edge).ip).toBe('127.0.0.1');
  });

  it('canonicalises IPv4-mapped and bracketed forms', () => {
    expect(resolveClient({ peer: '::ffff:127.0.0.1', forwardedFor: ['[2001:DB8::7]:1234'] }, loopback).ip).toBe('2001:db8::7');
  });

  it('takes the protocol from a trusted proxy only', () => {
    expect(resolveClient({ peer: '127.0.0.1', forwardedProto: ['https'] }, loopback).protocol).toBe('https');
    expect(resolveClient({ peer: '127.0.0.1', forwardedProto: ['gopher'] }, loopback).protocol).toBe('http');
    expect(resolveClient({ peer: '127.0.0.1', encrypted: true }, loopback).protocol).toBe('https');
  });

  it('does not let a client-written X-Forwarded-Proto entry win over the proxy', () => {
    // The client sent "https"; the proxy appended what it saw ("http"). Counts differ from XFF hops → right-most.
    expect(resolveClient({ peer: '127.0.0.1', forwardedFor: ['198.51.100.4'], forwardedProto: ['https, http'] }, loopback).protocol).toBe('http');
  });

  it('pairs X-Forwarded-Proto entries with the chosen hop when both lists align', () => {
    const client = resolveClient({ peer: '127.0.0.1', forwardedFor: ['198.51.100.4, 10.0.0.5'], forwardedProto: ['https, http'] }, edge);
    expect(client).toMatchObject({ ip: '198.51.100.4', protocol: 'https' });
  });

  it('reports unknown when the socket has no address', () => {
    expect(resolveClient({ peer: undefined, forwardedFor: ['1.2.3.4'] }, loopback).ip).toBe('unknown');
  });
});

describe('httpContextOf (client resolution)', () => {
  it('reads raw header lines, so duplicated X-Forwarded-For headers are all seen in order', () => {
    const ctx = fakeContext({ rawHeaders: ['X-Forwarded-For', '6.6.6.6', 'x-forwarded-for', '198.51.100.4'] });
    expect(ctx.client.ip).toBe('198.51.100.4');
  });

  it('builds the context once per request and caches it on the raw request', () => {
    const raw = { headers: {}, rawHeaders: [], url: '/a?b=1', method: 'get', socket: { remoteAddress: '127.0.0.1' } };
    const settings = { trustedProxies: new TrustedProxies(), untrustedForwarding: new UntrustedForwardingWarning(() => undefined) };
    const first = httpContextOf(raw, settings);
    expect(httpContextOf({ raw }, settings)).toBe(first);
    expect(first).toMatchObject({ method: 'GET', path: '/a', target: '/a?b=1' });
  });

  it('falls back to parsed headers when raw ones are absent', () => {
    const raw = { headers: { 'x-forwarded-for': '192.0.2.2' }, url: '/', socket: { remoteAddress: '::1' } };
    const ctx = httpContextOf(raw, { trustedProxies: loopback, untrustedForwarding: new UntrustedForwardingWarning(() => undefined) });
    expect(ctx.client.ip).toBe('192.0.2.2');
  });
});
