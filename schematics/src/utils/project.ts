import { SchematicsException, type SchematicContext, type Tree } from '@angular-devkit/schematics';
import type { BastionConfig, Compatibility } from '@bastion/codemod';
import { posix } from 'node:path';
import { engine, withEngine } from './engine';

export interface PackageJson {
  name?: string;
  type?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  jest?: unknown;
  [key: string]: unknown;
}

/** What the schematics need to know about the target project. */
export interface ProjectInfo {
  pkg: PackageJson;
  /** NodeNext ESM: relative imports need the `.js` suffix (the engine's module-system detection). */
  esm: boolean;
  /** Major version of `@nestjs/core` (12 when it cannot be told). */
  nestMajor: number;
  /** NestJS and TypeScript against what `@bastion/nest` and the generated code need. */
  compatibility: Compatibility;
  platform: 'express' | 'fastify';
  testRunner: 'vitest' | 'jest' | undefined;
  swagger: boolean;
  sourceRoot: string;
  packageManager: 'npm' | 'pnpm' | 'yarn';
}

export function readJson<T>(tree: Tree, path: string): T | undefined {
  const raw = tree.read(path);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as T;
  } catch (err) {
    throw new SchematicsException(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}

export function hasDep(pkg: PackageJson, name: string): boolean {
  return pkg.dependencies?.[name] !== undefined || pkg.devDependencies?.[name] !== undefined;
}

/** The version of an installed package, when the tree reaches `node_modules` (the Nest CLI's does). */
function installedVersion(tree: Tree, name: string): string | undefined {
  try {
    return readJson<{ version?: string }>(tree, `node_modules/${name}/package.json`)?.version;
  } catch {
    return undefined;
  }
}

export function projectInfo(tree: Tree, sourceRootOption?: string): ProjectInfo {
  const pkg = readJson<PackageJson>(tree, 'package.json');
  if (!pkg) throw new SchematicsException('No package.json at the project root: run this inside a Nest project');
  const e = engine();
  const cli = readJson<{ sourceRoot?: string }>(tree, 'nest-cli.json');
  const sourceRoot = normalize(sourceRootOption ?? cli?.sourceRoot ?? 'src');
  const nest = e.packageVersion('@nestjs/core', installedVersion(tree, '@nestjs/core'), pkg) ?? e.packageVersion('@nestjs/common', installedVersion(tree, '@nestjs/common'), pkg);
  const typescript = e.packageVersion('typescript', installedVersion(tree, 'typescript'), pkg);
  const packageManager = tree.exists('pnpm-lock.yaml') ? 'pnpm' : tree.exists('yarn.lock') ? 'yarn' : 'npm';
  const add = { npm: 'npm install', pnpm: 'pnpm add', yarn: 'yarn add' }[packageManager];
  const main = tree.read(posix.join(sourceRoot, 'main.ts'))?.toString('utf8') ?? '';
  const fastify = hasDep(pkg, '@nestjs/platform-fastify') && (!hasDep(pkg, '@nestjs/platform-express') || main.includes('FastifyAdapter'));
  const tsModule = e.tsconfigModule((path) => tree.read(path)?.toString('utf8'));
  return {
    pkg,
    esm: e.moduleSystemOf(tsModule ?? (pkg.type === 'module' ? 'nodenext' : 'commonjs'), pkg.type === 'module') === 'esm-nodenext',
    nestMajor: nest ? Number(nest.version.split('.')[0]) : 12,
    compatibility: e.checkCompatibility(nest, typescript, `${add} @bastion/nest`),
    platform: fastify ? 'fastify' : 'express',
    testRunner: hasDep(pkg, 'vitest') ? 'vitest' : hasDep(pkg, 'jest') || pkg.jest !== undefined ? 'jest' : undefined,
    swagger: hasDep(pkg, '@nestjs/swagger'),
    sourceRoot,
    packageManager,
  };
}

/** Refuses, naming the upgrade path, to write `@bastion/nest` code into a project that cannot compile it. */
export function requireBastionSupport(info: ProjectInfo, schematic: string): void {
  if (!info.compatibility.bastionNest) {
    throw new SchematicsException(`${schematic}: ${engine().describeCompatibility(info.compatibility)}`);
  }
}

/** `bastion.json` over the defaults, through the engine's one reader (unknown keys are logged, not fatal). */
export function readBastionConfig(tree: Tree, context: SchematicContext): { config: BastionConfig; exists: boolean } {
  return withEngine((e) => {
    const raw = tree.read(e.CONFIG_FILE);
    if (!raw) return { config: e.defaultConfig(), exists: false };
    return { config: e.parseBastionConfigJson(raw.toString('utf8'), e.CONFIG_FILE, (w) => context.logger.warn(w)), exists: true };
  });
}

export function normalize(path: string): string {
  return posix.normalize(path.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '') || '.';
}

/** A relative import specifier from `fromFile` to `toFile` (no extension), `.js`-suffixed in ESM projects. */
export function relativeImport(fromFile: string, toFile: string, esm: boolean): string {
  return engine().relativeSpecifier(fromFile, toFile, esm);
}

/**
 * Creates `path` unless it exists. An identical file is left alone silently; a different one is kept and
 * reported, so a second run changes nothing and never overwrites the user's edits.
 */
export function writeNew(tree: Tree, context: SchematicContext, path: string, content: string): boolean {
  const existing = tree.read(path);
  if (existing) {
    if (existing.toString('utf8') !== content) context.logger.warn(`skipped ${path}: it exists and differs; your version is kept`);
    return false;
  }
  tree.create(path, content);
  return true;
}

/** Overwrites `path` only when the content changes (so untouched files stay out of the change list). */
export function overwrite(tree: Tree, path: string, content: string): boolean {
  if (tree.read(path)?.toString('utf8') === content) return false;
  tree.overwrite(path, content);
  return true;
}
