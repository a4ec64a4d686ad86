import type { Rule, SchematicContext, Tree } from '@angular-devkit/schematics';
import { relative, resolve } from 'node:path';
import { engine } from '../utils/engine';
import type { RetrofitOptions } from './schema';

const list = (v: string | undefined): string[] | undefined => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

/**
 * Runs the codemod's retrofit in dry-run mode and applies the files it would write through the
 * schematic tree, so `--dry-run` and the CLI's change list work as for any schematic. The report (access
 * changes, invented validation, the version gate's upgrade path, what was skipped) goes to the log.
 */
export function main(options: RetrofitOptions): Rule {
  return async (tree: Tree, context: SchematicContext) => {
    const project = options.tsconfig ?? (options.project?.endsWith('.json') ? options.project : 'tsconfig.json');
    if (options.project && !options.project.endsWith('.json')) {
      context.logger.info(`ignored --project ${options.project}: a monorepo project name; give --tsconfig for another tsconfig`);
    }
    const cwd = resolve(options.cwd ?? process.cwd());
    const e = engine();
    const report = await e.retrofit({
      project,
      cwd,
      dryRun: true,
      ...(list(options.transforms) ? { transforms: list(options.transforms) } : {}),
      ...(list(options.include) ? { include: list(options.include) } : {}),
      ...(list(options.exclude) ? { exclude: list(options.exclude) } : {}),
    });
    for (const change of report.files) {
      const path = relative(cwd, resolve(cwd, change.file)).split('\\').join('/');
      if (tree.exists(path)) {
        if (tree.read(path)!.toString('utf8') !== change.after) tree.overwrite(path, change.after);
      } else tree.create(path, change.after);
    }
    context.logger.info(e.formatRetrofit(report));
  };
}
