import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from 'ts-morph';
import { DEFAULT_CONFIG, type BastionConfig } from '../../src/project/bastion-config.js';
import { workspaceFromProject, type Workspace } from '../../src/project/workspace.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const TRANSFORM_DIRS = ['scopes', 'dtos', 'params', 'policies'] as const;

/** Per-case settings in `<case>.json` beside the pair. */
export interface CaseOptions {
  /** Transforms to run (default: the folder's transform). */
  transforms?: string[];
  /** `@bastion/nest` listed in the project's package.json (default true). */
  bastion?: boolean;
  /** NodeNext ESM project (relative imports end in `.js`). */
  esm?: boolean;
  /** Substrings that must appear among the skipped-case reasons. */
  reported?: string[];
  /** Substrings that must appear among the access-table rows (`METHOD path | before | after | callers`). */
  access?: string[];
  /** Run retrofit with `lockDown`. */
  lockDown?: boolean;
  /** Take the input and extras of another case of the folder (the same app, other options). */
  inputOf?: string;
  /** The input itself does not type-check under `strict` (e.g. an untyped parameter); skip TS7006 for it. */
  allowImplicitAny?: boolean;
  /** Every DTO rule the report lists, as `<origin> <Class.field> <rule>`, in order. */
  bounds?: string[];
  /** `bastion.json` settings. */
  config?: Partial<BastionConfig>;
}

export interface FixtureCase {
  transform: string;
  name: string;
  input: string;
  output: string;
  /** Expected generated DTO file (`<case>.dto.output.ts`), if the case creates one. */
  dtoOutput?: string;
  /** Extra unchanged files: `<case>.extra.<name>.ts` → `<name>.ts` beside the case. */
  extras: Map<string, string>;
  /** `<case>.schema.prisma` → `prisma/schema.prisma` at the project root. */
  prisma?: string;
  options: CaseOptions;
  dir: string;
}

export function discoverCases(): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const transform of TRANSFORM_DIRS) {
    const dir = join(FIXTURES, transform);
    if (!existsSync(dir)) continue;
    const files = readdirSync(dir);
    const names = files.filter((x) => x.endsWith('.output.ts') && !x.endsWith('.dto.output.ts')).map((f) => f.slice(0, -'.output.ts'.length)).sort();
    for (const name of names) {
      const read = (base: string, suffix: string) => (existsSync(join(dir, base + suffix)) ? readFileSync(join(dir, base + suffix), 'utf8') : undefined);
      const json = read(name, '.json');
      const options = json ? (JSON.parse(json) as CaseOptions) : {};
      const source = options.inputOf ?? name;
      const extras = new Map<string, string>();
      for (const x of files) {
        const m = new RegExp(`^${source.replace(/[-.]/g, '\\$&')}\\.extra\\.(.+)\\.ts$`).exec(x);
        if (m?.[1]) extras.set(m[1], readFileSync(join(dir, x), 'utf8'));
      }
      const input = read(source, '.input.ts');
      if (input === undefined) throw new Error(`fixture ${transform}/${name}: no ${source}.input.ts`);
      cases.push({
        transform, name, dir, extras, input, options,
        output: read(name, '.output.ts') ?? '',
        dtoOutput: read(name, '.dto.output.ts'),
        prisma: read(source, '.schema.prisma'),
      });
    }
  }
  return cases;
}

export const ROOT = '/proj';

export function casePath(c: FixtureCase, file = c.name): string {
  return `${ROOT}/src/${file}.ts`;
}

/** An in-memory project holding the case's input (and extras), as the engine sees it on disk. */
export function caseWorkspace(c: FixtureCase, text = c.input): Workspace {
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true, compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true } });
  project.createSourceFile(casePath(c), text);
  for (const [name, extra] of c.extras) project.createSourceFile(casePath(c, name), extra);
  if (c.prisma) project.getFileSystem().writeFileSync(`${ROOT}/prisma/schema.prisma`, c.prisma);
  const bastion = c.options.bastion !== false;
  return workspaceFromProject(project, {
    cwd: ROOT,
    info: {
      root: ROOT,
      dependencies: new Set(bastion ? ['@bastion/nest', '@nestjs/common'] : ['@nestjs/common']),
      hasBastionNest: bastion,
      addBastionCommand: 'npm install @bastion/nest',
      typescriptVersion: '6.0.3',
      moduleSystem: c.options.esm ? 'esm-nodenext' : 'commonjs',
    },
    config: { ...DEFAULT_CONFIG, ...c.options.config },
  });
}
