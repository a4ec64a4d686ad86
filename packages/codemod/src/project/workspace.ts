import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import picomatch from 'picomatch';
import { Project, ts, type SourceFile } from 'ts-morph';
import { CodemodError } from '../errors.js';
import { defaultConfig, readBastionConfig, type BastionConfig } from './bastion-config.js';
import { isGeneratedFile, readProjectInfo, type ProjectInfo } from './project-info.js';

/** The project the engine works on: parsed sources plus the facts that steer the transforms. */
export interface Workspace {
  project: Project;
  cwd: string;
  tsconfigPath: string;
  info: ProjectInfo;
  config: BastionConfig;
  /** What `bastion.json` holds that was tolerated (unknown keys, old spellings). */
  configWarnings: string[];
  /** Files the transforms may touch: in the tsconfig, matched by include/exclude, not generated. */
  files: SourceFile[];
  /** Every non-declaration source in the tsconfig (analysis of app-wide settings looks at all of them). */
  allFiles: SourceFile[];
  skippedFiles: Array<{ file: string; line: number; reason: string }>;
  emitDecoratorMetadata: boolean;
}

export interface WorkspaceOptions {
  /** Path to the project's tsconfig.json (relative to `cwd`). */
  project: string;
  cwd?: string;
  include?: string[];
  exclude?: string[];
}

export function relativePath(ws: Pick<Workspace, 'cwd'>, path: string): string {
  const rel = relative(ws.cwd, path);
  return rel.split('\\').join('/');
}

/** Opens a project from disk. Parses only; nothing is type-checked. */
export function openWorkspace(options: WorkspaceOptions): Workspace {
  const cwd = resolve(options.cwd ?? process.cwd());
  const tsconfigPath = isAbsolute(options.project) ? options.project : resolve(cwd, options.project);
  if (!existsSync(tsconfigPath)) throw new CodemodError('ERR_PROJECT_NOT_FOUND', `tsconfig not found: ${options.project}`, options.project);
  let project: Project;
  try {
    project = new Project({ tsConfigFilePath: tsconfigPath, skipFileDependencyResolution: true, skipLoadingLibFiles: true });
  } catch (cause) {
    throw new CodemodError('ERR_PROJECT_LOAD', `cannot load ${options.project}: ${(cause as Error).message}`, options.project, undefined, { cause });
  }
  const opts = project.getCompilerOptions();
  const moduleName = opts.module === undefined ? undefined : ts.ModuleKind[opts.module];
  const info = readProjectInfo(dirname(tsconfigPath), moduleName);
  const configWarnings: string[] = [];
  const config = readBastionConfig(info.root, (w) => configWarnings.push(w));
  return selectFiles({ project, cwd, tsconfigPath, info, config, configWarnings, emitDecoratorMetadata: opts.emitDecoratorMetadata === true }, options);
}

/** Builds a workspace over an existing ts-morph project (tests use an in-memory one). */
export function workspaceFromProject(
  project: Project,
  init: { cwd: string; tsconfigPath?: string; info: ProjectInfo; config: BastionConfig; include?: string[]; exclude?: string[] },
): Workspace {
  return selectFiles(
    { project, cwd: init.cwd, tsconfigPath: init.tsconfigPath ?? `${init.cwd}/tsconfig.json`, info: init.info, config: init.config, configWarnings: [], emitDecoratorMetadata: true },
    init,
  );
}

/**
 * A workspace over source texts held in memory (path → text, paths relative to the project root), for
 * callers that edit through something other than the disk, such as the schematics' tree.
 */
export function workspaceFromFiles(files: ReadonlyMap<string, string>, config: BastionConfig = defaultConfig()): Workspace {
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true, compilerOptions: { experimentalDecorators: true } });
  for (const [path, text] of files) project.createSourceFile(`/${path.replace(/^\//, '')}`, text);
  const info: ProjectInfo = { root: '/', dependencies: new Set(), hasBastionNest: true, addBastionCommand: 'npm install @bastion/nest', moduleSystem: 'commonjs' };
  return workspaceFromProject(project, { cwd: '/', info, config });
}

function selectFiles(
  base: Omit<Workspace, 'files' | 'allFiles' | 'skippedFiles'>,
  filters: { include?: string[]; exclude?: string[] },
): Workspace {
  const include = filters.include?.length ? picomatch(filters.include, { dot: true }) : undefined;
  const exclude = filters.exclude?.length ? picomatch(filters.exclude, { dot: true }) : undefined;
  const files: SourceFile[] = [];
  const allFiles: SourceFile[] = [];
  const skippedFiles: Workspace['skippedFiles'] = [];
  for (const sf of base.project.getSourceFiles()) {
    const path = sf.getFilePath();
    if (sf.isDeclarationFile() || path.includes('/node_modules/')) continue;
    allFiles.push(sf);
    const rel = relativePath(base, path);
    if (include && !include(rel)) continue;
    if (exclude && exclude(rel)) continue;
    if (isGeneratedFile(sf.getFullText())) {
      skippedFiles.push({ file: rel, line: 1, reason: 'generated file (header marks it generated); not modified' });
      continue;
    }
    files.push(sf);
  }
  return { ...base, files, allFiles, skippedFiles };
}
