import { SchematicsException, type Rule, type SchematicContext, type Tree } from '@angular-devkit/schematics';
import { NodePackageInstallTask } from '@angular-devkit/schematics/tasks';
import { posix } from 'node:path';
import { CONFIG_FILE, DEFAULT_CONFIG } from '../utils/bastion-config';
import { overwrite, projectInfo, readJson, relativeImport, writeNew, type PackageJson, type ProjectInfo } from '../utils/project';
import { render } from '../utils/render';
import { addModuleImport, addNamedImports, importedNames, insertAfterAppCreation, markBaselineRoutes } from '../utils/ts-edit';
import type { InitOptions } from './schema';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const OWN_VERSION: string = require('../../package.json').version;

/** `@bastion/nest` and its peers, in versions that match the app's Nest major. */
export function requiredDependencies(nestMajor: number): Record<string, string> {
  return {
    '@bastion/nest': `^${OWN_VERSION}`,
    '@nestjs/config': nestMajor >= 12 ? '^12.0.0' : '^4.0.0',
    '@nestjs/passport': nestMajor >= 12 ? '^12.0.0' : '^11.0.0',
    '@nestjs/throttler': '^6.7.0',
    'class-transformer': '^0.5.1',
    'class-validator': nestMajor >= 12 ? '^0.15.1' : '^0.14.1',
  };
}

export const ENV_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['JWT_ISSUER', 'https://id.example.com/'],
  ['JWT_AUDIENCE', ''],
  ['JWT_JWKS_URI', 'https://id.example.com/.well-known/jwks.json'],
];

export function main(options: InitOptions): Rule {
  return (tree: Tree, context: SchematicContext) => {
    const info = projectInfo(tree, options.sourceRoot);
    const added = addDependencies(tree, context, info);
    writeBastionJson(tree, context);
    writeEnvExample(tree, context, options.audience ?? String(info.pkg.name ?? 'api'));
    const configFile = posix.join(info.sourceRoot, 'bastion.config.ts');
    writeNew(tree, context, configFile, render('init/bastion.config.ts', {}));
    wireRootModule(tree, context, info, posix.join(info.sourceRoot, options.rootModule ?? 'app.module.ts'), configFile);
    wireMain(tree, context, info);
    wireE2eSpecs(tree, context);
    markBaseline(tree, context, info);
    if (added.length && !options.skipInstall) {
      context.addTask(new NodePackageInstallTask({ packageManager: info.packageManager }));
    } else if (added.length) {
      context.logger.info(`skipped install (--skip-install): run your package manager to install ${added.join(', ')}`);
    }
    return tree;
  };
}

function addDependencies(tree: Tree, context: SchematicContext, info: ProjectInfo): string[] {
  const pkg = readJson<PackageJson>(tree, 'package.json')!;
  const deps = { ...(pkg.dependencies ?? {}) };
  const added: string[] = [];
  for (const [name, range] of Object.entries(requiredDependencies(info.nestMajor))) {
    if (deps[name] !== undefined || pkg.devDependencies?.[name] !== undefined) continue;
    deps[name] = range;
    added.push(name);
  }
  if (!added.length) return added;
  pkg.dependencies = Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
  overwrite(tree, 'package.json', JSON.stringify(pkg, null, 2) + '\n');
  context.logger.info(`package.json: added ${added.join(', ')}`);
  return added;
}

function writeBastionJson(tree: Tree, context: SchematicContext): void {
  const existing = readJson<Record<string, unknown>>(tree, CONFIG_FILE);
  if (!existing) {
    tree.create(CONFIG_FILE, JSON.stringify(DEFAULT_CONFIG, null, 2) + '\n');
    return;
  }
  const missing = Object.keys(DEFAULT_CONFIG).filter((k) => !(k in existing));
  if (!missing.length) return;
  const merged: Record<string, unknown> = { ...existing };
  for (const k of missing) merged[k] = DEFAULT_CONFIG[k as keyof typeof DEFAULT_CONFIG];
  overwrite(tree, CONFIG_FILE, JSON.stringify(merged, null, 2) + '\n');
  context.logger.info(`${CONFIG_FILE}: added ${missing.join(', ')}; your settings are kept`);
}

function writeEnvExample(tree: Tree, context: SchematicContext, audience: string): void {
  const path = '.env.example';
  const text = tree.read(path)?.toString('utf8') ?? '';
  const present = new Set(text.split('\n').map((l) => /^\s*([A-Z0-9_]+)\s*=/.exec(l)?.[1]).filter(Boolean));
  const lines = ENV_KEYS.filter(([k]) => !present.has(k)).map(([k, v]) => `${k}=${k === 'JWT_AUDIENCE' ? audience : v}`);
  if (!lines.length) return;
  const block = `# Bastion: the token issuer your API trusts (all three, or none: then every non-public route is 401)\n${lines.join('\n')}\n`;
  if (!text) tree.create(path, block);
  else {
    overwrite(tree, path, `${text.endsWith('\n') ? text : text + '\n'}\n${block}`);
    context.logger.info(`${path}: added ${lines.map((l) => l.split('=')[0]).join(', ')}`);
  }
}

function wireRootModule(tree: Tree, context: SchematicContext, info: ProjectInfo, modulePath: string, configFile: string): void {
  const original = tree.read(modulePath)?.toString('utf8');
  if (original === undefined) {
    throw new SchematicsException(`Root module ${modulePath} not found; pass --root-module (relative to ${info.sourceRoot})`);
  }
  let text = original;
  const names = importedNames(modulePath, text);
  if (!names.has('ConfigModule') || !/ConfigModule\s*\.\s*forRoot/.test(text)) {
    const r = addModuleImport(modulePath, text, 'ConfigModule.forRoot()', 'ConfigModule');
    if (r.result === 'added') text = addNamedImports(modulePath, r.text, ['ConfigModule'], '@nestjs/config');
  }
  const r = addModuleImport(
    modulePath,
    text,
    'BastionModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService], useFactory: bastionOptions })',
    'BastionModule',
  );
  if (r.result === 'added') {
    text = addNamedImports(modulePath, r.text, ['ConfigModule', 'ConfigService'], '@nestjs/config');
    text = addNamedImports(modulePath, text, ['BastionModule'], '@bastion/nest');
    text = addNamedImports(modulePath, text, ['bastionOptions'], relativeImport(modulePath, configFile, info.esm));
  } else if (r.result === 'present') {
    context.logger.info(`skipped ${modulePath}: BastionModule is already imported`);
  } else {
    throw new SchematicsException(`Cannot add BastionModule to ${modulePath}: ${r.result === 'no-module' ? 'no @Module({...}) found' : '"imports" is not an array literal'}`);
  }
  if (text !== original) overwrite(tree, modulePath, text);
}

function wireMain(tree: Tree, context: SchematicContext, info: ProjectInfo): void {
  const path = posix.join(info.sourceRoot, 'main.ts');
  const text = tree.read(path)?.toString('utf8');
  if (text === undefined) {
    context.logger.warn(`skipped configureBastion: ${path} not found; call configureBastion(app) before listen() yourself`);
    return;
  }
  if (/configureBastion\s*\(/.test(text)) return;
  const r = insertAfterAppCreation(path, text, 'configureBastion({app});');
  if (!r.inserted) {
    context.logger.warn(`skipped configureBastion: no "const app = await NestFactory.create(...)" in ${path}; call configureBastion(app) before listen() yourself`);
    return;
  }
  overwrite(tree, path, addNamedImports(path, r.text, ['configureBastion'], '@bastion/nest'));
}

/**
 * The app's existing e2e specs create the app themselves (`app = moduleFixture.createNestApplication()`):
 * BastionModule refuses to start without `configureBastion(app)`, so each gets it after that line.
 */
function wireE2eSpecs(tree: Tree, context: SchematicContext): void {
  tree.getDir('test').visit((path) => {
    if (!path.endsWith('.e2e-spec.ts') || path.includes('/node_modules/')) return;
    const file = path.replace(/^\//, '');
    const text = tree.read(file)!.toString('utf8');
    if (!/createNestApplication\s*[<(]/.test(text) || /configureBastion\s*\(/.test(text)) return;
    const r = insertAfterAppCreation(file, text, 'configureBastion({app});', /\.createNestApplication\s*[<(]/);
    if (!r.inserted) {
      context.logger.warn(`skipped configureBastion in ${file}: call configureBastion(app) after createNestApplication() yourself`);
      return;
    }
    overwrite(tree, file, addNamedImports(file, r.text, ['configureBastion'], '@bastion/nest'));
  });
}

function markBaseline(tree: Tree, context: SchematicContext, info: ProjectInfo): void {
  const marked: string[] = [];
  tree.getDir(info.sourceRoot).visit((path) => {
    if (!path.endsWith('.ts') || /\.(spec|e2e-spec|test|d)\.ts$/.test(path) || path.includes('/node_modules/')) return;
    const file = path.replace(/^\//, '');
    const text = tree.read(file)!.toString('utf8');
    if (!text.includes('@Controller')) return;
    const r = markBaselineRoutes(file, text);
    if (!r.marked.length) return;
    tree.overwrite(file, addNamedImports(file, r.text, ['Public'], '@bastion/nest'));
    marked.push(...r.marked);
  });
  if (marked.length) {
    context.logger.info(
      `marked ${marked.length} existing route(s) @Public({ baseline: true }) to keep their behaviour: ${marked.join(', ')}. ` +
        'Review them with "bastion audit"; "nest g -c @bastion/schematics retrofit" replaces the markers with scopes.',
    );
  }
}
