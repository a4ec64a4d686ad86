import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Authenticator, OpenApiScheme, Principal, RequestContext } from '../../src/index.js';
import { InvalidRequestException, InvalidTokenException } from '../../src/index.js';
import { recordSecret } from './secrets.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * A custom credential for tests: `X-Service-Key: <client id>.<secret>`, compared in constant time
 * against the configured keys. Each client gets the scopes given with its key.
 */
export class ServiceKeyAuthenticator implements Authenticator {
  readonly credential: string = 'service-key';
  private readonly keys = new Map<string, { secret: Buffer; scopes: string[] }>();

  /** Issues a key for `client` with `scopes`; returns the header value. */
  issue(client: string, scopes: string[] = []): string {
    const secret = recordSecret(randomBytes(24).toString('base64url'));
    this.keys.set(client, { secret: digest(secret), scopes });
    return recordSecret(`${client}.${secret}`);
  }

  openApiSchemes(): readonly OpenApiScheme[] {
    return [{ name: 'serviceKey', scoped: false, scheme: { type: 'apiKey', in: 'header', name: 'X-Service-Key' } }];
  }

  isPresented(ctx: RequestContext): boolean {
    return ctx.headerLines('x-service-key').length > 0;
  }

  async authenticate(ctx: RequestContext): Promise<Principal> {
    const lines = ctx.headerLines('x-service-key');
    if (lines.length !== 1) throw new InvalidRequestException('ERR_SERVICE_KEY_REPEATED');
    const dot = lines[0]!.indexOf('.');
    const client = lines[0]!.slice(0, dot);
    const known = dot > 0 ? this.keys.get(client) : undefined;
    if (!known || !timingSafeEqual(known.secret, digest(lines[0]!.slice(dot + 1)))) throw new InvalidTokenException('ERR_SERVICE_KEY_INVALID', undefined, { client: known ? client : undefined });
    return { subject: client, clientId: client, scopes: new Set(known.scopes), roles: new Set(), credential: this.credential, claims: {} };
  }
}
