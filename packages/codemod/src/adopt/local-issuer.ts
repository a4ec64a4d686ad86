import type { Node, SourceFile } from 'ts-morph';
import { relativeSpecifier } from '../analysis/file-imports.js';
import type { JwtOptionsSite } from '../analysis/jwt-options.js';
import { objectOf, objectProperty, stringValue } from '../analysis/literals.js';
import type { SelfIssuedTokens } from '../analysis/self-issued.js';
import { describeSource, sourceCode, valueSource, type ValueSource } from '../analysis/value-source.js';
import { nodeText } from '../analysis/where.js';
import { ImportEditor } from '../edit/import-editor.js';
import { addObjectProperties } from '../edit/object-properties.js';
import { TextEdits } from '../edit/text-edits.js';
import { relativePath, type Workspace } from '../project/workspace.js';

/** Bastion's default `tokens.maxLifetime`, in seconds. */
export const DEFAULT_MAX_LIFETIME = 3_600;

/** The names `bastion.config.ts` exports for the `iss`/`aud` the app's sign options now set. */
export const ISSUER_CONSTANT = 'TOKEN_ISSUER';
export const AUDIENCE_CONSTANT = 'TOKEN_AUDIENCE';

/** What the `init` schematic renders into `bastion.config.ts` to verify the app's own tokens. */
export interface LocalIssuerPlan {
  /** The JWS algorithm the app signs with (`HS256`, `RS256`…). */
  algorithm: string;
  /** A shared secret, or a key pair whose public key Bastion verifies with. */
  keyKind: 'secret' | 'keys';
  /** The key read the same way as the app reads it (`process.env.JWT_SECRET`, `config.get<string>('jwt.secret')`). */
  keyCode: string;
  /** What to set when it is missing, for the boot error: `JWT_SECRET`, `ConfigService key 'jwt.secret'`. */
  keyName: string;
  /** `code` reads the value; `constant` is the literal `bastion.config.ts` exports (when `init` sets the claim). */
  issuer: { code: string; constant?: string };
  /** As `issuer`, for `aud`. */
  audience: { code: string; constant?: string };
  /** The migration window for tokens already out without the claims `init` adds. */
  legacy?: { acceptMissing: Array<'iss' | 'aud'>; until: string };
  /** The app's `sub` is a number (a database id): Bastion accepts it as the subject's text. */
  acceptNumericSubject: boolean;
  /** `tokens.maxLifetime` when the app's tokens live longer than Bastion's default. */
  maxLifetime?: number;
  /** `bastion.config.ts` reads the `ConfigService` it is given. */
  usesConfig: boolean;
  /** Extra import lines (`readFileSync`). */
  imports: string[];
}

export interface LocalIssuerEdits {
  /** Pending edits per file of the analysed workspace. */
  edits: Map<SourceFile, { edits: TextEdits; imports: ImportEditor }>;
  wrote: string[];
  /** A secret written in the source, moved to this environment variable. */
  movedSecret?: { env: string; from: string[] };
}

export interface PlanOptions {
  /** `src/bastion.config.ts`. */
  configFile: string;
  esm: boolean;
  issuer: string;
  audience: string;
  now: Date;
  windowDays: number;
  /** An environment variable name free for a secret moved out of the source. */
  secretEnv: string;
}

function claimCode(stated: ValueSource | undefined, constant: string, value: string): { code: string; constant?: string } | undefined {
  if (!stated) return { code: constant, constant: value };
  if (stated.kind === 'literal') return { code: constant, constant: stringValue(stated.nodes[0]) ?? value };
  const code = sourceCode(stated, 'config');
  return code ? { code } : undefined;
}

/** ISO date-time of midnight UTC `days` after `now`. */
export function windowEnd(now: Date, days: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days));
  return d.toISOString().replace('.000Z', 'Z');
}

/** The configuration that verifies the app's own tokens, or why it cannot be written. */
export function planLocalIssuer(found: SelfIssuedTokens, options: PlanOptions): { plan?: LocalIssuerPlan; problem?: string } {
  const key = found.key;
  const keyCode = key.kind === 'literal' ? `process.env.${options.secretEnv}` : sourceCode(key, 'config');
  if (!keyCode) return { problem: `the access-token key is ${describeSource(key)}: Bastion cannot read it the same way` };
  const issuer = claimCode(found.issuer, ISSUER_CONSTANT, options.issuer);
  const audience = claimCode(found.audience, AUDIENCE_CONSTANT, options.audience);
  if (!issuer || !audience) return { problem: `the issuer or audience the app signs is ${describeSource((issuer ? found.audience : found.issuer)!)}` };
  const missing = [...(found.issuer ? [] : ['iss' as const]), ...(found.audience ? [] : ['aud' as const])];
  const seconds = found.lifetime.seconds;
  const codes = [keyCode, issuer.code, audience.code];
  return {
    plan: {
      algorithm: found.algorithm, keyKind: found.keyKind, keyCode,
      keyName: key.kind === 'literal' ? options.secretEnv : key.kind === 'env' ? key.name : describeSource(key),
      issuer, audience,
      ...(missing.length ? { legacy: { acceptMissing: missing, until: windowEnd(options.now, options.windowDays) } } : {}),
      acceptNumericSubject: found.numericSubject !== undefined,
      ...(seconds !== undefined && seconds > DEFAULT_MAX_LIFETIME ? { maxLifetime: Math.ceil(seconds) } : {}),
      usesConfig: codes.some((c) => c.includes('config.')),
      imports: codes.some((c) => c.includes('readFileSync(')) ? ["import { readFileSync } from 'node:fs';"] : [],
    },
  };
}

/** Every literal node holding the key's value: the verifier's, and those of the modules and calls that sign. */
function literalKeyNodes(ws: Workspace, found: SelfIssuedTokens): Node[] {
  if (found.key.kind !== 'literal') return [];
  const hash = found.key.hash;
  const sources = [
    found.key,
    ...found.modules.map((m) => valueSource(ws, objectProperty(m.options, 'secret') ?? objectProperty(m.options, 'secretOrPrivateKey'))),
    ...found.signCalls.map((c) => valueSource(ws, objectProperty(c.options, 'secret'))),
  ];
  const nodes = new Map<string, Node>();
  for (const s of sources) if (s.kind === 'literal' && s.hash === hash) for (const n of s.nodes) nodes.set(`${n.getSourceFile().getFilePath()}:${n.getPos()}`, n);
  return [...nodes.values()];
}

/**
 * The edits that let Bastion verify the app's tokens: `issuer`/`audience` in the app's sign options (from the
 * constants `bastion.config.ts` exports), and a secret written in the source moved to the environment.
 */
export function localIssuerEdits(ws: Workspace, found: SelfIssuedTokens, plan: LocalIssuerPlan, options: PlanOptions): LocalIssuerEdits {
  const out: LocalIssuerEdits = { edits: new Map(), wrote: [] };
  const editOf = (file: SourceFile) => {
    let fe = out.edits.get(file);
    if (!fe) {
      const edits = new TextEdits(relativePath(ws, file.getFilePath()));
      fe = { edits, imports: new ImportEditor(file, edits) };
      out.edits.set(file, fe);
    }
    return fe;
  };
  const literals = literalKeyNodes(ws, found);
  for (const node of literals) editOf(node.getSourceFile()).edits.replace(node.getStart(), node.getEnd(), `process.env.${options.secretEnv} as string`);
  if (literals.length) out.movedSecret = { env: options.secretEnv, from: literals.map((n) => nodeText(ws, n)) };
  const claims = (file: SourceFile): string[] => {
    const spec = relativeSpecifier(relativePath(ws, file.getFilePath()), options.configFile, options.esm);
    const ref = (name: string) => editOf(file).imports.ref(spec, name);
    return [
      ...(plan.issuer.constant !== undefined && !found.issuer ? [`issuer: ${ref(ISSUER_CONSTANT)}`] : []),
      ...(plan.audience.constant !== undefined && !found.audience ? [`audience: ${ref(AUDIENCE_CONSTANT)}`] : []),
    ];
  };
  const targets: Array<{ site: JwtOptionsSite; where: string }> = found.modules.length
    ? found.modules.map((m) => ({ site: m, where: `${m.where} signOptions` }))
    : found.signCalls.map((c) => ({ site: c, where: `${c.where}() options` }));
  for (const { site, where } of targets) {
    const file = site.call.getSourceFile();
    if (site.kind === 'module') {
      if (!site.options) continue;
      const signOptions = objectOf(ws.project, objectProperty(site.options, 'signOptions'));
      const entries = claims(file);
      if (!entries.length) continue;
      if (signOptions) addObjectProperties(editOf(file).edits, signOptions, entries);
      else addObjectProperties(editOf(file).edits, site.options, [`signOptions: { ${entries.join(', ')} }`]);
    } else {
      const args = site.call.getArguments();
      if (!site.options && args.length !== 1) continue;
      const entries = claims(file);
      if (!entries.length) continue;
      if (site.options) addObjectProperties(editOf(file).edits, site.options, entries);
      else editOf(file).edits.insert(args[0]!.getEnd(), `, { ${entries.join(', ')} }`);
    }
    out.wrote.push(`${nodeText(ws, site.call)}: ${where} now set the issuer and audience (${ISSUER_CONSTANT}, ${AUDIENCE_CONSTANT} from ${options.configFile}), so new tokens carry them`);
  }
  return out;
}
