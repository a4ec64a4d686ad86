import { Project } from 'ts-morph';
import { auditWorkspace } from '../../src/audit/audit.js';
import { DEFAULT_CONFIG, type BastionConfig } from '../../src/project/bastion-config.js';
import { workspaceFromProject, type Workspace } from '../../src/project/workspace.js';
import type { AuditReport, RouteRow } from '../../src/report/types.js';

/** An in-memory project of `src/<name>` files, as the engine sees one on disk. */
export function workspaceOf(files: Record<string, string>, config: Partial<BastionConfig> = {}): Workspace {
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true, compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true } });
  for (const [name, text] of Object.entries(files)) project.createSourceFile(`/proj/src/${name}`, text);
  return workspaceFromProject(project, {
    cwd: '/proj',
    info: { root: '/proj', dependencies: new Set(['@bastion/nest', '@nestjs/common']), hasBastionNest: true, addBastionCommand: 'npm install @bastion/nest', typescriptVersion: '6.0.3', moduleSystem: 'commonjs' },
    config: { ...DEFAULT_CONFIG, ...config },
  });
}

export function auditOfFiles(files: Record<string, string>): AuditReport {
  return auditWorkspace(workspaceOf(files));
}

/** The route row of `METHOD path`. */
export function row(report: AuditReport, method: string, path: string): RouteRow {
  const r = report.routes.find((x) => x.method === method && x.path === path);
  if (!r) throw new Error(`no route ${method} ${path} in ${report.routes.map((x) => `${x.method} ${x.path}`).join(', ')}`);
  return r;
}
