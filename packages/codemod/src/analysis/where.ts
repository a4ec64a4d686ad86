import type { Node, Project, SourceFile } from 'ts-morph';
import { relativePath } from '../project/workspace.js';

/** What analysis needs of a workspace: the parsed project and the directory paths are reported against. */
export interface Env {
  project: Project;
  cwd: string;
}

/** `file:line` of a position, relative to the working directory. */
export function positionText(env: Env, sf: SourceFile, pos: number): string {
  return `${relativePath(env, sf.getFilePath())}:${sf.getLineAndColumnAtPos(pos).line}`;
}

/** `file:line` of a node. */
export function nodeText(env: Env, node: Node): string {
  return positionText(env, node.getSourceFile(), node.getStart());
}
