import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Options of {@link TestIssuer.opaqueToken}. */
export interface TestOpaqueTokenOptions {
  /** Lifetime in seconds from now. Default 300. Ignored when `claims.exp` is given. */
  expiresIn?: number;
  /** Text the token starts with (for `introspection.tokenPrefix`). Default none. */
  prefix?: string;
}

/** The RFC 7662 answer the test endpoint gives: a status and a JSON body. */
export interface IntrospectionAnswer {
  status: number;
  body: Record<string, unknown>;
}

const MAX_BODY = 64 * 1024;

function equalSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) req.destroy();
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/**
 * The opaque-token half of a test issuer: random tokens remembered with their claims, and an RFC 7662
 * introspection endpoint that authenticates its caller (`client_secret_basic` or `client_secret_post`),
 * answers `active: false` for unknown, expired or revoked tokens, and counts its calls.
 */
export class TestIntrospection {
  /** Client id the endpoint accepts. */
  readonly clientId = 'bastion-test-resource-server';
  /** Client secret the endpoint accepts (random per issuer). */
  readonly clientSecret = randomBytes(24).toString('base64url');
  /** Introspection requests served (including refused and failed ones). */
  requests = 0;
  private readonly tokens = new Map<string, { claims: Record<string, unknown>; revoked: boolean }>();

  constructor(private readonly defaults: () => Record<string, unknown>) {}

  /** Issues an opaque token carrying `claims` (plus the issuer's defaults); a claim set to `undefined` is left out. */
  issue(claims: Record<string, unknown>, options: TestOpaqueTokenOptions): string {
    const now = Math.floor(Date.now() / 1000);
    const all: Record<string, unknown> = { ...this.defaults(), sub: 'test-user', iat: now, exp: now + (options.expiresIn ?? 300), jti: randomUUID(), ...claims };
    for (const [name, value] of Object.entries(all)) if (value === undefined) delete all[name];
    const token = `${options.prefix ?? ''}${randomBytes(32).toString('base64url')}`;
    this.tokens.set(token, { claims: all, revoked: false });
    return token;
  }

  /** Revokes an opaque token: the endpoint answers `active: false` for it from now on. */
  revoke(token: string): void {
    const entry = this.tokens.get(token);
    if (entry) entry.revoked = true;
  }

  /** Reads and answers one introspection request (RFC 7662 §2.1–§2.3). */
  async answer(req: IncomingMessage): Promise<IntrospectionAnswer> {
    this.requests++;
    if (req.method !== 'POST') return { status: 405, body: { error: 'invalid_request' } };
    const form = new URLSearchParams(await readBody(req));
    if (!this.authenticated(req, form)) return { status: 401, body: { error: 'invalid_client' } };
    const token = form.get('token');
    if (!token) return { status: 400, body: { error: 'invalid_request' } };
    const entry = this.tokens.get(token);
    const now = Math.floor(Date.now() / 1000);
    if (!entry || entry.revoked || (typeof entry.claims.exp === 'number' && entry.claims.exp <= now)) return { status: 200, body: { active: false } };
    // RFC 9449 §6.2: a DPoP-bound token (`cnf.jkt`) is reported as `token_type: DPoP`; a claim given wins.
    const jkt = (entry.claims.cnf as { jkt?: unknown } | undefined)?.jkt;
    return { status: 200, body: { active: true, token_type: jkt === undefined ? 'Bearer' : 'DPoP', ...entry.claims } };
  }

  private authenticated(req: IncomingMessage, form: URLSearchParams): boolean {
    const header = req.headers.authorization;
    if (header?.toLowerCase().startsWith('basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon === -1) return false;
      const id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      const secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
      return id === this.clientId && equalSecret(secret, this.clientSecret);
    }
    return form.get('client_id') === this.clientId && equalSecret(form.get('client_secret') ?? '', this.clientSecret);
  }
}
