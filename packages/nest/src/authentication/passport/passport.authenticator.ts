import type { Authenticator } from '../../core/authenticator.js';
import type { Principal } from '../../core/principal.js';
import type { RequestContext } from '../../core/request-context.js';
import { InvalidTokenException } from '../../errors/bastion.exception.js';
import { registeredPassportStrategy, type PassportStrategyLike } from '../../nest-internals.js';
import type { OpenApiScheme } from '../../openapi/security-requirements.js';
import { assertCredentialName } from '../authenticator-entries.js';
import { defaultPassportPrincipal } from './passport-principal.js';
import { presenceTest, type PassportPresence } from './passport-presence.js';

/** Options of {@link passportAuthenticator}. */
export interface PassportAuthenticatorOptions {
  /** Credential type of the principals it authenticates (what boundaries `accept`). Default: the strategy name. */
  credential?: string;
  /**
   * When a request carries this credential. Defaults by strategy name: `local` → the body has a
   * `username` or `password` field; `jwt`, `bearer` → `Authorization: Bearer`; `basic` →
   * `Authorization: Basic`. Required for any other strategy (e.g. `{ header: 'x-api-key' }` for
   * `passport-headerapikey`), since only you know where its credential travels.
   */
  isPresented?: PassportPresence;
  /**
   * Maps the strategy's `user` (and `info`) to the principal. Default: {@link defaultPassportPrincipal}
   * (`sub`/`id`/`userId`/`username` as subject, `scopes`/`scope`, `roles`/`role`, `clientId`; no other field copied).
   */
  toPrincipal?: (user: unknown, info: unknown, ctx: RequestContext) => Principal | undefined | Promise<Principal | undefined>;
  /** Second argument of the strategy's `authenticate(req, options)`. Default `{ session: false }`. */
  strategyOptions?: Record<string, unknown>;
  /**
   * How the OpenAPI document describes the credential (what `DescribesOpenApi.openApiSchemes()` returns).
   * Default: none (the credential is named under the operation's `x-bastion.credentials`).
   */
  openApiSchemes?: readonly OpenApiScheme[];
  /** The Passport instance strategies are registered with. Default: the `passport` package's default instance. */
  passport?: object;
}

/** How one run of a strategy ended (Passport's augmented `success`/`fail`/`error`/`pass`/`redirect`). */
type Outcome =
  | { kind: 'success'; user: unknown; info: unknown }
  | { kind: 'fail'; challenge: unknown }
  | { kind: 'error'; error: unknown }
  | { kind: 'pass' }
  | { kind: 'redirect' };

const MAX_MESSAGE = 120;
const PASSPORT = 'passport';

/** A strategy's failure message, for the audit event: printable and short (redaction still applies). */
function messageOf(challenge: unknown): string | undefined {
  const text = typeof challenge === 'string' ? challenge : (challenge as { message?: unknown } | undefined)?.message;
  return typeof text === 'string' ? text.replace(/[^\x20-\x7e]/g, '').slice(0, MAX_MESSAGE) : undefined;
}

function statusOf(error: unknown): number | undefined {
  const e = error as { getStatus?: () => unknown; status?: unknown } | undefined;
  const status = typeof e?.getStatus === 'function' ? e.getStatus() : e?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * A Bastion credential backed by a Passport strategy the app already has — `passport-local`,
 * `passport-headerapikey`, an existing `PassportStrategy(JwtStrategy)` — so it keeps its Passport code
 * and gains deny-by-default, boundaries, scopes, policies, throttling and audit events on top.
 *
 * Each request runs the strategy on an object derived from it whose `success`/`fail`/`error`/`pass`/
 * `redirect` settle that request only (no Passport middleware, no session). Anything but `success`
 * is the uniform 401; the audit event says why (`ERR_PASSPORT_FAILED` with the strategy's message,
 * `ERR_PASSPORT_REJECTED` when `validate()` threw a 401/403, `ERR_AUTHENTICATOR_FAILED` for other
 * errors, `ERR_PASSPORT_PASS`, `ERR_PASSPORT_REDIRECT`, `ERR_PRINCIPAL_UNMAPPED`). `passport` and
 * `@nestjs/passport` are needed only when you use this.
 *
 * @example
 * ```ts
 * // providers: [LocalStrategy]  (class LocalStrategy extends PassportStrategy(Strategy) { validate(u, p) { … } })
 * BastionModule.forRoot({
 *   authenticators: [passportAuthenticator('local', { toPrincipal: (user) => ({ subject: user.id, scopes: new Set(user.scopes), roles: new Set(), credential: 'local', claims: {} }) })],
 *   boundaries: { login: { accept: ['local'] } },
 * });
 * ```
 */
export function passportAuthenticator(strategy: string | PassportStrategyLike, options: PassportAuthenticatorOptions = {}): Authenticator {
  const strategyName = typeof strategy === 'string' ? strategy : (strategy.name ?? '');
  const label = `passportAuthenticator(${JSON.stringify(strategyName)})`;
  const credential = options.credential ?? strategyName;
  assertCredentialName(credential, `${label}.credential`);
  const isPresented = presenceTest(options.isPresented, strategyName, `${label}.isPresented`);
  const strategyOptions = options.strategyOptions ?? { session: false };
  let resolved: PassportStrategyLike | undefined = typeof strategy === 'string' ? undefined : strategy;

  const strategyOf = async (): Promise<PassportStrategyLike | undefined> => {
    if (resolved) return resolved;
    // An optional peer, loaded on first use; a variable specifier keeps it out of the type check.
    const passport = options.passport ?? ((await import(PASSPORT)) as { default?: object }).default;
    resolved = passport ? registeredPassportStrategy(passport, strategyName) : undefined;
    return resolved;
  };

  const run = (instance: PassportStrategyLike, ctx: RequestContext): Promise<Outcome> =>
    new Promise<Outcome>((resolve) => {
      const attempt = Object.create(instance) as PassportStrategyLike & Record<string, unknown>;
      attempt['success'] = (user: unknown, info: unknown) => resolve({ kind: 'success', user, info });
      attempt['fail'] = (challenge: unknown) => resolve({ kind: 'fail', challenge });
      attempt['error'] = (error: unknown) => resolve({ kind: 'error', error });
      attempt['pass'] = () => resolve({ kind: 'pass' });
      attempt['redirect'] = () => resolve({ kind: 'redirect' });
      try {
        attempt.authenticate(ctx.request, strategyOptions);
      } catch (error) {
        resolve({ kind: 'error', error });
      }
    });

  return {
    credential,
    ...(options.openApiSchemes ? { openApiSchemes: () => options.openApiSchemes! } : {}),
    isPresented,
    async authenticate(ctx: RequestContext): Promise<Principal> {
      const instance = await strategyOf();
      if (!instance) throw new InvalidTokenException('ERR_PASSPORT_STRATEGY_MISSING', undefined, { strategy: strategyName });
      const outcome = await run(instance, ctx);
      switch (outcome.kind) {
        case 'success': {
          const principal = await (options.toPrincipal ? options.toPrincipal(outcome.user, outcome.info, ctx) : defaultPassportPrincipal(outcome.user, credential));
          if (!principal || typeof principal.subject !== 'string' || principal.subject === '') {
            throw new InvalidTokenException('ERR_PRINCIPAL_UNMAPPED', undefined, { strategy: strategyName });
          }
          return principal.credential === credential ? principal : { ...principal, credential };
        }
        case 'fail':
          throw new InvalidTokenException('ERR_PASSPORT_FAILED', undefined, { strategy: strategyName, message: messageOf(outcome.challenge) });
        case 'error': {
          const status = statusOf(outcome.error);
          const reason = status === 401 || status === 403 ? 'ERR_PASSPORT_REJECTED' : 'ERR_AUTHENTICATOR_FAILED';
          throw new InvalidTokenException(reason, outcome.error, { strategy: strategyName, error: (outcome.error as Error | undefined)?.name });
        }
        case 'pass':
          throw new InvalidTokenException('ERR_PASSPORT_PASS', undefined, { strategy: strategyName });
        default:
          throw new InvalidTokenException('ERR_PASSPORT_REDIRECT', undefined, { strategy: strategyName });
      }
    },
  };
}
