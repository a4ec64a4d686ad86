import { SchematicsException, type SchematicContext, type Tree } from '@angular-devkit/schematics';
import type { AdoptionResult, BastionConfig } from '@bastion/codemod';
import { engine } from '../utils/engine';
import { overwrite, readJson, type ProjectInfo } from '../utils/project';
import { render } from '../utils/render';

/** A claim value written into generated code between single quotes. */
const CLAIM = /^[\w.:/@+~-]{1,200}$/;

function sources(tree: Tree, info: ProjectInfo): Map<string, string> {
  const files = new Map<string, string>();
  tree.getDir(info.sourceRoot).visit((path) => {
    if (!path.endsWith('.ts') || /\.(spec|e2e-spec|test|d)\.ts$/.test(path) || path.includes('/node_modules/')) return;
    files.set(path.replace(/^\//, ''), tree.read(path)!.toString('utf8'));
  });
  return files;
}

/**
 * Meets the app's own authentication where it is (the engine's `adoptAuthentication`): writes the decision on
 * every route, the app's sign options and a secret moved out of the source; returns what it found so the
 * caller writes the Bastion configuration that goes with it.
 */
export function adoptAppAuthentication(
  tree: Tree, info: ProjectInfo, configFile: string, config: BastionConfig, stated: boolean | undefined, audience: string | undefined,
): AdoptionResult {
  const name = String(info.pkg.name ?? 'api').replace(/^@[^/]+\//, '');
  const claims = { issuer: name, audience: audience ?? `${name}-api` };
  for (const [k, v] of Object.entries(claims)) {
    if (!CLAIM.test(v)) throw new SchematicsException(`init: the token ${k} '${v}' may only hold letters, digits and . : / @ + ~ - _ (another audience: npx schematics @bastion/schematics:init --audience …)`);
  }
  const result = engine().adoptAuthentication({
    files: sources(tree, info), config, statedTokensCarryScopes: stated, configFile,
    existingConfig: tree.read(configFile)?.toString('utf8'), esm: info.esm, ...claims,
  });
  for (const [file, text] of result.files) overwrite(tree, file, text);
  return result;
}

/** Renders the local issuer into the Bastion configuration. */
export function localIssuerConfig(result: AdoptionResult): string {
  return render('init/bastion.local-issuer.config.ts', { legacy: undefined, maxLifetime: undefined, ...result.localIssuer, authenticators: authenticatorsOf(result) });
}

/** The `authenticators` entries of the Bastion configuration: the app's passport strategies Bastion runs. */
export function authenticatorsOf(result: AdoptionResult): string[] {
  return result.passportAuthenticators.map((p) => p.code);
}

/** Adds the environment variable a secret moved out of the source is now read from to `.env.example`. */
export function writeMovedSecretEnv(tree: Tree, context: SchematicContext, env: string): void {
  const path = '.env.example';
  const text = tree.read(path)?.toString('utf8') ?? '';
  if (new RegExp(`^\\s*${env}\\s*=`, 'm').test(text)) return;
  const block = `# The secret the app signs its tokens with (moved out of the source): 32+ random bytes (openssl rand -base64 48).\n# Set it in the process environment: the app reads it when its modules load, before .env is read.\n${env}=\n`;
  if (!text) tree.create(path, block);
  else overwrite(tree, path, `${text.endsWith('\n') ? text : `${text}\n`}\n${block}`);
  context.logger.info(`${path}: added ${env}`);
}

/** `tokensCarryScopes: false` in `bastion.json` (the app's own tokens carry no scopes), unless the file states it. */
export function writeTokensCarryScopes(tree: Tree, value: boolean): void {
  const file = engine().CONFIG_FILE;
  const json = readJson<Record<string, unknown>>(tree, file) ?? {};
  if (json.tokensCarryScopes === value) return;
  overwrite(tree, file, JSON.stringify({ ...json, tokensCarryScopes: value }, null, 2) + '\n');
}

/** Prints what `init` found (with `file:line`), what it wrote, the route decisions, and what a person must do. */
export function printAdoption(context: SchematicContext, result: AdoptionResult): void {
  const list = (lines: string[]) => lines.map((l) => `  - ${l}`).join('\n');
  if (result.detected.length) context.logger.info(`Authentication found in the app:\n${list(result.detected)}`);
  else context.logger.info('Authentication found in the app: none (no passport strategy, JwtModule, authenticating guard or middleware)');
  if (result.alreadyWired) context.logger.info('Bastion already verifies the app\'s own tokens (its configuration was written by an earlier init)');
  if (result.wrote.length) context.logger.info(`Wrote:\n${list(result.wrote)}`);
  if (result.routes.length) {
    const rows = result.routes.map((r) => `${r.method} ${r.path} (${r.handler}, ${r.file}:${r.line}): ${r.before} → ${r.after}`);
    const scoped = result.routes.filter((r) => (r.callers ?? 'same') !== 'same').length;
    const callers = scoped ? `${scoped} now need a token with the scope` : 'every caller keeps its access';
    context.logger.info(`Route decisions (${result.routes.length}; ${callers}):\n${list(rows)}`);
  }
  for (const l of result.loud) context.logger.warn(`!!! ${l}`);
  if (result.todo.length) context.logger.warn(`A person must decide or do:\n${list(result.todo)}`);
}
