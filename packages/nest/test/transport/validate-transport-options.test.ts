import { describe, expect, it } from 'vitest';
import { BastionConfigError, BastionModule } from '../../src/index.js';
import { validateTransportOptions } from '../../src/transport/validate-transport-options.js';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BastionConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a BastionConfigError');
}

describe('transport options at boot', () => {
  it('refuses a CORS wildcard with credentials, naming the option', () => {
    expect(messageOf(() => BastionModule.forRoot({ cors: { origins: ['*'], credentials: true } }))).toMatch(/"cors\.credentials"/);
  });

  it.each([
    [{ cors: { origins: [] } }, 'cors.origins'],
    [{ cors: { origins: ['app.example.com'] } }, 'cors.origins[0]'],
    [{ cors: { origins: ['https://a.example', 'https://x.example/path'] } }, 'cors.origins[1]'],
    [{ cors: { origins: ['https://a.example'], maxAge: -1 } }, 'cors.maxAge'],
    [{ https: { redirectTo: 'http://api.example.com' } }, 'https.redirectTo'],
    [{ https: { enforce: 'yes' } }, 'https.enforce'],
    [{ limits: { bodyBytes: 0 } }, 'limits.bodyBytes'],
    [{ timeouts: { request: Number.NaN } }, 'timeouts.request'],
    [{ contentTypes: [''] }, 'contentTypes'],
    [{ headers: { 'X-Frame-Options': 1 } }, 'headers.X-Frame-Options'],
    [{ headers: { 'X-Frame-Options': 'DENY\r\nSet-Cookie: session=attacker' } }, 'headers.X-Frame-Options'],
    [{ headers: { 'Content-Security-Policy': "default-src 'none'\u0000" } }, 'headers.Content-Security-Policy'],
    [{ headers: { 'Report To': 'x' } }, 'headers.Report To'],
    [{ headers: { 'X-Note': 'caf\u20ac' } }, 'headers.X-Note'],
    [{ validation: { enabled: 'no' } }, 'validation.enabled'],
  ])('refuses %j naming %s', (options, path) => {
    expect(messageOf(() => validateTransportOptions(options as never))).toContain(`"${path}"`);
  });

  it('refuses a security header value that would split the response, at boot', () => {
    expect(messageOf(() => BastionModule.forRoot({ headers: { 'Referrer-Policy': 'no-referrer\r\nX-Injected: 1' } }))).toMatch(/"headers\.Referrer-Policy"/);
  });

  it('accepts header values with tabs and obs-text, and removals', () => {
    expect(() => validateTransportOptions({ headers: { 'Content-Security-Policy': "default-src 'none';\tframe-ancestors 'none'", 'X-Note': 'caf\u00e9', 'X-Frame-Options': false } })).not.toThrow();
  });

  it('accepts explicit origins with credentials, patterns and RegExps', () => {
    expect(() => validateTransportOptions({ cors: { origins: ['https://app.example.com', 'https://*.example.org', /^https:\/\/x\.test$/], credentials: true } })).not.toThrow();
  });
});
