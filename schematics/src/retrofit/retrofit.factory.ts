import { SchematicsException, type Rule, type SchematicContext, type Tree } from '@angular-devkit/schematics';
import { relative, resolve } from 'node:path';
import type { RetrofitOptions } from './schema';

/** The part of `@bastion/codemod`'s `retrofit()` this schematic uses. */
export interface CodemodRetrofit {
  (options: { project: string; cwd?: string; dryRun?: boolean; transforms?: string[]; include?: string[]; exclude?: string[] }): Promise<{
    files: { file: string; created: boolean; before: string; after: string }[];
    skipped: { file: string; line?: number; transform: string; reason: string }[];
    changes: unknown[];
  }>;
}

const list = (v: string | undefined): string[] | undefined => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

/** Loads the codemod's ESM build from this CommonJS module (a real `import()`, kept by module node16). */
export async function loadRetrofit(): Promise<CodemodRetrofit> {
  try {
    // A variable specifier: the codemod is typed locally above, so this build does not compile its types.
    const specifier = '@bastion/codemod';
    const mod = (await import(specifier)) as { retrofit?: CodemodRetrofit };
    if (typeof mod.retrofit !== 'function') throw new Error('it exports no retrofit()');
    return mod.retrofit;
  } catch (err) {
    throw new SchematicsException(`@bastion/codemod could not be loaded (${(err as Error).message}); reinstall @bastion/schematics, which depends on it`);
  }
}

/**
 * Runs the codemod's retrofit in dry-run mode and applies the files it would write through the
 * schematic tree, so `--dry-run` and the CLI's change list work as for any schematic.
 */
export function main(options: RetrofitOptions, load: () => Promise<CodemodRetrofit> = loadRetrofit): Rule {
  return async (tree: Tree, context: SchematicContext) => {
    const project = options.tsconfig ?? (options.project?.endsWith('.json') ? options.project : 'tsconfig.json');
    if (options.project && !options.project.endsWith('.json')) {
      context.logger.info(`ignored --project ${options.project}: a monorepo project name; give --tsconfig for another tsconfig`);
    }
    const cwd = resolve(options.cwd ?? process.cwd());
    const retrofit = await load();
    const report = await retrofit({
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
    for (const s of report.skipped) context.logger.warn(`skipped ${s.file}${s.line ? `:${s.line}` : ''} (${s.transform}): ${s.reason}`);
    context.logger.info(`retrofit: ${report.files.length} file(s) changed, ${report.skipped.length} skipped`);
  };
}
