import type { AccessChange, Mechanism, Protection } from '../report/types.js';

/** What retrofit writes on one route so that it keeps its callers and states an explicit decision. */
export type Write =
  | { action: 'keep'; why?: string }
  | { action: 'skip'; reason: string }
  | { action: 'baseline'; why?: string }
  | { action: 'public'; why: string; ownCredential?: boolean }
  | { action: 'scope' }
  | { action: 'authenticated' };

export interface RouteDecision {
  write: Write;
  /** Access before, for the access table. */
  before: string;
  callers: NonNullable<AccessChange['callers']>;
}

export interface DecisionOptions {
  /** `--lock-down`: open routes that are not authentication entry points get scopes. */
  lockDown: boolean;
  /** `bastion.json` `tokensCarryScopes` (default true): false writes `@Authenticated()` where a scope would go. */
  tokensCarryScopes: boolean;
  /** `init`: the first decisions on an app with its own authentication (see {@link AdoptDecisions}). */
  adopt?: AdoptDecisions;
}

/**
 * How `init` decides, where retrofit would leave a route alone or scope it: every route gets a decision the
 * app boots with in strict mode. Entry points the app leaves open get `@Public()`; routes whose credential
 * Bastion does not verify (yet) keep their callers under a baseline marker, with the reason reported.
 */
export interface AdoptDecisions {
  /** Bastion verifies this mechanism's credential itself (the app's own tokens, wired as a local issuer). */
  verifies(m: Mechanism): boolean;
  /** Bastion runs this mechanism's passport strategy itself (`passportAuthenticator`): `@Authenticated()`, never a scope. */
  passport?(m: Mechanism): boolean;
}

/** Credentials Bastion verifies in the app's place (a bearer access token), so a scope can be required. */
const BEARER = new Set(['bearer', 'bastion']);

/** A credential kind in words (`an API key`), for messages. */
export function credentialText(c: string | undefined): string {
  const text: Record<string, string> = {
    bearer: 'a bearer token', password: 'a username and password', refresh: 'a refresh token', oauth: 'an OAuth/OIDC login',
    signature: 'a request signature', 'api-key': 'an API key (or basic credentials)', session: 'a session cookie', bastion: 'a Bastion credential',
  };
  return text[c ?? ''] ?? 'an unknown credential';
}

function describe(m: Mechanism): string {
  if (m.credential === 'bastion') return 'BastionModule (no decision: anonymous callers denied)';
  return m.level === 'global' ? m.name : `${m.name} (${m.level})`;
}

/** The app's mechanisms that authenticate the route (those a public marker makes skip it left out). */
export function authenticating(p: Protection): Mechanism[] {
  return p.app.mechanisms.filter((m) => m.verdict === 'authenticates' && !m.skippedBy);
}

/** How a route is reached today, in words for the access table. */
export function beforeText(p: Protection): string {
  const auth = authenticating(p);
  if (p.decision === 'baseline') return p.app.status === 'authenticated' ? `authenticated by ${auth.map(describe).join(', ')}; baseline marker` : 'open (baseline marker)';
  if (p.app.publicMarker && p.app.status === 'open') return `open (the app marks it public: ${p.app.publicMarker})`;
  if (p.app.status === 'authenticated') return `authenticated by ${auth.map(describe).join(', ')}`;
  if (p.app.status === 'unknown') return 'unknown';
  return 'open';
}

/**
 * Decides what retrofit writes on a route that has no Bastion decision yet (or only a baseline marker).
 * The contract: the same callers before and after (`--lock-down` excepted), and an explicit decision.
 */
export function decideRoute(p: Protection, options: DecisionOptions): RouteDecision {
  const before = beforeText(p);
  const auth = authenticating(p);
  const unchanged = (why: string): RouteDecision => ({ write: p.decision === 'baseline' ? { action: 'keep', why } : { action: 'baseline', why }, before, callers: 'same' });
  if (p.app.status === 'unknown') {
    const reason = `protection unknown (${p.source}); left as it is: decide by hand (@Public(), @Authenticated() or a scope)`;
    return options.adopt ? unchanged(reason) : { write: { action: 'skip', reason }, before, callers: 'same' };
  }
  if (p.app.status === 'authenticated') {
    // One mechanism only: a route needing two credentials would carry two, which Bastion refuses.
    if (options.adopt?.passport && !p.entryPoint && auth.length === 1 && options.adopt.passport(auth[0]!)) {
      return { write: { action: 'authenticated' }, before, callers: 'same' };
    }
    const bearer = auth.filter((m) => m.credential !== undefined && BEARER.has(m.credential));
    if (bearer.length > 0) {
      const adopt = options.adopt;
      if (adopt && !bearer.some((m) => m.credential === 'bastion' || adopt.verifies(m))) {
        return unchanged(`authenticated by ${bearer.map(describe).join(', ')} with tokens Bastion does not verify yet; the app's own check stays (configure the issuer, then run bastion retrofit)`);
      }
      return { write: options.tokensCarryScopes ? { action: 'scope' } : { action: 'authenticated' }, before, callers: options.tokensCarryScopes ? 'scoped' : 'same' };
    }
    // RFC 6750 §2.1: a refresh token sent as `Authorization: Bearer` looks like an access token to Bastion, which would refuse it.
    if (p.entryPoint) return { write: { action: 'public', why: entryWhy(p), ownCredential: auth.some((m) => m.readsAuthorization) }, before, callers: 'same' };
    const m = auth[0];
    const reason = `authenticated by ${m?.name ?? 'the app'} with ${credentialText(m?.credential)}, which Bastion does not verify; left as it is (@Public() would keep the app's check alone)`;
    return options.adopt ? unchanged(reason) : { write: { action: 'skip', reason }, before, callers: 'same' };
  }
  if (p.app.publicMarker) return { write: { action: 'public', why: `the app marks it public (${p.app.publicMarker})` }, before, callers: 'same' };
  if (p.entryPoint && (options.lockDown || options.adopt)) return { write: { action: 'public', why: entryWhy(p) }, before, callers: 'same' };
  if (options.lockDown) return { write: options.tokensCarryScopes ? { action: 'scope' } : { action: 'authenticated' }, before, callers: 'fewer' };
  if (p.decision === 'baseline') return { write: { action: 'keep' }, before, callers: 'same' };
  return { write: { action: 'baseline' }, before, callers: 'same' };
}

function entryWhy(p: Protection): string {
  const e = p.entryPoint!;
  return `${e.kind} entry point (${e.basis === 'code' ? 'from the code' : 'from its name'}: ${e.evidence[0] ?? ''})`;
}
