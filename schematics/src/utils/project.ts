import { SchematicsException, type SchematicContext, type Tree } from '@angular-devkit/schematics';
import { posix } from 'node:path';

export interface PackageJson {
  type?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  jest?: unknown;
  [key: string]: unknown;
}

/** What the schematics need to know about the target project. */
export interface ProjectInfo {
  pkg: PackageJson;
  /** `"type": "module"`: relative imports need the `.js` suffix (NodeNext). */
  esm: boolean;
  /** Major version of `@nestjs/core` (12 when it cannot be read). */
  nestMajor: number;
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

export function projectInfo(tree: Tree, sourceRootOption?: string): ProjectInfo {
  const pkg = readJson<PackageJson>(tree, 'package.json');
  if (!pkg) throw new SchematicsException('No package.json at the project root: run this inside a Nest project');
  const cli = readJson<{ sourceRoot?: string }>(tree, 'nest-cli.json');
  const sourceRoot = normalize(sourceRootOption ?? cli?.sourceRoot ?? 'src');
  const core = pkg.dependencies?.['@nestjs/core'] ?? pkg.devDependencies?.['@nestjs/core'] ?? '';
  const major = Number(/(\d+)/.exec(core)?.[1] ?? 12);
  const main = tree.read(posix.join(sourceRoot, 'main.ts'))?.toString('utf8') ?? '';
  const fastify = hasDep(pkg, '@nestjs/platform-fastify') && (!hasDep(pkg, '@nestjs/platform-express') || main.includes('FastifyAdapter'));
  return {
    pkg,
    esm: pkg.type === 'module',
    nestMajor: Number.isFinite(major) && major > 0 ? major : 12,
    platform: fastify ? 'fastify' : 'express',
    testRunner: hasDep(pkg, 'vitest') ? 'vitest' : hasDep(pkg, 'jest') || pkg.jest !== undefined ? 'jest' : undefined,
    swagger: hasDep(pkg, '@nestjs/swagger'),
    sourceRoot,
    packageManager: tree.exists('pnpm-lock.yaml') ? 'pnpm' : tree.exists('yarn.lock') ? 'yarn' : 'npm',
  };
}

export function normalize(path: string): string {
  return posix.normalize(path.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '') || '.';
}

/** A relative import specifier from `fromFile` to `toFile` (no extension), `.js`-suffixed in ESM projects. */
export function relativeImport(fromFile: string, toFile: string, esm: boolean): string {
  let rel = posix.relative(posix.dirname(fromFile), toFile.replace(/\.ts$/, ''));
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return esm ? `${rel}.js` : rel;
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
