import type { MethodDeclaration, SourceFile } from 'ts-morph';
import { findControllers, type RouteInfo } from '../analysis/controllers.js';
import { resolveDecorators } from '../analysis/decorators.js';
import { BASTION_NEST, importsOf } from '../analysis/file-imports.js';
import { handlerName } from '../audit/audit.js';
import { ImportEditor } from '../edit/import-editor.js';
import { indentAt, TextEdits } from '../edit/text-edits.js';
import { relativePath, workspaceFromFiles } from '../project/workspace.js';

/** `@bastion/nest` decorators that state a route's access decision. */
export const BASTION_DECISIONS: ReadonlySet<string> = new Set(['Public', 'Authenticated', 'RequireScopes', 'RequireAnyScope', 'Roles', 'UsePolicy']);

/** True when the handler or its controller (or a base class of it) carries a `@bastion/nest` access decision. */
export function hasBastionDecision(route: RouteInfo): boolean {
  const decides = (decorators: import('ts-morph').Decorator[], file: SourceFile) =>
    resolveDecorators(decorators, importsOf(file)).some((d) => d.binding?.module === BASTION_NEST && BASTION_DECISIONS.has(d.binding.name));
  if (decides(route.method.getDecorators(), route.declaringClass.getSourceFile())) return true;
  return [route.controller.cls, ...route.controller.bases].some((cls) => decides(cls.getDecorators(), cls.getSourceFile()));
}

export interface BaselineResult {
  /** Changed files only: path → new text. */
  files: Map<string, string>;
  /** `Class.method` of each handler that got the marker. */
  marked: string[];
  /** `Class.method` of handlers left alone because they state a decision already. */
  decided: string[];
}

/**
 * Puts `@Public({ baseline: true })` on every route handler that states no `@bastion/nest` access decision
 * (neither on the method nor on its controller), so an app keeps its behaviour under Bastion's deny by
 * default while the exposure stays greppable and visible to `bastion audit`. `files`: path → text of the
 * project's sources (every one, so base classes and imports resolve).
 */
export function markBaselineRoutes(files: ReadonlyMap<string, string>): BaselineResult {
  const ws = workspaceFromFiles(files);
  const pending = new Map<SourceFile, { edits: TextEdits; imports: ImportEditor }>();
  const seen = new Set<MethodDeclaration>();
  const marked: string[] = [];
  const decided: string[] = [];
  for (const ctrl of findControllers(ws)) {
    for (const route of ctrl.routes) {
      if (seen.has(route.method)) continue;
      seen.add(route.method);
      if (hasBastionDecision(route)) {
        decided.push(handlerName(route));
        continue;
      }
      const file = route.declaringClass.getSourceFile();
      let fe = pending.get(file);
      if (!fe) {
        const edits = new TextEdits(relativePath(ws, file.getFilePath()));
        fe = { edits, imports: new ImportEditor(file, edits) };
        pending.set(file, fe);
      }
      const first = route.method.getDecorators()[0]!;
      const text = file.getFullText();
      fe.edits.insert(first.getStart(), `@${fe.imports.ref(BASTION_NEST, 'Public')}({ baseline: true })\n${indentAt(text, first.getStart())}`);
      marked.push(handlerName(route));
    }
  }
  const changed = new Map<string, string>();
  for (const [file, fe] of pending) {
    fe.imports.flush();
    changed.set(relativePath(ws, file.getFilePath()), fe.edits.apply(file.getFullText()));
  }
  return { files: changed, marked, decided };
}
