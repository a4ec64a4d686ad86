/** Options of `gateway`; keep in sync with schema.json (a unit test checks). */
export interface GatewayOptions {
  /** Gateway module name: `edge` gives `EdgeModule` in `src/edge/`. */
  name: string;
  /** Folder under the source root. */
  path?: string;
  /** Source root; default from nest-cli.json, else `src`. */
  sourceRoot?: string;
  /** Do not create a folder for the module. */
  flat?: boolean;
  /** Do not import the module into its parent module. */
  skipImport?: boolean;
  /** A new application `<name>` of a Nest monorepo; default `gateway.app` of bastion.json, else `false`. */
  app?: boolean;
  /** Forwarded by `nest g`; unused. */
  spec?: boolean;
  /** Forwarded by `nest g`; unused. */
  specFileSuffix?: string;
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
