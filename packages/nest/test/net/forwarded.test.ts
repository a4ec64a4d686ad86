import { describe, expect, it } from 'vitest';
import { clientAddressOf, trustedProxiesOf } from '../../src/net/client-address.js';
import { resolveClient } from '../../src/net/forwarded.js';
import { TrustedProxies } from '../../src/net/trusted-proxies.js';

const loopback = new TrustedProxies();
const edge = new TrustedProxies(['loopback', '10.0.0.0/8']);

describe('resolveClient', () => {
  it('ignores X-Forwarded-For and X-Forwarded-Proto from an untrusted peer', () => {
    const client = resolveClient({ peer: '203.0.113.9', forwardedFor: ['1.1.1.1'], forwardedProto: ['https'] }, loopback);
    expect(client).toEqual({ ip: '203.0.113.9', protocol: 'http', peer: '203.0.113.9', viaTrustedProxy: false });
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

describe('clientAddressOf', () => {
  it('reads raw header lines (Express) and caches the result on the request', () => {
    const req = {
      headers: { 'x-forwarded-for': '6.6.6.6, 198.51.100.4' },
      rawHeaders: ['X-Forwarded-For', '6.6.6.6', 'x-forwarded-for', '198.51.100.4'],
      socket: { remoteAddress: '127.0.0.1' },
    };
    const first = clientAddressOf(req, loopback);
    expect(first.ip).toBe('198.51.100.4');
    expect(clientAddressOf(req, new TrustedProxies([]))).toBe(first);
  });

  it('reads the raw request of Fastify', () => {
    const req = { headers: {}, raw: { socket: { remoteAddress: '127.0.0.1' }, rawHeaders: ['x-forwarded-for', '192.0.2.1'] } };
    expect(clientAddressOf(req, loopback).ip).toBe('192.0.2.1');
  });

  it('falls back to parsed headers when raw ones are absent', () => {
    const req = { headers: { 'x-forwarded-for': '192.0.2.2' }, socket: { remoteAddress: '::1' } };
    expect(clientAddressOf(req, loopback).ip).toBe('192.0.2.2');
  });
});

describe('trustedProxiesOf', () => {
  it('builds the list once per options object, loopback by default', () => {
    const options = {};
    expect(trustedProxiesOf(options)).toBe(trustedProxiesOf(options));
    expect(trustedProxiesOf(options).contains('127.0.0.1')).toBe(true);
    expect(trustedProxiesOf({ trustedProxies: [] }).contains('127.0.0.1')).toBe(false);
  });
});
