/** Options of `secure-resolver` (alias `sresolver`); keep in sync with schema.json (a unit test checks). */
export interface SecureResolverOptions {
  /** Resource name, plural (`orders`). May carry a folder: `admin/orders`. */
  name: string;
  /** Folder under the source root (forwarded by `nest g`). */
  path?: string;
  /** Source root (forwarded by `nest g`); default from nest-cli.json, else `src`. */
  sourceRoot?: string;
  /** Generate into the path itself instead of a `<name>/` folder. */
  flat?: boolean;
  /** Forwarded by `nest g`; no spec is generated. */
  spec?: boolean;
  /** Forwarded by `nest g`. */
  specFileSuffix?: string;
  /** Do not register the module in its parent module. */
  skipImport?: boolean;
  /** Forwarded by `nest g`; only `ts` is supported. */
  language?: string;
  /** Forwarded by `nest g` (monorepo project name). */
  project?: string;
  /** Forwarded by `nest g`. */
  collection?: string;
  /** Forwarded by `nest g`. */
  format?: boolean;
  /** Field list of scalar fields (`item:string:1-100,quantity:int:1-1000`); else `bastion.json`. */
  fields?: string;
  /** Id type, `uuid` or `int`; else `bastion.json` `idType`. */
  idType?: 'uuid' | 'int';
}
