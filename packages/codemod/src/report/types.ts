import type { Compatibility } from '../project/compatibility.js';

/** Names of the retrofit transforms, in the order the engine runs them. */
export type TransformName = 'policies' | 'scopes' | 'dtos' | 'params';

/** Every transform, in run order: `policies` first so an inline check becomes `@Roles` before `scopes` looks. */
export const TRANSFORMS: readonly TransformName[] = ['policies', 'scopes', 'dtos', 'params'];

/** A place in the user's code; `file` is relative to the report's `cwd`, `line` is 1-based. */
export interface Location {
  file: string;
  line: number;
  column?: number;
}

/** Audit rule ids. */
export type RuleId =
  | 'unprotected-route'
  | 'missing-access-decision'
  | 'baseline-public-route'
  | 'unvalidated-body'
  | 'unvalidated-query'
  | 'unparsed-id'
  | 'inline-authz'
  | 'type-only-dto-import'
  | 'unknown-protection'
  | 'validation-whitelist-off'
  | 'validation-forbid-unknown-off'
  | 'nested-without-validation'
  | 'array-without-each'
  | 'cors-credentials-any-origin'
  | 'hardcoded-jwt-secret';

export type Severity = 'error' | 'warning' | 'note';

/** One audit finding. */
export interface Finding extends Location {
  rule: RuleId;
  severity: Severity;
  message: string;
  /** `Class.method` of the handler the finding is about, when it is about one. */
  handler?: string;
}

/** Which mechanism decides who may call a route. */
export type ProtectionKind =
  | 'public'
  | 'baseline-public'
  | 'authenticated'
  | 'requirement'
  | 'method-guard'
  | 'class-guard'
  | 'composite'
  | 'global-guard'
  | 'middleware'
  | 'public-by-design'
  | 'unknown'
  | 'bastion-default'
  | 'none';

/** What one guard or middleware does, read from its code. Only `authenticates` protects a route. */
export type MechanismVerdict = 'authenticates' | 'authorizes-only' | 'other' | 'unknown';

/** The credential an authenticating mechanism checks; `bearer` is what Bastion verifies in its place. */
export type CredentialKind = 'bearer' | 'password' | 'refresh' | 'oauth' | 'signature' | 'api-key' | 'session' | 'bastion' | 'unknown';

/** A guard or middleware that runs for a route, classified. */
export interface Mechanism {
  /** `method`/`class` `@UseGuards`, a `composite` decorator, module `middleware`, or `global` (`APP_GUARD`, `useGlobalGuards`, `BastionModule`). */
  level: 'method' | 'class' | 'composite' | 'middleware' | 'global';
  /** `AuthGuard('jwt')`, `JwtAuthGuard`, `AuthMiddleware`, … */
  name: string;
  verdict: MechanismVerdict;
  credential?: CredentialKind;
  /** Passport strategy names, for passport guards. */
  strategies?: string[];
  /** It reads its credential from `Authorization`, where Bastion looks for access tokens. */
  readsAuthorization?: boolean;
  /** The route carries the public marker that makes this mechanism skip it: it does not run for the route. */
  skippedBy?: string;
  /** The evidence for the verdict. */
  reason: string;
  /** `file:line` where it is applied. */
  at: string;
}

/** How the app itself (its guards and middleware, without Bastion decisions) treats a route. */
export interface AppProtection {
  status: 'authenticated' | 'open' | 'unknown';
  /** Every mechanism that runs for the route, in order (global, middleware, class, method). */
  mechanisms: Mechanism[];
  /** The app's own public marker that makes its authenticating guards skip the route (`@Public()` → `SetMetadata('isPublic', true)`). */
  publicMarker?: string;
}

/** Kinds of authentication entry points: routes that must stay reachable without an access token. */
export type EntryPointKind = 'login' | 'logout' | 'register' | 'token' | 'confirm' | 'password-reset' | 'oauth' | 'webhook' | 'health';

/** A route recognised as an authentication entry point, with the evidence. */
export interface EntryPoint {
  kind: EntryPointKind;
  /** `code` (guards, strategies, calls that sign tokens or check signatures, terminus) or `name` (handler name, path). */
  basis: 'code' | 'name';
  evidence: string[];
}

export interface Protection {
  kind: ProtectionKind;
  /** Human-readable origin, e.g. `@UseGuards(JwtAuthGuard) on OrdersController`. */
  source: string;
  scopes: string[];
  anyScopes: string[];
  roles: string[];
  policies: string[];
  /** The Bastion access decision on the route, if any. */
  decision?: 'public' | 'baseline' | 'authenticated' | 'requirement';
  /** What the app's own guards and middleware do. */
  app: AppProtection;
  entryPoint?: EntryPoint;
}

/** Validation state of one `@Body`/`@Query`/`@Param` parameter. */
export interface InputInfo {
  kind: 'body' | 'query' | 'param';
  /** `@Body('field')` key or `@Param('id')` name. */
  key?: string;
  name: string;
  /** `dto`, `parsed`, `untyped`, `any`, `interface`, `type-alias`, `inline`, `keyed`, `type-only-import`, `string`, `other`. */
  status: string;
  type?: string;
  validated: boolean;
}

/** One row of the route table. */
export interface RouteRow extends Location {
  method: string;
  path: string;
  handler: string;
  protection: Protection;
  inputs: InputInfo[];
  /** `global`, `@Throttle(…)`, `skipped`, or `none`. */
  throttling: string;
  /** The route comes from a base class without `@Controller`. */
  inheritedFrom?: string;
  /** The API version of this row (header/media-type/custom versioning; URI versions are in `path`). */
  version?: string;
  /** `@Controller({ host })`: the host the route answers on. */
  host?: string;
}

/** Result of `audit()`. */
export interface AuditReport {
  cwd: string;
  project: string;
  routes: RouteRow[];
  findings: Finding[];
  globalPrefix?: string;
  versioning?: string;
  globalGuards: string[];
  filesScanned: number;
  skippedFiles: Array<Location & { reason: string }>;
  /** The 0–100 posture score (docs/codemod.md gives the formula). */
  score?: PostureScore;
  /** `--changed <ref>`: the report covers only what changed since `ref`. */
  changedSince?: { ref: string; files: string[] };
}

/** The audit's 0–100 posture score and its parts (each 0–1). */
export interface PostureScore {
  score: number;
  access: number;
  validation: number;
  configuration: number;
}

/** Something a transform changed. */
export interface Change extends Location {
  transform: TransformName;
  message: string;
}

/** Something a transform saw and left alone, with why. */
export interface Skip extends Location {
  transform: TransformName | 'engine';
  reason: string;
}

/** A route whose access rule changes. */
export interface AccessChange extends Location {
  method: string;
  path: string;
  handler: string;
  before: string;
  after: string;
  /** `same`: the same callers as before; `scoped`: the same callers when their tokens carry the scope; `fewer`: callers lose access (`--lock-down`). */
  callers?: 'same' | 'scoped' | 'fewer';
}

/** A validation rule a generated DTO enforces, and where it comes from. */
export interface DtoBound extends Location {
  /** `CreateOrderDto.item`. */
  field: string;
  /** The decorators, e.g. `@MaxLength(100)`. */
  rule: string;
  /**
   * `evidence`: the code states it already (an ORM column, a validator on a related class);
   * `invented`: taken from `bastion.json` defaults or guessed from a name: a behaviour change to confirm.
   */
  origin: 'evidence' | 'invented';
  /** The evidence, or what the rule was invented from. */
  reason: string;
}

export interface FileChange {
  /** Relative to `cwd`. */
  file: string;
  created: boolean;
  before: string;
  after: string;
}

export interface TransformStatus {
  name: TransformName;
  status: 'ran' | 'skipped' | 'not-selected';
  reason?: string;
  changes: number;
  skipped: number;
}

/** Result of `retrofit()`. */
export interface RetrofitReport {
  cwd: string;
  project: string;
  dryRun: boolean;
  typescriptVersion?: string;
  moduleSystem: 'esm-nodenext' | 'commonjs' | 'esm-bundler';
  transforms: TransformStatus[];
  files: FileChange[];
  changes: Change[];
  skipped: Skip[];
  accessChanges: AccessChange[];
  /** Every bound the generated DTOs enforce, invented ones included. */
  dtoBounds: DtoBound[];
  /** NestJS and TypeScript against what `@bastion/nest` needs, with the upgrade path when they fall short. */
  compatibility: Compatibility;
  durationMs: number;
}
