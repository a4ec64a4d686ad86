/** Options of `retrofit`: those of `bastion retrofit`; keep in sync with schema.json (a unit test checks). */
export interface RetrofitOptions {
  /** The project's tsconfig (codemod `project`). Default `tsconfig.json`. */
  tsconfig?: string;
  /** Forwarded by `nest g` as the monorepo project name; taken as the tsconfig when it ends in `.json`. */
  project?: string;
  /** Transforms to run (comma-separated); default: all of them. */
  transforms?: string;
  /** Globs of files to include (comma-separated). */
  include?: string;
  /** Globs of files to leave alone (comma-separated). */
  exclude?: string;
  /** Project root on disk; default: the current directory. */
  cwd?: string;
  /** Forwarded by `nest g`; unused. */
  name?: string;
  /** Forwarded by `nest g`; unused. */
  path?: string;
  /** Forwarded by `nest g`; unused. */
  sourceRoot?: string;
  /** Forwarded by `nest g`; unused. */
  flat?: boolean;
  /** Forwarded by `nest g`; unused. */
  spec?: boolean;
  /** Forwarded by `nest g`; unused. */
  specFileSuffix?: string;
  /** Forwarded by `nest g`; unused. */
  skipImport?: boolean;
  /** Forwarded by `nest g`; unused. */
  language?: string;
  /** Forwarded by `nest g`. */
  collection?: string;
  /** Forwarded by `nest g`. */
  format?: boolean;
}
