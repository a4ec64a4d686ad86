import semver from 'semver';

/** A package version as the project has it: installed, or else the lowest its package.json range allows. */
export interface PackageVersion {
  /** The package's name. */
  name: string;
  /** Its version (semver). */
  version: string;
  /** Read from its installed `package.json`, or derived from the project's range. */
  source: 'installed' | 'package.json';
  /** The range written in package.json, when the version comes from there. */
  range?: string;
}

/**
 * What `@bastion/nest` needs from the project it is imported into: its peer range of `@nestjs/core` (a test
 * keeps it equal to the package's own), and the oldest TypeScript it supports. TypeScript 4.7 still reads its
 * declarations next to NestJS 12's; 5.0 is the supported floor, so a project below it gets no import.
 */
export const BASTION_NEST_REQUIRES = { '@nestjs/core': '^11.0.0 || ^12.0.0', typescript: '>=5.0.0' } as const;

/** The oldest TypeScript the generated DTOs and pipes are checked against (syntax up to `import type`). */
export const OLDEST_TYPESCRIPT = '3.8.0';

/** Whether the project can take `@bastion/nest` imports, and the generated code at all. */
export interface Compatibility {
  /** `@nestjs/core`, when the project has it. */
  nest?: PackageVersion;
  /** `typescript`, when the project has it. */
  typescript?: PackageVersion;
  /** `@bastion/nest`'s requirements are met (or the versions cannot be told): its imports may be written. */
  bastionNest: boolean;
  /** The project's TypeScript compiles the DTO and pipe transforms' output (3.8 or later, or unknown). */
  transformsCompile: boolean;
  /** Why not, when it does not. */
  transformsProblem?: string;
  /** One sentence per unmet requirement of `@bastion/nest`. */
  problems: string[];
  /** What to do, in order, to get `@bastion/nest` in. Empty when nothing is needed. */
  upgradePath: string[];
}

/** The version of `name` from its installed package.json (`installed`), else from the project's declared range. */
export function packageVersion(name: string, installed: string | undefined, pkg: Record<string, unknown>): PackageVersion | undefined {
  if (installed && semver.valid(installed)) return { name, version: installed, source: 'installed' };
  for (const key of ['dependencies', 'devDependencies', 'peerDependencies']) {
    const range = (pkg[key] as Record<string, unknown> | undefined)?.[name];
    if (typeof range !== 'string') continue;
    const lowest = lowestVersion(range);
    if (lowest) return { name, version: lowest, source: 'package.json', range };
  }
  return undefined;
}

function lowestVersion(range: string): string | undefined {
  const spec = range.startsWith('npm:') ? range.slice(range.lastIndexOf('@') + 1) : range;
  try {
    const min = semver.validRange(spec) ? semver.minVersion(spec) : null;
    return min?.version ?? semver.coerce(spec)?.version;
  } catch {
    return undefined;
  }
}

function describe(v: PackageVersion): string {
  return v.source === 'installed' ? `${v.name} ${v.version} is installed` : `package.json asks for ${v.name} ${v.range}`;
}

/** Checks the project's NestJS and TypeScript against what `@bastion/nest` and the generated code need. */
export function checkCompatibility(nest: PackageVersion | undefined, typescript: PackageVersion | undefined, addBastionCommand = 'npm install @bastion/nest'): Compatibility {
  const problems: string[] = [];
  const upgradePath: string[] = [];
  const opts = { includePrerelease: true };
  const nestOk = !nest || semver.satisfies(nest.version, BASTION_NEST_REQUIRES['@nestjs/core'], opts);
  const tsOk = !typescript || semver.satisfies(typescript.version, BASTION_NEST_REQUIRES.typescript, opts);
  const transformsCompile = !typescript || semver.gte(typescript.version, OLDEST_TYPESCRIPT);
  if (nest && !nestOk) {
    const major = semver.major(nest.version);
    problems.push(`${describe(nest)}; @bastion/nest needs @nestjs/core ${BASTION_NEST_REQUIRES['@nestjs/core']}`);
    if (major < 11) {
      const steps = Array.from({ length: 12 - major }, (_, i) => major + i).join(' → ');
      upgradePath.push(`upgrade NestJS one major version at a time (${steps}), following each step's migration guide (https://docs.nestjs.com/migration-guide)`);
    } else {
      upgradePath.push(`use a @bastion/nest release whose peer range includes NestJS ${major}`);
    }
  }
  if (typescript && !tsOk) {
    problems.push(`${describe(typescript)}; @bastion/nest supports TypeScript ${BASTION_NEST_REQUIRES.typescript.replace('>=', '')} or later`);
    upgradePath.push('upgrade TypeScript to 5.0 or later (npm install -D typescript@^5)');
  }
  if (problems.length) upgradePath.push(`then add @bastion/nest (${addBastionCommand}) and run bastion retrofit again: its scopes and policies transforms add the access decisions`);
  const transformsProblem = transformsCompile ? undefined : `${describe(typescript!)}; the generated DTOs and pipes are checked against TypeScript ${OLDEST_TYPESCRIPT} and later only`;
  return { nest, typescript, bastionNest: nestOk && tsOk, transformsCompile, ...(transformsProblem ? { transformsProblem } : {}), problems, upgradePath };
}

/** One paragraph: why `@bastion/nest` cannot be used here and the upgrade path. */
export function describeCompatibility(c: Compatibility): string {
  if (c.bastionNest) return '';
  return `@bastion/nest cannot be used in this project yet: ${c.problems.join('; ')}. Upgrade path: ${c.upgradePath.map((s, i) => `${i + 1}. ${s}`).join(' ')}`;
}
