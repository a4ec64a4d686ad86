import { Node } from 'ts-morph';
import type { ProtectionAnalysis } from '../analysis/analyze-protection.js';
import { authenticating } from '../analysis/decision.js';
import { constantString, objectOf, objectProperty } from '../analysis/literals.js';
import type { StrategyInfo } from '../analysis/strategies.js';
import type { Workspace } from '../project/workspace.js';

/** One `passportAuthenticator(...)` entry `init` writes into the Bastion configuration's `authenticators`. */
export interface PassportWiring {
  /** The strategy name (`AuthGuard('<name>')`). */
  strategy: string;
  /** The element of `authenticators`, as code (`passportAuthenticator('headerapikey', { … })`), its lines indented from column 0. */
  code: string;
  /** Where its credential travels, in words. */
  presence: string;
  /** `file:line` of the strategy class. */
  at: string;
}

export interface PassportWiringPlan {
  wirings: PassportWiring[];
  /** Strategies used on routes that cannot be wired, with why. */
  problems: string[];
}

/** The strategy's credential position, as a `PassportPresence` literal and in words. */
type Presence = { code: string; words: string } | { problem: string };

function superOptions(ws: Workspace, s: StrategyInfo) {
  const ctor = s.cls.getConstructors()[0];
  let options: Node | undefined;
  ctor?.forEachDescendant((n, t) => {
    if (Node.isCallExpression(n) && Node.isSuperExpression(n.getExpression())) {
      options = n.getArguments()[0];
      t.stop();
    }
  });
  return objectOf(ws.project, options);
}

function presenceOf(ws: Workspace, s: StrategyInfo): Presence {
  const base = s.cls.getExtends()?.getExpression();
  const baseName = base && Node.isCallExpression(base) ? base.getArguments()[0]?.getText() : undefined;
  if (s.module === 'passport-http-bearer') return { code: "{ header: 'authorization', scheme: 'Bearer' }", words: 'Authorization: Bearer' };
  if (s.module === 'passport-http') {
    // passport-http's DigestStrategy answers with a challenge Bastion does not send.
    if (baseName !== undefined && /Digest/.test(baseName)) return { problem: 'passport-http digest authentication answers with a challenge, which Bastion does not send' };
    return { code: "{ header: 'authorization', scheme: 'Basic' }", words: 'Authorization: Basic' };
  }
  if (s.module === 'passport-headerapikey') {
    const options = superOptions(ws, s);
    const header = constantString(ws.project, objectProperty(options, 'header'));
    const prefix = constantString(ws.project, objectProperty(options, 'prefix'))?.trim() ?? '';
    if (!header || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(header) || !/^[\w.-]*$/.test(prefix)) {
      return { problem: 'the header its key travels in is not a literal in its super({ header }) call' };
    }
    const name = header.toLowerCase();
    return prefix
      ? { code: `{ header: '${name}', scheme: '${prefix}' }`, words: `${header}: ${prefix} <key>` }
      : { code: `{ header: '${name}' }`, words: header };
  }
  return { problem: `${s.module} is not a strategy init knows where the credential of travels` };
}

/**
 * The app's passport strategies Bastion runs itself through `passportAuthenticator` (API keys with
 * `passport-headerapikey`, basic credentials with `passport-http`, bearer tokens with a custom
 * `passport-http-bearer` verify), so the routes they guard are enforced from the first boot. Only
 * strategies some non-entry-point route authenticates with alone are wired; `localVerifies` names the
 * strategies the local issuer verifies already, and `bearerTaken` is true when Bastion reads
 * `Authorization: Bearer` for its own tokens (two credentials in one header would be refused).
 */
export function planPassportWiring(ws: Workspace, analysis: ProtectionAnalysis, localVerifies: ReadonlySet<string>, bearerTaken: boolean): PassportWiringPlan {
  const used = new Set<string>();
  for (const r of analysis.routes) {
    const auth = authenticating(r.protection);
    if (auth.length === 1 && !r.protection.entryPoint) for (const s of auth[0]!.strategies ?? []) used.add(s);
  }
  const wirings: PassportWiring[] = [];
  const problems: string[] = [];
  for (const s of analysis.strategies) {
    if (!used.has(s.name) || localVerifies.has(s.name) || !['passport-headerapikey', 'passport-http', 'passport-http-bearer'].includes(s.module)) continue;
    const where = `strategy '${s.name}' = ${s.className} (${s.at})`;
    if (!/^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/.test(s.name) || s.name.length > 64) {
      problems.push(`${where}: its name is not one Bastion accepts as a credential name; wire it by hand with passportAuthenticator (docs/authentication.md)`);
      continue;
    }
    const presence = presenceOf(ws, s);
    if ('problem' in presence) {
      problems.push(`${where}: ${presence.problem}; wire it by hand with passportAuthenticator (docs/authentication.md)`);
      continue;
    }
    if (bearerTaken && presence.words === 'Authorization: Bearer') {
      problems.push(`${where} reads Authorization: Bearer, where Bastion verifies the app's own tokens; not wired (a request would carry two credentials)`);
      continue;
    }
    // The strategy's user may carry no id (an API key's validate often returns true): such a caller
    // becomes a principal named after the strategy, so every caller the strategy admits is admitted.
    const code = `passportAuthenticator('${s.name}', {\n  isPresented: ${presence.code},\n  toPrincipal: (user) => defaultPassportPrincipal(user, '${s.name}') ?? { subject: '${s.name}', scopes: new Set<string>(), roles: new Set<string>(), credential: '${s.name}', claims: {} },\n})`;
    wirings.push({ strategy: s.name, code, presence: presence.words, at: s.at });
  }
  return { wirings, problems };
}
