import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SourceFile } from 'ts-morph';
import { identifiersIn, identifierTexts } from './analysis/identifiers.js';
import { readAppConfig } from './analysis/app-config.js';
import { findControllers } from './analysis/controllers.js';
import type { AdoptDecisions } from './analysis/decision.js';
import { forgetImports } from './analysis/file-imports.js';
import { removeUnusedImports } from './edit/import-editor.js';
import { TextEdits, wholeLines } from './edit/text-edits.js';
import { checkCompatibility, type Compatibility } from './project/compatibility.js';
import { openWorkspace, relativePath, type Workspace, type WorkspaceOptions } from './project/workspace.js';
import { TRANSFORMS, type RetrofitReport, type TransformName, type TransformStatus } from './report/types.js';
import { createContext, type ContextSinks, type FileEdit, type LineMaps, type TransformContext } from './transforms/context.js';
import { dtosTransform } from './transforms/dtos.js';
import { paramsTransform } from './transforms/params.js';
import { policiesTransform } from './transforms/policies.js';
import { scopesTransform } from './transforms/scopes.js';
import { CodemodError } from './errors.js';

/** Options of `retrofit()`. */
export interface RetrofitOptions extends WorkspaceOptions {
  /** Print nothing, write nothing: the report carries before/after text for a diff. */
  dryRun?: boolean;
  /** Subset of `scopes`, `dtos`, `params`, `policies` (default: all). */
  transforms?: string[];
  /** Called as each transform applies its files: `done` of `total` files (progress bars). */
  onProgress?: (done: number, total: number, transform: TransformName) => void;
  /** Scope the routes the app leaves open, except authentication entry points (default: `bastion.json` `retrofit.lockDown`, else false: they get baseline markers). */
  lockDown?: boolean;
}

const IMPLEMENTATIONS: Record<TransformName, (ctx: TransformContext) => void> = {
  policies: policiesTransform,
  scopes: scopesTransform,
  dtos: dtosTransform,
  params: paramsTransform,
};

/** Transforms that insert `@bastion/nest` decorators and therefore need the package. */
const NEEDS_BASTION: ReadonlySet<TransformName> = new Set(['scopes', 'policies']);

function compatibilityOf(ws: Workspace): Compatibility {
  return ws.info.compatibility ?? checkCompatibility(undefined, undefined);
}

/** Why a transform must not run on this project (its output would not compile), or undefined. */
function blocked(ws: Workspace, name: TransformName): string | undefined {
  const c = compatibilityOf(ws);
  if (NEEDS_BASTION.has(name)) {
    if (!c.bastionNest) return `@bastion/nest cannot be used in this project yet: ${c.problems.join('; ')}; see the upgrade path`;
    if (!ws.info.hasBastionNest) return `@bastion/nest is not a dependency of the project: run \`${ws.info.addBastionCommand}\` first`;
  }
  if (c.transformsProblem) return `${c.transformsProblem}: upgrade TypeScript first`;
  return undefined;
}

export function parseTransforms(list: string[] | undefined): TransformName[] {
  if (!list || list.length === 0) return [...TRANSFORMS];
  const names = list.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!TRANSFORMS.includes(n as TransformName)) throw new CodemodError('ERR_UNKNOWN_TRANSFORM', `unknown transform "${n}" (expected ${TRANSFORMS.join(', ')})`);
  }
  return TRANSFORMS.filter((t) => names.includes(t));
}

/**
 * Swaps a file's text for a freshly parsed file. Cheaper than `replaceWithText`, which tries to map every
 * wrapped node of the old tree onto the new one; nothing keeps old nodes across transforms anyway.
 */
function replaceFile(ws: Workspace, file: SourceFile, text: string): SourceFile {
  const next = ws.project.createSourceFile(file.getFilePath(), text, { overwrite: true });
  forgetImports(file);
  for (const list of [ws.files, ws.allFiles]) {
    const i = list.indexOf(file);
    if (i >= 0) list[i] = next;
  }
  return next;
}

function applyFileEdits(ws: Workspace, pending: Map<SourceFile, FileEdit>, lineMaps: LineMaps, progress?: (done: number, total: number) => void): void {
  const apply = (file: SourceFile, edits: TextEdits): SourceFile => {
    const { text, lineMap } = edits.applyWithLineMap(file.getFullText());
    const maps = lineMaps.get(file.getFilePath()) ?? [];
    maps.push(lineMap);
    lineMaps.set(file.getFilePath(), maps);
    return replaceFile(ws, file, text);
  };
  const cleanups: Array<{ file: SourceFile; names: Set<string>; decls: Set<string> }> = [];
  let done = 0;
  for (const fe of pending.values()) {
    progress?.(++done, pending.size);
    fe.imports.flush();
    if (fe.edits.size === 0) continue;
    const next = apply(fe.file, fe.edits);
    if (fe.cleanup.size > 0 || fe.cleanupDeclarations.size > 0) cleanups.push({ file: next, names: fe.cleanup, decls: fe.cleanupDeclarations });
  }
  for (const cleanup of cleanups) {
    // Removing a replaced declaration can orphan what only it used (an import, a nested interface): repeat.
    for (let round = 0; round < 4 && (cleanup.names.size > 0 || cleanup.decls.size > 0); round++) {
      const { file } = cleanup;
      const edits = new TextEdits(file.getFilePath());
      removeUnusedImports(file, cleanup.names, edits);
      const orphans = removeUnusedDeclarations(file, cleanup.decls, edits);
      if (edits.size === 0) break;
      cleanup.file = apply(file, edits);
      cleanup.names = orphans;
      cleanup.decls = new Set(orphans);
    }
  }
}

/** Removes non-exported interfaces/type aliases a transform replaced, once nothing refers to them. */
function removeUnusedDeclarations(file: SourceFile, names: Set<string>, edits: TextEdits): Set<string> {
  const orphans = new Set<string>();
  if (names.size === 0) return orphans;
  const text = file.getFullText();
  for (const name of names) {
    const decl = file.getInterface(name) ?? file.getTypeAlias(name);
    if (!decl || decl.hasExportKeyword()) continue;
    const declNode = decl.compilerNode;
    const refs = identifiersIn(file, new Set([name])).filter((id) => id.parent !== declNode);
    if (refs.length > 0) continue;
    for (const id of identifierTexts(decl)) orphans.add(id);
    orphans.delete(name);
    const start = decl.getJsDocs()[0]?.getStart() ?? decl.getStart();
    const range = wholeLines(text, start, decl.getEnd());
    // Also drop one blank line that separated it from what follows.
    const end = text.startsWith('\n', range.end) ? range.end + 1 : range.end;
    edits.remove(range.start, end);
  }
  return orphans;
}

/** Runs the selected transforms over a loaded workspace and returns what changed (without writing). */
export function retrofitWorkspace(ws: Workspace, options: Pick<RetrofitOptions, 'transforms' | 'dryRun' | 'onProgress' | 'lockDown'> = {}): RetrofitReport {
  return transformWorkspace(ws, options);
}

/** `retrofitWorkspace`, with `init`'s knowledge of which credentials Bastion verifies in the app's place. */
export function transformWorkspace(
  ws: Workspace, options: Pick<RetrofitOptions, 'transforms' | 'dryRun' | 'onProgress' | 'lockDown'> & { adopt?: AdoptDecisions } = {},
): RetrofitReport {
  const started = performance.now();
  const selected = parseTransforms(options.transforms);
  const before = new Map<string, string>();
  for (const sf of ws.files) before.set(sf.getFilePath(), sf.getFullText());
  const sinks: ContextSinks = { changes: [], skipped: [], accessChanges: [], dtoBounds: [], created: new Set(), lineMaps: new Map() };
  for (const f of ws.skippedFiles) sinks.skipped.push({ transform: 'engine', ...f });
  for (const reason of ws.configWarnings) sinks.skipped.push({ transform: 'engine', file: relativePath(ws, `${ws.info.root}/bastion.json`), line: 1, reason });
  const statuses: TransformStatus[] = [];
  for (const name of TRANSFORMS) {
    if (!selected.includes(name)) {
      statuses.push({ name, status: 'not-selected', changes: 0, skipped: 0 });
      continue;
    }
    const reason = blocked(ws, name);
    if (reason) {
      statuses.push({ name, status: 'skipped', reason, changes: 0, skipped: 1 });
      sinks.skipped.push({ transform: name, file: relativePath(ws, `${ws.info.root}/package.json`), line: 1, reason: `${name} skipped: ${reason}` });
      continue;
    }
    const c0 = sinks.changes.length;
    const s0 = sinks.skipped.length;
    const app = readAppConfig(ws);
    const { ctx, pending } = createContext(name, ws, app, findControllers(ws), sinks, { lockDown: !options.adopt && (options.lockDown || ws.config.retrofit.lockDown), adopt: options.adopt });
    IMPLEMENTATIONS[name](ctx);
    const onProgress = options.onProgress;
    applyFileEdits(ws, pending, sinks.lineMaps, onProgress && ((done, total) => onProgress(done, total, name)));
    statuses.push({ name, status: 'ran', changes: sinks.changes.length - c0, skipped: sinks.skipped.length - s0 });
  }
  if (selected.includes('dtos') && !ws.emitDecoratorMetadata) {
    sinks.skipped.push({ transform: 'dtos', file: relativePath(ws, ws.tsconfigPath), line: 1, reason: 'emitDecoratorMetadata is off: ValidationPipe cannot see DTO types until it is enabled' });
  }
  const files = [];
  for (const sf of ws.files) {
    const path = sf.getFilePath();
    const after = sf.getFullText();
    const created = sinks.created.has(path);
    const prev = before.get(path) ?? '';
    if (!created && prev === after) continue;
    files.push({ file: relativePath(ws, path), created, before: created ? '' : prev, after, absolute: path });
  }
  if (!options.dryRun) {
    for (const f of files) {
      mkdirSync(dirname(f.absolute), { recursive: true });
      writeFileSync(f.absolute, f.after);
    }
  }
  return {
    cwd: ws.cwd,
    project: relativePath(ws, ws.tsconfigPath),
    dryRun: options.dryRun === true,
    typescriptVersion: ws.info.typescriptVersion,
    moduleSystem: ws.info.moduleSystem,
    transforms: statuses,
    files: files.map(({ absolute: _absolute, ...rest }) => rest),
    changes: sinks.changes,
    skipped: sinks.skipped,
    accessChanges: sinks.accessChanges,
    dtoBounds: sinks.dtoBounds,
    compatibility: compatibilityOf(ws),
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * Retrofits a NestJS project: `policies`, `scopes`, `dtos`, `params`. Writes files unless `dryRun`.
 *
 * @example
 * ```ts
 * const report = await retrofit({ project: 'tsconfig.json', dryRun: true });
 * process.stdout.write(formatDiff(report));
 * ```
 */
export async function retrofit(options: RetrofitOptions): Promise<RetrofitReport> {
  const ws = openWorkspace(options);
  return retrofitWorkspace(ws, options);
}
