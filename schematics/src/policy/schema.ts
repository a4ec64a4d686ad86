/** Options of `policy`; keep in sync with schema.json (a unit test checks). */
export interface PolicyOptions {
  /** Policy name: `account-owner` gives `AccountOwnerPolicy`. */
  name: string;
  /** Folder under the source root. */
  path?: string;
  /** Source root; default from nest-cli.json, else `src`. */
  sourceRoot?: string;
  /** Do not create a `policies/` folder. */
  flat?: boolean;
  /** Generate the unit test. */
  spec?: boolean;
  /** Spec file suffix. */
  specFileSuffix?: string;
  /** Forwarded by `nest g`; unused. */
  skipImport?: boolean;
  /** Forwarded by `nest g`; unused. */
  type?: string;
  /** Forwarded by `nest g`; unused. */
  crud?: boolean;
  /** Forwarded by `nest g`; only `ts` is supported. */
  language?: string;
  /** Forwarded by `nest g` (monorepo project). */
  project?: string;
  /** Forwarded by `nest g`. */
  collection?: string;
  /** Forwarded by `nest g`. */
  format?: boolean;
}
