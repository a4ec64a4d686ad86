/** Options of `dto`; keep in sync with schema.json (a unit test checks). */
export interface DtoOptions {
  /** DTO name: `create-payment` gives `CreatePaymentDto` in `create-payment.dto.ts`. */
  name: string;
  /** Folder under the source root. */
  path?: string;
  /** Source root; default from nest-cli.json, else `src`. */
  sourceRoot?: string;
  /** Forwarded by `nest g`; a DTO is one file, written into `path`. */
  flat?: boolean;
  /** Forwarded by `nest g`; a DTO has no spec. */
  spec?: boolean;
  /** Forwarded by `nest g`; unused. */
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
  /** Field list: `amount:int:1-100000,currency:string:3-3,memo?:string:0-200`. */
  fields?: string;
  /** JSON Schema file (relative to the project root) describing the DTO. */
  schema?: string;
}
