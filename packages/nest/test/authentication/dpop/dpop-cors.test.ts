import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/options/resolve-config.js';

const jwt = { issuer: 'https://id.example.com', audience: 'api', jwksUri: 'https://id.example.com/jwks' };

describe('CORS with DPoP configured (RFC 9449 §4.1, §8)', () => {
  it('allows the DPoP header and exposes DPoP-Nonce and WWW-Authenticate, on the defaults', () => {
    const cors = resolveConfig({ jwt, dpop: {}, cors: { origins: ['https://app.example.com'] } }).transport.cors!;
    expect(cors.allowedHeaders).toEqual(['Authorization', 'Content-Type', 'X-Request-Id', 'DPoP']);
    expect(cors.exposedHeaders).toEqual(['X-Request-Id', 'Retry-After', 'RateLimit', 'RateLimit-Policy', 'DPoP-Nonce', 'WWW-Authenticate']);
  });

  it('adds them to configured lists once, whatever their case, and leaves everything else as configured', () => {
    const cors = resolveConfig({ jwt, dpop: {}, cors: { origins: ['https://app.example.com'], allowedHeaders: ['authorization', 'dpop'], exposedHeaders: [] } }).transport.cors!;
    expect(cors.allowedHeaders).toEqual(['authorization', 'dpop']);
    expect(cors.exposedHeaders).toEqual(['DPoP-Nonce', 'WWW-Authenticate']);
    expect(cors.origins).toEqual(['https://app.example.com']);
  });

  it('changes nothing without dpop, and sends no CORS at all without cors', () => {
    expect(resolveConfig({ jwt, cors: { origins: ['https://app.example.com'] } }).transport.cors!.allowedHeaders).toEqual(['Authorization', 'Content-Type', 'X-Request-Id']);
    expect(resolveConfig({ jwt, dpop: {} }).transport.cors).toBeUndefined();
  });
});
