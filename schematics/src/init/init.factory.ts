import { SchematicsException, type Rule, type SchematicContext, type Tree } from '@angular-devkit/schematics';
import { NodePackageInstallTask } from '@angular-devkit/schematics/tasks';
import { posix } from 'node:path';
import type { AppFactory } from '@bastion/codemod';
import { engine, withEngine } from '../utils/engine';
import { overwrite, projectInfo, readBastionConfig, readJson, relativeImport, requireBastionSupport, writeNew, type PackageJson, type ProjectInfo } from '../utils/project';
import { adoptAppAuthentication, authenticatorsOf, localIssuerConfig, printAdoption, writeMovedSecretEnv, writeTokensCarryScopes } from './adopt-auth';
import { render } from '../utils/render';
import type { InitOptions } from './schema';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const OWN_VERSION: string = require('../../package.json').version;

/**
 * `@bastion/nest` and its peers, in versions that match the app's Nest major; the codemod as a dev dependency
 * (`bastion audit`, `bastion retrofit`, and the `$schema` of `bastion.json`).
 */
export function requiredDependencies(nestMajor: number): Record<'dependencies' | 'devDependencies', Record<string, string>> {
  return {
    dependencies: {
      '@bastion/nest': `^${OWN_VERSION}`,
      '@nestjs/config': nestMajor >= 12 ? '^12.0.0' : '^4.0.0',
      '@nestjs/passport': nestMajor >= 12 ? '^12.0.0' : '^11.0.0',
      '@nestjs/throttler': '^6.7.0',
      'class-transformer': '^0.5.1',
      'class-validator': nestMajor >= 12 ? '^0.15.1' : '^0.14.1',
    },
    devDependencies: { '@bastion/codemod': `^${OWN_VERSION}` },
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
    requireBastionSupport(info, 'init');
    const added = addDependencies(tree, context, info);
    const stated = readJson<Record<string, unknown>>(tree, engine().CONFIG_FILE)?.tokensCarryScopes;
    writeBastionJson(tree, context);
    const configFile = posix.join(info.sourceRoot, 'bastion.config.ts');
    const configExisted = tree.exists(configFile);
    // The app's authentication is read as the app has it, before BastionModule is wired in.
    const { config } = readBastionConfig(tree, context);
    const adoption = adoptAppAuthentication(tree, info, configFile, config, typeof stated === 'boolean' ? stated : undefined, options.audience);
    wireRootModule(tree, context, info, posix.join(info.sourceRoot, options.rootModule ?? 'app.module.ts'), configFile);
    wireMain(tree, context, info);
    wireE2eSpecs(tree, context);
    if (adoption.localIssuer) {
      writeNew(tree, context, configFile, localIssuerConfig(adoption));
      if (adoption.movedSecret) writeMovedSecretEnv(tree, context, adoption.movedSecret.env);
    } else if (!adoption.alreadyWired) {
      writeEnvExample(tree, context, options.audience ?? String(info.pkg.name ?? 'api'));
      if (!configExisted) writeNew(tree, context, configFile, render('init/bastion.config.ts', { authenticators: authenticatorsOf(adoption) }));
    }
    if (adoption.tokensCarryScopes !== undefined) writeTokensCarryScopes(tree, adoption.tokensCarryScopes);
    printAdoption(context, adoption);
    if (added.length && !options.skipInstall) {
      context.addTask(new NodePackageInstallTask({ packageManager: info.packageManager }));
    } else if (added.length) {
      context.logger.info(`skipped install (--skip-install): run your package manager to install ${added.join(', ')}`);
    }
    return tree;
  };
}

/** Adds `@bastion/nest`, its peers and the codemod to package.json where missing; returns the names added. */
export function addDependencies(tree: Tree, context: SchematicContext, info: ProjectInfo): string[] {
  const pkg = readJson<PackageJson>(tree, 'package.json')!;
  const added: string[] = [];
  for (const section of ['dependencies', 'devDependencies'] as const) {
    const wanted = requiredDependencies(info.nestMajor)[section];
    const deps = { ...(pkg[section] ?? {}) };
    const missing = Object.keys(wanted).filter((name) => pkg.dependencies?.[name] === undefined && pkg.devDependencies?.[name] === undefined);
    if (!missing.length) continue;
    for (const name of missing) deps[name] = wanted[name]!;
    pkg[section] = Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
    added.push(...missing);
  }
  if (!added.length) return added;
  overwrite(tree, 'package.json', JSON.stringify(pkg, null, 2) + '\n');
  context.logger.info(`package.json: added ${added.join(', ')}`);
  return added;
}

/** Writes `bastion.json` (every key, defaults, `$schema` for editors), or adds the keys an existing one lacks. */
function writeBastionJson(tree: Tree, context: SchematicContext): void {
  withEngine((e) => {
    const defaults = { $schema: e.CONFIG_SCHEMA_REF, ...e.defaultConfig() } as Record<string, unknown>;
    const existing = readJson<Record<string, unknown>>(tree, e.CONFIG_FILE);
    if (!existing) {
      tree.create(e.CONFIG_FILE, JSON.stringify(defaults, null, 2) + '\n');
      return;
    }
    // The engine checks it first: a wrong value stops here, naming the key, before anything is written.
    e.parseBastionConfig(existing, e.CONFIG_FILE, (w) => context.logger.warn(w));
    const missing = Object.keys(defaults).filter((k) => !(k in existing));
    if (!missing.length) return;
    const merged: Record<string, unknown> = existing.$schema === undefined ? { $schema: defaults.$schema, ...existing } : { ...existing };
    for (const k of missing) merged[k] = defaults[k];
    overwrite(tree, e.CONFIG_FILE, JSON.stringify(merged, null, 2) + '\n');
    context.logger.info(`${e.CONFIG_FILE}: added ${missing.join(', ')}; your settings are kept`);
  });
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

/** Imports `ConfigModule` (unless loaded) and `BastionModule.forRootAsync` fed by `configFile`'s `bastionOptions` into `modulePath`. */
export function wireRootModule(tree: Tree, context: SchematicContext, info: ProjectInfo, modulePath: string, configFile: string): void {
  const original = tree.read(modulePath)?.toString('utf8');
  if (original === undefined) {
    throw new SchematicsException(`Root module ${modulePath} not found; pass --root-module (relative to ${info.sourceRoot})`);
  }
  const e = engine();
  const { text, result } = e.editSource(modulePath, original, (src) => {
    const ref = (module: string, name: string) => src.imports.ref(module, name);
    const configLoaded = e.callsImported(src, '@nestjs/config', 'ConfigModule', 'forRoot');
    return e.addModuleImports(src, [
      ...(configLoaded ? [] : [{ marker: 'ConfigModule', element: () => `${ref('@nestjs/config', 'ConfigModule')}.forRoot()` }]),
      {
        marker: 'BastionModule',
        element: () => {
          const [config, service] = [ref('@nestjs/config', 'ConfigModule'), ref('@nestjs/config', 'ConfigService')];
          const bastion = ref('@bastion/nest', 'BastionModule');
          const options = ref(relativeImport(modulePath, configFile, info.esm), 'bastionOptions');
          return `${bastion}.forRootAsync({ imports: [${config}], inject: [${service}], useFactory: ${options} })`;
        },
      },
    ]);
  });
  if (result.status !== 'ok') {
    throw new SchematicsException(`Cannot add BastionModule to ${modulePath}: ${result.status === 'no-module' ? 'no @Module({...}) found' : '"imports" is not an array literal'}`);
  }
  if (result.present.includes('BastionModule')) context.logger.info(`skipped ${modulePath}: BastionModule is already imported`);
  overwrite(tree, modulePath, text);
}

/** `configureBastion(app)` in `<sourceRoot>/main.ts` (a warning, with what to add, when it cannot be placed). */
export function wireMain(tree: Tree, context: SchematicContext, info: ProjectInfo): void {
  const path = posix.join(info.sourceRoot, 'main.ts');
  const original = tree.read(path)?.toString('utf8');
  if (original === undefined) {
    context.logger.warn(`skipped configureBastion: ${path} not found; call configureBastion(app) before listen() yourself`);
    return;
  }
  if (addConfigureBastion(tree, path, original, 'nest-factory') === 'no-app') {
    context.logger.warn(`skipped configureBastion: no "const app = await NestFactory.create(...)" in ${path}; call configureBastion(app) before listen() yourself`);
  }
}

/**
 * The app's existing e2e specs create the app themselves (`app = moduleFixture.createNestApplication()`):
 * BastionModule refuses to start without `configureBastion(app)`, so each gets it after that line.
 */
function wireE2eSpecs(tree: Tree, context: SchematicContext): void {
  tree.getDir('test').visit((path) => {
    if (!path.endsWith('.e2e-spec.ts') || path.includes('/node_modules/')) return;
    const file = path.replace(/^\//, '');
    const original = tree.read(file)!.toString('utf8');
    if (!original.includes('createNestApplication')) return;
    if (addConfigureBastion(tree, file, original, 'testing-module') === 'no-app') {
      context.logger.warn(`skipped configureBastion in ${file}: call configureBastion(app) after createNestApplication() yourself`);
    }
  });
}

/** `configureBastion(app)` right after the statement that creates the app, unless the file already calls it. */
function addConfigureBastion(tree: Tree, path: string, original: string, factory: AppFactory): 'present' | 'inserted' | 'no-app' {
  const e = engine();
  const { text, result } = e.editSource(path, original, (src) => {
    if (e.callsImported(src, '@bastion/nest', 'configureBastion')) return 'present';
    const name = src.imports.ref('@bastion/nest', 'configureBastion');
    return e.insertAfterAppCreation(src, (app) => `${name}(${app});`, factory) ? 'inserted' : 'no-app';
  });
  if (result === 'inserted') overwrite(tree, path, text);
  return result;
}
