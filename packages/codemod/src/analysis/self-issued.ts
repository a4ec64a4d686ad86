import { Node, type ObjectLiteralExpression } from 'ts-morph';
import type { Workspace } from '../project/workspace.js';
import { jwtOptionSites, type JwtOptionsSite } from './jwt-options.js';
import { constantString, objectOf, objectProperty, stringValues } from './literals.js';
import { findStrategies, type StrategyInfo } from './strategies.js';
import { expiresInSeconds } from './token-lifetime.js';
import { bindingInitializer, describeSource, sourceId, valueSource, type ValueSource } from './value-source.js';
import { nodeText } from './where.js';

/** An access-token verifier of the app: a passport-jwt strategy or a guard calling `JwtService.verify`. */
export interface TokenVerifier {
  /** `strategy 'jwt' = JwtStrategy`, `guard AuthGuard` or `middleware AuthMiddleware`. */
  label: string;
  strategy?: StrategyInfo;
  /** The guard or middleware class that verifies the token itself. */
  guardClass?: string;
  key: ValueSource;
  at: string;
}

/** The app signs its own access tokens and verifies them with a key Bastion can read the same way. */
export interface SelfIssuedTokens {
  verifiers: TokenVerifier[];
  algorithm: string;
  /** `secret` (HMAC) or `keys` (the public key of an asymmetric pair). */
  keyKind: 'secret' | 'keys';
  key: ValueSource;
  /** `JwtModule` registrations that sign the access tokens (their `signOptions` get issuer and audience). */
  modules: JwtOptionsSite[];
  /** `sign()` calls that issue access tokens. */
  signCalls: JwtOptionsSite[];
  /** `iss`/`aud` the app's sign options already set (tokens already out carry them). */
  issuer?: ValueSource;
  audience?: ValueSource;
  /** Longest access-token lifetime the code states, in seconds; `unknown` names what could not be read. */
  lifetime: { seconds?: number; at?: string; unknown: string[]; missing: string[] };
  /** `sub` is (or may be) a number in the tokens the app signs. */
  numericSubject?: string;
  /** What was found, with `file:line`, for the report. */
  evidence: string[];
  /** Behaviour Bastion will not copy, for the report (`ignoreExpiration: true`, fallback secrets). */
  notes: string[];
}

export interface SelfIssuedAnalysis {
  found?: SelfIssuedTokens;
  /** Why Bastion cannot verify the app's access tokens itself (empty when it can, or when there are none). */
  problems: string[];
  /** Every access-token verifier seen, wired or not. */
  verifiers: TokenVerifier[];
}

const BEARER_EXTRACTOR = /^(\w+\.)?(fromAuthHeaderAsBearerToken\(\)|fromAuthHeaderWithScheme\(['"`]bearer['"`]\))$/i;

/** True when a passport-jwt `jwtFromRequest` reads only `Authorization: Bearer`, where Bastion reads tokens. */
function readsBearerHeader(options: ObjectLiteralExpression | undefined): boolean {
  const from = objectProperty(options, 'jwtFromRequest');
  const text = from?.getText().replace(/\s+/g, '') ?? '';
  if (BEARER_EXTRACTOR.test(text)) return true;
  const list = from && Node.isCallExpression(from) && /fromExtractors$/.test(from.getExpression().getText()) ? from.getArguments()[0] : undefined;
  const items = list && Node.isArrayLiteralExpression(list) ? list.getElements() : undefined;
  return items !== undefined && items.length > 0 && items.every((e) => BEARER_EXTRACTOR.test(e.getText().replace(/\s+/g, '')));
}

function option(site: JwtOptionsSite | undefined, ...names: string[]): Node | undefined {
  for (const n of names) {
    const v = objectProperty(site?.options, n);
    if (v) return v;
  }
  return undefined;
}

function signOptionsOf(ws: Workspace, site: JwtOptionsSite): ObjectLiteralExpression | undefined {
  return objectOf(ws.project, objectProperty(site.options, 'signOptions'));
}

/** Whether the `sub` a sign call puts in its payload is a number (or may be: an `any` id). */
function numericSubject(ws: Workspace, call: JwtOptionsSite): string | undefined {
  let payload: Node | undefined = call.subject;
  if (payload && Node.isIdentifier(payload)) payload = bindingInitializer(ws, payload) ?? payload;
  const sub = objectProperty(objectOf(ws.project, payload), 'sub');
  if (!sub) return undefined;
  const type = sub.getType();
  const at = nodeText(ws, sub);
  if (type.isNumber() || type.isNumberLiteral() || type.getUnionTypes().some((t) => t.isNumber() || t.isNumberLiteral())) return `sub is a number (${sub.getText()}, ${at})`;
  if ((type.isAny() || type.isUnknown()) && /(^|\.)(id|\w*Id)$/.test(sub.getText())) return `sub is ${sub.getText()}, typed any: it may be a numeric id (${at})`;
  return undefined;
}

function verifiersOf(ws: Workspace, sites: JwtOptionsSite[], moduleSecret: ValueSource | undefined): { verifiers: TokenVerifier[]; problems: string[]; notes: string[] } {
  const verifiers: TokenVerifier[] = [];
  const problems: string[] = [];
  const notes: string[] = [];
  for (const s of findStrategies(ws).filter((x) => x.module === 'passport-jwt' && x.credential === 'bearer')) {
    const site = sites.find((x) => x.kind === 'strategy' && x.cls === s.cls);
    const label = `strategy '${s.name}' = ${s.className} (${s.at})`;
    if (option(site, 'secretOrKeyProvider')) {
      problems.push(`${label} takes its keys from secretOrKeyProvider (an identity provider's JWKS): point Bastion at that issuer (JWT_ISSUER, JWT_AUDIENCE, JWT_JWKS_URI in .env.example)`);
      continue;
    }
    if (!readsBearerHeader(site?.options)) {
      problems.push(`${label} reads its token from ${option(site, 'jwtFromRequest')?.getText().replace(/\s+/g, ' ') ?? 'somewhere the analysis cannot see'}; Bastion reads access tokens from Authorization: Bearer only`);
      continue;
    }
    if (option(site, 'ignoreExpiration')?.getText() === 'true') notes.push(`${label} sets ignoreExpiration: true; Bastion refuses expired tokens`);
    verifiers.push({ label, strategy: s, key: valueSource(ws, option(site, 'secretOrKey')), at: s.at });
  }
  // Guards (`canActivate`) and middleware (`use`) that verify the token with JwtService themselves.
  for (const v of sites.filter((x) => x.kind === 'verify' && (x.cls?.getMethod('canActivate') || x.cls?.getMethod('use')))) {
    const explicit = option(v, 'secret', 'publicKey');
    const key = explicit ? valueSource(ws, explicit) : moduleSecret;
    if (!key) continue;
    const kind = v.cls?.getMethod('canActivate') ? 'guard' : 'middleware';
    verifiers.push({ label: `${kind} ${v.cls?.getName() ?? '(anonymous)'} (${nodeText(ws, v.call)})`, guardClass: v.cls?.getName(), key, at: nodeText(ws, v.call) });
  }
  return { verifiers, problems, notes };
}

/**
 * Finds how the app issues and verifies its own access tokens (`@nestjs/jwt` signing, passport-jwt or a guard
 * verifying) and whether Bastion can verify them as a local issuer: one key, read the same way by both.
 */
export function analyzeSelfIssued(ws: Workspace): SelfIssuedAnalysis {
  const sites = ws.allFiles.flatMap((f) => (/jwt|Jwt|PassportStrategy/.test(f.getFullText()) ? jwtOptionSites(ws, f) : []));
  const modules = sites.filter((s) => s.kind === 'module');
  const moduleSecret = modules.map((m) => option(m, 'secret', 'secretOrPrivateKey')).find(Boolean);
  const { verifiers, problems, notes } = verifiersOf(ws, sites, moduleSecret && valueSource(ws, moduleSecret));
  const keys = new Map(verifiers.map((v) => [sourceId(v.key), v.key]));
  if (verifiers.length === 0) return { problems, verifiers };
  if (keys.size > 1) return { problems: [...problems, `access tokens are verified with ${keys.size} different keys (${verifiers.map((v) => `${v.label}: ${describeSource(v.key)}`).join('; ')}); Bastion verifies one local issuer`], verifiers };
  const key = verifiers[0]!.key;
  if (key.kind === 'unknown') return { problems: [...problems, `the access-token key is ${describeSource(key)}`], verifiers };
  const id = sourceId(key);
  const signingModules = modules.filter((m) => {
    const secret = option(m, 'secret', 'secretOrPrivateKey');
    const publicKey = option(m, 'publicKey');
    if (secret && sourceId(valueSource(ws, secret)) === id) return true;
    return option(m, 'privateKey') !== undefined && (!publicKey || sourceId(valueSource(ws, publicKey)) === id);
  });
  const signCalls = sites.filter((s) => {
    if (s.kind !== 'sign') return false;
    const secret = option(s, 'secret', 'privateKey');
    return secret ? sourceId(valueSource(ws, secret)) === id : signingModules.length > 0;
  });
  if (signingModules.length === 0 && signCalls.length === 0) {
    return { problems: [...problems, `no JwtModule or JwtService.sign() signs with the key ${verifiers[0]!.label} verifies with (${describeSource(key)}): the tokens come from elsewhere`], verifiers };
  }
  const asymmetric = signingModules.some((m) => option(m, 'privateKey')) && key.kind !== 'literal' && !signingModules.some((m) => option(m, 'secret'));
  const algorithm = constantString(ws.project, signingModules.map((m) => objectProperty(signOptionsOf(ws, m), 'algorithm')).find(Boolean))
    ?? verifiers.map((v) => stringValues(objectProperty(v.strategy ? sites.find((x) => x.cls === v.strategy!.cls)?.options : undefined, 'algorithms'))?.[0]).find(Boolean)
    ?? (asymmetric ? 'RS256' : 'HS256');
  const lifetime: SelfIssuedTokens['lifetime'] = { unknown: [], missing: [] };
  const consider = (node: Node | undefined, where: string): void => {
    if (!node) {
      lifetime.missing.push(where);
      return;
    }
    const seconds = expiresInSeconds(ws.project, node);
    if (seconds === undefined) lifetime.unknown.push(`expiresIn ${node.getText()} (${nodeText(ws, node)})`);
    else if (lifetime.seconds === undefined || seconds > lifetime.seconds) Object.assign(lifetime, { seconds, at: nodeText(ws, node) });
  };
  const moduleExpiry = signingModules.map((m) => objectProperty(signOptionsOf(ws, m), 'expiresIn')).find(Boolean);
  for (const c of signCalls) consider(option(c, 'expiresIn') ?? moduleExpiry, `${c.where} (${nodeText(ws, c.call)})`);
  if (signCalls.length === 0) for (const m of signingModules) consider(objectProperty(signOptionsOf(ws, m), 'expiresIn'), `${m.where} (${nodeText(ws, m.call)})`);
  const stated = (name: string) => {
    const node = signingModules.map((m) => objectProperty(signOptionsOf(ws, m), name)).find(Boolean);
    return node ? valueSource(ws, node) : undefined;
  };
  const evidence = [
    ...verifiers.map((v) => `${v.label} verifies access tokens (${algorithm}) with ${describeSource(key)}`),
    ...signingModules.map((m) => `${m.where} (${nodeText(ws, m.call)}) signs them`),
    ...signCalls.map((c) => `${c.where} (${nodeText(ws, c.call)}) issues them`),
  ];
  const numeric = signCalls.map((c) => numericSubject(ws, c)).find(Boolean);
  if ((key.kind === 'env' || key.kind === 'config') && key.fallback) notes.push(`the key falls back to ${key.fallback} when ${describeSource({ ...key, fallback: undefined })} is unset; Bastion refuses to start instead`);
  return {
    verifiers, problems,
    found: {
      verifiers, algorithm, keyKind: /^HS/.test(algorithm) ? 'secret' : 'keys', key, modules: signingModules, signCalls,
      issuer: stated('issuer'), audience: stated('audience'), lifetime, numericSubject: numeric, evidence, notes,
    },
  };
}
