import type { Node, SourceFile } from 'ts-morph';
import type { AppConfig } from '../analysis/app-config.js';
import type { ControllerInfo } from '../analysis/controllers.js';
import type { AdoptDecisions } from '../analysis/decision.js';
import { ImportEditor } from '../edit/import-editor.js';
import { TextEdits } from '../edit/text-edits.js';
import { relativePath, type Workspace } from '../project/workspace.js';
import type { AccessChange, Change, DtoBound, Skip, TransformName } from '../report/types.js';

/** Pending edits of one file during one transform. */
export interface FileEdit {
  file: SourceFile;
  edits: TextEdits;
  imports: ImportEditor;
  /** Local names the transform may have made unused (removed from imports afterwards if so). */
  cleanup: Set<string>;
  /** Local interface/type declarations the transform replaced (removed afterwards if unused and not exported). */
  cleanupDeclarations: Set<string>;
}

/** What a transform sees and records into. */
export interface TransformContext {
  name: TransformName;
  ws: Workspace;
  app: AppConfig;
  controllers: ControllerInfo[];
  editable(file: SourceFile): boolean;
  edit(file: SourceFile): FileEdit;
  /** Creates a new source file (or returns the existing one). */
  createFile(path: string, text: string): SourceFile;
  change(node: Node, message: string): void;
  skip(node: Node, reason: string): void;
  access(change: Omit<AccessChange, 'file' | 'line'>, node: Node): void;
  /** Records a rule a generated DTO enforces (the report lists the invented ones for a person to confirm). */
  bound(bound: Omit<DtoBound, 'file' | 'line'>, node: Node): void;
  rel(file: SourceFile): string;
  /** Changes this transform has recorded so far. */
  readonly changesMade: number;
  /** `--lock-down`: open routes that are not authentication entry points get scopes. */
  lockDown: boolean;
  /** `init`'s decisions on an app with its own authentication (retrofit leaves this unset). */
  adopt?: AdoptDecisions;
}

/** Line maps (newest last) from each applied pass back to the text before it, per absolute path. */
export type LineMaps = Map<string, Array<(line: number) => number>>;

export function location(ws: Workspace, node: Node, lineMaps?: LineMaps): { file: string; line: number } {
  const path = node.getSourceFile().getFilePath();
  let line = node.getStartLineNumber();
  const maps = lineMaps?.get(path) ?? [];
  for (let i = maps.length - 1; i >= 0; i--) line = maps[i]!(line);
  return { file: relativePath(ws, path), line };
}

export interface ContextSinks {
  changes: Change[];
  skipped: Skip[];
  accessChanges: AccessChange[];
  dtoBounds: DtoBound[];
  created: Set<string>;
  lineMaps: LineMaps;
}

export function createContext(
  name: TransformName, ws: Workspace, app: AppConfig, controllers: ControllerInfo[], sinks: ContextSinks, options: { lockDown?: boolean; adopt?: AdoptDecisions } = {},
): { ctx: TransformContext; pending: Map<SourceFile, FileEdit> } {
  const pending = new Map<SourceFile, FileEdit>();
  const editableSet = new Set(ws.files);
  let made = 0;
  const ctx: TransformContext = {
    name, ws, app, controllers, lockDown: options.lockDown === true, adopt: options.adopt,
    editable: (file) => editableSet.has(file),
    edit(file) {
      let fe = pending.get(file);
      if (!fe) {
        const edits = new TextEdits(relativePath(ws, file.getFilePath()));
        fe = { file, edits, imports: new ImportEditor(file, edits), cleanup: new Set(), cleanupDeclarations: new Set() };
        pending.set(file, fe);
      }
      return fe;
    },
    createFile(path, text) {
      const existing = ws.project.getSourceFile(path);
      if (existing) return existing;
      const sf = ws.project.createSourceFile(path, text);
      ws.files.push(sf);
      ws.allFiles.push(sf);
      editableSet.add(sf);
      sinks.created.add(path);
      return sf;
    },
    change: (node, message) => {
      made++;
      sinks.changes.push({ transform: name, ...location(ws, node, sinks.lineMaps), message });
    },
    skip: (node, reason) => sinks.skipped.push({ transform: name, ...location(ws, node, sinks.lineMaps), reason }),
    access: (change, node) => sinks.accessChanges.push({ ...change, ...location(ws, node, sinks.lineMaps) }),
    bound: (bound, node) => sinks.dtoBounds.push({ ...bound, ...location(ws, node, sinks.lineMaps) }),
    rel: (file) => relativePath(ws, file.getFilePath()),
    get changesMade() {
      return made;
    },
  };
  return { ctx, pending };
}
