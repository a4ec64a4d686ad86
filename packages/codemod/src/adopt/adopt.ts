import { analyzeProtection, type ProtectionAnalysis } from '../analysis/analyze-protection.js';
import { readAppConfig } from '../analysis/app-config.js';
import type { AdoptDecisions } from '../analysis/decision.js';
import { analyzeSelfIssued, type SelfIssuedAnalysis, type SelfIssuedTokens } from '../analysis/self-issued.js';
import { configFindings } from '../audit/config-rules.js';
import type { BastionConfig } from '../project/bastion-config.js';
import { relativePath, workspaceFromFiles } from '../project/workspace.js';
import type { AccessChange, Mechanism, Skip } from '../report/types.js';
import { transformWorkspace } from '../retrofit.js';
import { planPassportWiring, type PassportWiring } from './passport-wiring.js';
import { DEFAULT_MAX_LIFETIME, localIssuerEdits, planLocalIssuer, type LocalIssuerPlan } from './local-issuer.js';

/** Options of {@link adoptAuthentication}. */
export interface AdoptOptions {
  /** Every source file of the app: path relative to the project root → text. */
  files: ReadonlyMap<string, string>;
  /** `bastion.json` as `init` leaves it. */
  config: BastionConfig;
  /** `tokensCarryScopes` when the project's `bastion.json` states it (it is then kept). */
  statedTokensCarryScopes?: boolean;
  /** Where the Bastion configuration goes: `src/bastion.config.ts`. */
  configFile: string;
  /** Its text when it exists already (it is never rewritten). */
  existingConfig?: string;
  /** ES modules: relative imports get a `.js` suffix. */
  esm: boolean;
  /** `iss` and `aud` the app's tokens get when its sign options set none. */
  issuer: string;
  /** As `issuer`, for `aud`. */
  audience: string;
  /** Today, for the migration window. Default: now. */
  now?: Date;
}

/** What `init` found, wrote and leaves to a person, in lines with `file:line` evidence. */
export interface AdoptionResult {
  /** Changed files: path → new text. */
  files: Map<string, string>;
  /** The local issuer to write into the Bastion configuration, when Bastion can verify the app's own tokens. */
  localIssuer?: LocalIssuerPlan;
  /**
   * The app's passport strategies Bastion runs itself (`passportAuthenticator`), to write into the
   * configuration's `authenticators` (empty when the configuration exists: then they are todo lines).
   */
  passportAuthenticators: PassportWiring[];
  /** The existing Bastion configuration verifies the app's tokens already (an earlier `init`). */
  alreadyWired: boolean;
  /** The `tokensCarryScopes` `bastion.json` should hold (false for the app's own tokens), when it states none. */
  tokensCarryScopes?: boolean;
  /** A secret written in the source, now read from this environment variable. */
  movedSecret?: { env: string; from: string[] };
  /** What was found: strategies, guards, sign and verify calls, with `file:line`. */
  detected: string[];
  /** What was changed in the app's files, and why. */
  wrote: string[];
  /** What a person must do before the app runs as before (a secret that was in the source). */
  loud: string[];
  /** What Bastion could not decide or wire, for a person to look at. */
  todo: string[];
  /** The decision written on each route (before → after). */
  routes: AccessChange[];
  /** Routes left under a baseline marker for a person to decide, with why. */
  skipped: Skip[];
}

const LOCAL_ISSUER_CONFIG = /\bjwt\s*:\s*\{[\s\S]*\b(secret|keys)\s*:/;

function describeAuthentication(analysis: ProtectionAnalysis, self: SelfIssuedAnalysis): string[] {
  const lines = analysis.strategies.map((s) => `passport strategy '${s.name}' = ${s.className} (${s.reason}, ${s.at})`);
  const seen = new Set<string>();
  for (const r of analysis.routes) {
    for (const m of r.protection.app.mechanisms) {
      if (m.verdict !== 'authenticates' || m.credential === 'bastion' || (m.level !== 'global' && m.level !== 'middleware')) continue;
      if (!seen.has(m.name)) lines.push(`${m.level === 'global' ? 'global guard' : 'middleware'} ${m.name}: ${m.reason}`);
      seen.add(m.name);
    }
  }
  lines.push(...(self.found?.evidence ?? self.verifiers.map((v) => `${v.label} verifies access tokens`)));
  if (self.found?.numericSubject) lines.push(self.found.numericSubject);
  if (self.found?.lifetime.seconds !== undefined) lines.push(`tokens live ${self.found.lifetime.seconds} s (expiresIn at ${self.found.lifetime.at})`);
  return lines;
}

function localStrategies(found: SelfIssuedTokens | undefined): Set<string> {
  return new Set(found?.verifiers.flatMap((v) => (v.strategy ? [v.strategy.name] : [])) ?? []);
}

/** Whether Bastion, verifying the app's own tokens, authenticates the callers this mechanism lets in. */
function verifiesOf(found: SelfIssuedTokens | undefined, wired: boolean, passport: ReadonlySet<string>): AdoptDecisions {
  const strategies = localStrategies(found);
  const guards = found?.verifiers.flatMap((v) => (v.guardClass ? [v.guardClass] : [])) ?? [];
  return {
    passport: (m: Mechanism) => m.strategies !== undefined && m.strategies.length > 0 && m.strategies.every((s) => passport.has(s)),
    verifies: (m: Mechanism) => wired && m.credential === 'bearer' && (m.strategies
      ? m.strategies.length > 0 && m.strategies.every((s) => strategies.has(s))
      : guards.some((g) => m.name === g || m.name.startsWith(`${g} `))),
  };
}

function freeEnvName(files: ReadonlyMap<string, string>): string {
  const all = [...files.values()].join('\n');
  return ['JWT_SECRET', 'JWT_ACCESS_SECRET', 'ACCESS_TOKEN_SECRET'].find((n) => !all.includes(n)) ?? 'BASTION_LOCAL_JWT_SECRET';
}

/**
 * `init` on an app with its own authentication: finds it (passport strategies and their guards, `JwtModule`
 * options, auth middleware, global guards with a public opt-out), wires Bastion to the app's own tokens where
 * it can verify them (a local issuer with the same key from the same place; `issuer`/`audience` added to the
 * app's sign options; a migration window for tokens already out), and gives every route its first decision:
 * `@Public()` on entry points, `@Authenticated()` (or scopes) where Bastion verifies the caller, a baseline
 * marker elsewhere. Nothing is written to disk: the caller gets the texts and the lines to print.
 */
export function adoptAuthentication(options: AdoptOptions): AdoptionResult {
  const now = options.now ?? new Date();
  const ws0 = workspaceFromFiles(options.files, options.config);
  const analysis = analyzeProtection(ws0);
  const self = analyzeSelfIssued(ws0);
  const detected = describeAuthentication(analysis, self);
  const todo = [...self.problems];
  const wrote: string[] = [];
  const found = self.found;
  const alreadyWired = found !== undefined && options.existingConfig !== undefined && LOCAL_ISSUER_CONFIG.test(options.existingConfig);
  let plan: LocalIssuerPlan | undefined;
  let movedSecret: AdoptionResult['movedSecret'];
  const files = new Map(options.files);
  const changed = new Set<string>();
  if (found && !alreadyWired) {
    const secretEnv = freeEnvName(options.files);
    const r = planLocalIssuer(found, { configFile: options.configFile, esm: options.esm, issuer: options.issuer, audience: options.audience, now, windowDays: options.config.migrationWindowDays, secretEnv });
    if (options.existingConfig !== undefined) {
      todo.push(`${options.configFile} exists and is not rewritten: to let Bastion verify the app's own tokens, give it the local issuer docs/schematics.md describes (the key: ${r.plan?.keyCode ?? 'see above'})`);
    } else if (found.lifetime.missing.length > 0) {
      todo.push(`${found.lifetime.missing.join(', ')} sign tokens without expiresIn: they never expire, and Bastion refuses a token without exp; add expiresIn to the sign options, then run init again`);
    } else if (r.problem) {
      todo.push(r.problem);
    } else if (r.plan) {
      const e = localIssuerEdits(ws0, found, r.plan, { configFile: options.configFile, esm: options.esm, issuer: options.issuer, audience: options.audience, now, windowDays: options.config.migrationWindowDays, secretEnv });
      if (r.plan.legacy && e.wrote.length === 0) {
        todo.push('no JwtModule signOptions or sign() options the analysis can edit: add issuer and audience to the options that sign access tokens, then run init again');
      } else {
        plan = r.plan;
        movedSecret = e.movedSecret;
        wrote.push(...e.wrote);
        for (const [file, fe] of e.edits) {
          fe.imports.flush();
          const rel = relativePath(ws0, file.getFilePath());
          files.set(rel, fe.edits.apply(file.getFullText()));
          changed.add(rel);
        }
      }
    }
  }
  const wired = plan !== undefined || alreadyWired;
  const passport = planPassportWiring(ws0, analysis, wired ? localStrategies(found) : new Set(), wired || (options.existingConfig !== undefined && LOCAL_ISSUER_CONFIG.test(options.existingConfig)));
  todo.push(...passport.problems);
  const passportWired = new Set<string>();
  const passportAuthenticators: PassportWiring[] = [];
  for (const w of passport.wirings) {
    const written = options.existingConfig?.includes(`passportAuthenticator('${w.strategy}'`) === true;
    if (options.existingConfig === undefined) passportAuthenticators.push(w);
    else if (!written) {
      todo.push(`${options.configFile} exists and is not rewritten: to let Bastion authenticate the routes ${w.strategy} guards, import { defaultPassportPrincipal, passportAuthenticator } from '@bastion/nest' and add to its authenticators: ${w.code.replace(/\s*\n\s*/g, ' ')}`);
      continue;
    }
    passportWired.add(w.strategy);
    if (!written) wrote.push(`${options.configFile}: authenticators: passportAuthenticator('${w.strategy}') (${w.at}), its credential in ${w.presence}: Bastion runs the app's strategy and enforces the routes it guards`);
  }
  const carry = options.statedTokensCarryScopes ?? (wired ? false : options.config.tokensCarryScopes);
  const ws1 = workspaceFromFiles(files, { ...options.config, tokensCarryScopes: carry });
  const report = transformWorkspace(ws1, { transforms: ['scopes'], dryRun: true, adopt: verifiesOf(found, wired, passportWired) });
  for (const f of report.files) {
    files.set(f.file, f.after);
    changed.add(f.file);
  }
  if (plan) {
    wrote.unshift(
      `${options.configFile}: Bastion verifies the app's own tokens (local issuer, ${plan.algorithm}) with ${plan.keyName}, read the way the app reads it`,
      `issuer ${plan.issuer.constant !== undefined ? `'${plan.issuer.constant}'` : plan.issuer.code}, audience ${plan.audience.constant !== undefined ? `'${plan.audience.constant}'` : plan.audience.code}`,
      ...(plan.legacy ? [`migration window: tokens already out without ${plan.legacy.acceptMissing.join(' and ')} are accepted until ${plan.legacy.until} (bastion.json migrationWindowDays ${options.config.migrationWindowDays}); each acceptance is audited as token.legacy_accepted`] : []),
      ...(plan.maxLifetime ? [`tokens.maxLifetime ${plan.maxLifetime} s: the app's tokens live longer than Bastion's default of ${DEFAULT_MAX_LIFETIME} s (expiresIn at ${found?.lifetime.at})`] : []),
      ...(plan.acceptNumericSubject ? [`claims.acceptNumericSubject: ${found?.numericSubject}`] : []),
    );
  }
  const loud: string[] = [];
  if (movedSecret) {
    loud.push(
      `THE JWT SECRET WAS WRITTEN IN THE SOURCE (${movedSecret.from.join(', ')}): it is now read from process.env.${movedSecret.env}. ` +
        `Set ${movedSecret.env} to a NEW random secret of at least 32 bytes (openssl rand -base64 48) in the environment the app starts with ` +
        '(a constant is read when its module loads, before ConfigModule reads .env); the old one is in the repository history: treat it as leaked',
    );
  } else if (plan?.keyKind === 'secret') {
    todo.push(`${plan.keyName} must hold at least 32 bytes: Bastion refuses a shorter HS256 secret at boot`);
  }
  if (plan && found) {
    todo.push(...found.notes, ...found.lifetime.unknown.map((u) => `${u} is read at runtime: if tokens live longer than ${DEFAULT_MAX_LIFETIME} s, set tokens.maxLifetime in ${options.configFile} to at least that`));
  }
  todo.push(...configFindings(ws1, readAppConfig(ws1)).filter((f) => f.rule === 'hardcoded-jwt-secret').map((f) => `${f.file}:${f.line}: ${f.message}`));
  todo.push(...report.skipped.map((s) => `${s.file}:${s.line}: ${s.reason}`));
  return {
    files: new Map([...changed].map((f) => [f, files.get(f)!])),
    localIssuer: plan, passportAuthenticators, alreadyWired, movedSecret, detected, wrote, loud, todo,
    ...(wired && options.statedTokensCarryScopes === undefined ? { tokensCarryScopes: false } : {}),
    routes: report.accessChanges, skipped: report.skipped,
  };
}
