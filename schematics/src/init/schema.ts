/** Options of `init` (alias `add`); keep in sync with schema.json (a unit test checks). */
export interface InitOptions {
  /** Forwarded by `nest g`; unused. */
  name?: string;
  /** Forwarded by `nest g`; unused. */
  path?: string;
  /** Source root (forwarded by `nest g`); default from nest-cli.json, else `src`. */
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
  /** Forwarded by `nest g` (monorepo project name); unused. */
  project?: string;
  /** Forwarded by `nest g`; unused. */
  collection?: string;
  /** Forwarded by `nest g`; unused. */
  format?: boolean;
  /** Do not run the package manager after editing package.json. */
  skipInstall?: boolean;
  /** Root module file, relative to the source root. */
  rootModule?: string;
  /**
   * Token audience: `JWT_AUDIENCE` in `.env.example` for an external issuer (default: the package name), or the
   * `aud` the app's own tokens get when `init` wires Bastion to them (default: `<package name>-api`).
   */
  audience?: string;
}
