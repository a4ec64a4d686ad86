/** Options of `secure-resource` (alias `sres`); keep in sync with schema.json (a unit test checks). */
export interface SecureResourceOptions {
  /** Resource name, plural (`orders`). May carry a folder: `admin/orders`. */
  name: string;
  /** Folder under the source root (forwarded by `nest g`). */
  path?: string;
  /** Source root (forwarded by `nest g`); default from nest-cli.json, else `src`. */
  sourceRoot?: string;
  /** Generate into the path itself instead of a `<name>/` folder. */
  flat?: boolean;
  /** Generate the unit spec and the e2e spec. */
  spec?: boolean;
  /** Spec file suffix (forwarded by `nest g`). */
  specFileSuffix?: string;
  /** Do not register the module in its parent module. */
  skipImport?: boolean;
  /** Transport (forwarded by `nest g`); only `rest` is supported. */
  type?: string;
  /** Forwarded by `nest g`; CRUD routes are always generated. */
  crud?: boolean;
  /** Forwarded by `nest g`; only `ts` is supported. */
  language?: string;
  /** Forwarded by `nest g` (monorepo project name). */
  project?: string;
  /** Forwarded by `nest g`. */
  collection?: string;
  /** Forwarded by `nest g`. */
  format?: boolean;
  /** Field list (`item:string:1-100,quantity:int:1-1000,note?:string:0-500`); else `bastion.json`. */
  fields?: string;
  /** Wire an ownership policy on the `:id` routes; else `bastion.json` `resources.<name>.ownership`. */
  ownership?: boolean;
  /** Id type, `uuid` or `int`; else `bastion.json` `idType`. */
  idType?: 'uuid' | 'int';
}
