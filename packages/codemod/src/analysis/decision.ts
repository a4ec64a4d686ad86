import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from '../project/workspace.js';
import type { AccessChange, Mechanism, Protection } from '../report/types.js';

/** What retrofit writes on one route so that it keeps its callers and states an explicit decision. */
export type Write =
  | { action: 'keep' }
  | { action: 'skip'; reason: string }
  | { action: 'baseline' }
  | { action: 'public'; why: string }
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
}

/** Credentials Bastion verifies in the app's place (a bearer access token), so a scope can be required. */
const BEARER = new Set(['bearer', 'bastion']);

/**
 * `tokensCarryScopes` from `bastion.json`: the parsed configuration when the reader knows the key, else the raw
 * file. Anything but an explicit `false` means the app's tokens carry scopes.
 */
export function tokensCarryScopes(ws: Pick<Workspace, 'config' | 'info'>): boolean {
  const parsed = (ws.config as unknown as Record<string, unknown>).tokensCarryScopes;
  if (typeof parsed === 'boolean') return parsed;
  const file = join(ws.info.root, 'bastion.json');
  if (!existsSync(file)) return true;
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    return raw.tokensCarryScopes !== false;
  } catch {
    return true;
  }
}

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

/** How a route is reached today, in words for the access table. */
export function beforeText(p: Protection): string {
  const auth = p.app.mechanisms.filter((m) => m.verdict === 'authenticates');
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
  const auth = p.app.mechanisms.filter((m) => m.verdict === 'authenticates');
  if (p.app.status === 'unknown') {
    return { write: { action: 'skip', reason: `protection unknown (${p.source}); left as it is: decide by hand (@Public(), @Authenticated() or a scope)` }, before, callers: 'same' };
  }
  if (p.app.status === 'authenticated') {
    if (auth.some((m) => m.credential !== undefined && BEARER.has(m.credential))) {
      return { write: options.tokensCarryScopes ? { action: 'scope' } : { action: 'authenticated' }, before, callers: options.tokensCarryScopes ? 'scoped' : 'same' };
    }
    if (p.entryPoint) return { write: { action: 'public', why: entryWhy(p) }, before, callers: 'same' };
    const m = auth[0];
    return {
      write: { action: 'skip', reason: `authenticated by ${m?.name ?? 'the app'} with ${credentialText(m?.credential)}, which Bastion does not verify; left as it is (@Public() would keep the app's check alone)` },
      before, callers: 'same',
    };
  }
  if (p.app.publicMarker) return { write: { action: 'public', why: `the app marks it public (${p.app.publicMarker})` }, before, callers: 'same' };
  if (options.lockDown) {
    if (p.entryPoint) return { write: { action: 'public', why: entryWhy(p) }, before, callers: 'same' };
    return { write: options.tokensCarryScopes ? { action: 'scope' } : { action: 'authenticated' }, before, callers: 'fewer' };
  }
  if (p.decision === 'baseline') return { write: { action: 'keep' }, before, callers: 'same' };
  return { write: { action: 'baseline' }, before, callers: 'same' };
}

function entryWhy(p: Protection): string {
  const e = p.entryPoint!;
  return `${e.kind} entry point (${e.basis === 'code' ? 'from the code' : 'from its name'}: ${e.evidence[0] ?? ''})`;
}
