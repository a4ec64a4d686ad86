/** Options of `secure-ws-gateway` (alias `swsg`); keep in sync with schema.json (a unit test checks). */
export interface SecureWsGatewayOptions {
  /** Gateway name (`chat`): the socket.io namespace or the `ws` path, the message names and the scopes. */
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
  /** Field list of the message (`text:string:1-500`); else `bastion.json` `resources.<name>.fields`. */
  fields?: string;
}
