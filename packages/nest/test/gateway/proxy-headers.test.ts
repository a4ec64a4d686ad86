import { describe, expect, it } from 'vitest';
import { callerResponseHeaders, forwardedFor, upstreamRequestHeaders } from '../../src/gateway/proxy-headers.js';
import type { ClientAddress } from '../../src/net/forwarded.js';

const client: ClientAddress = { ip: '203.0.113.7', protocol: 'https', host: 'api.example.com', peer: '10.0.0.1', viaTrustedProxy: true, forwardingHeaders: true };

describe('upstreamRequestHeaders', () => {
  it('drops hop-by-hop fields, those Connection names, credentials and forwarding claims; adds its own', () => {
    const out = upstreamRequestHeaders(
      {
        connection: 'close, X-Secret',
        'x-secret': '1',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        te: 'trailers',
        upgrade: 'websocket',
        'proxy-authorization': 'Basic x',
        authorization: 'Bearer user',
        cookie: 'a=b',
        dpop: 'proof',
        'x-api-key': 'k',
        signature: 's',
        'signature-input': 'i',
        'client-cert': ':c:',
        'x-custom-key': 'k2',
        forwarded: 'for=6.6.6.6',
        'x-forwarded-for': '6.6.6.6',
        'x-request-id': 'spoof',
        host: 'gateway',
        accept: 'application/json',
      },
      'req-1',
      client,
      new Set(['x-custom-key']),
    );
    expect(out).toEqual({ accept: 'application/json', 'x-request-id': 'req-1', forwarded: 'for=203.0.113.7;proto=https;host=api.example.com' });
  });

  it('RFC 7239 §6: brackets and quotes an IPv6 node, quotes a host with a port', () => {
    expect(forwardedFor({ ...client, ip: '2001:db8::1', host: 'api.example.com:8443', protocol: 'http' })).toBe('for="[2001:db8::1]";proto=http;host="api.example.com:8443"');
  });
});

describe('callerResponseHeaders', () => {
  const upstream = { 'content-type': 'application/json', 'set-cookie': ['a=1'], server: 'x', 'x-powered-by': 'y', connection: 'x-hop', 'x-hop': '1', 'transfer-encoding': 'chunked', 'x-frame-options': 'ALLOWALL', etag: '"1"' };

  it("keeps end-to-end fields, drops hop-by-hop, fingerprints, Set-Cookie and the gateway's own", () => {
    expect(callerResponseHeaders(upstream, (n) => n === 'x-frame-options', false)).toEqual({ 'content-type': 'application/json', etag: '"1"' });
  });

  it('passes Set-Cookie only when allowed', () => {
    expect(callerResponseHeaders(upstream, () => false, true)['set-cookie']).toEqual(['a=1']);
  });
});
