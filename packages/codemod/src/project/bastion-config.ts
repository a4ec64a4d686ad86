import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeFields } from '../dto/field-list.js';
import type { FieldSpec } from '../dto/field-spec.js';
import { CodemodError } from '../errors.js';

/** HTTP methods `actions` maps by default. */
export type HttpAction = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** HTTP method (upper case) → scope action. */
export type ActionMap = Record<HttpAction, string> & Readonly<Partial<Record<string, string>>>;

/** Per-resource settings (`resources.<name>`), read by `secure-resource`. */
export interface ResourceConfig {
  /** The resource's fields (a field list string in the file, parsed here). */
  fields?: FieldSpec[];
  /** Wire an ownership policy on the `:id` routes. Default false. */
  ownership?: boolean;
}

/** Defaults of `bastion retrofit` (`retrofit.*`). */
export interface RetrofitConfig {
  /** Turn baseline-public routes into scoped ones (never authentication entry points). Default false. */
  lockDown: boolean;
}

/** `bastion.json`: the project's conventions, shared by the schematics and the codemod. Schema: `bastion.schema.json`. */
export interface BastionConfig {
  /** Scope naming; `{resource}` and `{action}` are replaced. Default `{resource}:{action}`. */
  scopeFormat: string;
  /** Action per HTTP method. Default GET/HEAD/OPTIONS → read, POST/PUT/PATCH → write, DELETE → delete. */
  actions: ActionMap;
  /** Type of resource ids in generated code: `uuid` (ParseUUIDPipe) or `int` (ParseIntPipe). Default `uuid`. */
  idType: 'uuid' | 'int';
  /** Trust boundary of generated controllers; `public` adds no decorator. Default `public`. */
  defaultBoundary: string;
  /** Max length (characters) of a DTO string that states none. Default 255. */
  maxStringLength: number;
  /** Max items of a DTO array that states none. Default 100. */
  maxArraySize: number;
  /** Page sizes of generated list routes. Default 20, at most 100. */
  pagination: { defaultLimit: number; maxLimit: number };
  /** Resources for `secure-resource`, by name. Default none. */
  resources: Record<string, ResourceConfig>;
  /** The app's access tokens carry OAuth scopes. When false, retrofit writes `@Authenticated()` instead of scopes. Default true. */
  tokensCarryScopes: boolean;
  /** Days `init` gives tokens issued without `iss`/`aud` (the local issuer's legacy window), from the day it runs. Default 30, at most 366. */
  migrationWindowDays: number;
  /** What `bastion retrofit` may change beyond the defaults. */
  retrofit: RetrofitConfig;
}

/** The settings file, at the project root. */
export const CONFIG_FILE = 'bastion.json';
/** Where `init` points `$schema`: the schema shipped in this package. */
export const CONFIG_SCHEMA_REF = './node_modules/@bastion/codemod/bastion.schema.json';

export const DEFAULT_ACTIONS: Readonly<ActionMap> = {
  GET: 'read', HEAD: 'read', OPTIONS: 'read', POST: 'write', PUT: 'write', PATCH: 'write', DELETE: 'delete',
};

/** A fresh copy of the defaults. */
export function defaultConfig(): BastionConfig {
  return {
    scopeFormat: '{resource}:{action}',
    actions: { ...DEFAULT_ACTIONS },
    idType: 'uuid',
    defaultBoundary: 'public',
    maxStringLength: 255,
    maxArraySize: 100,
    pagination: { defaultLimit: 20, maxLimit: 100 },
    resources: {},
    tokensCarryScopes: true,
    migrationWindowDays: 30,
    retrofit: { lockDown: false },
  };
}

/** The defaults, for reading (use `defaultConfig()` for a copy to change). */
export const DEFAULT_CONFIG: Readonly<BastionConfig> = defaultConfig();

/** Receives one line per tolerated oddity (an unknown key, an old spelling). */
export type ConfigWarn = (message: string) => void;

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), so no space, `"` or `\`.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** The scope for a resource and an action, e.g. `orders:read`. */
export function scopeName(config: Pick<BastionConfig, 'scopeFormat'>, resource: string, action: string): string {
  return config.scopeFormat.replaceAll('{resource}', resource).replaceAll('{action}', action);
}

/** Reads `<dir>/bastion.json` over the defaults (the defaults alone when there is none). */
export function readBastionConfig(dir: string, warn?: ConfigWarn): BastionConfig {
  const file = join(dir, CONFIG_FILE);
  if (!existsSync(file)) return defaultConfig();
  return parseBastionConfigJson(readFileSync(file, 'utf8'), file, warn);
}

/** Parses the text of a `bastion.json`. */
export function parseBastionConfigJson(text: string, file = CONFIG_FILE, warn?: ConfigWarn): BastionConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new CodemodError('ERR_BASTION_JSON', `${CONFIG_FILE} is not valid JSON: ${(cause as Error).message}`, file, undefined, { cause });
  }
  return parseBastionConfig(raw, file, warn);
}

// `gateway` is read by the gateway's part of this reader (`parseGatewayConfig`, gateway-config.ts).
const KEYS = new Set([...Object.keys(DEFAULT_CONFIG), '$schema', 'gateway']);

/**
 * Validates a parsed `bastion.json` and fills in the defaults. A wrong value throws `ERR_BASTION_JSON`
 * naming the key; unknown keys are tolerated and reported through `warn`. The nested spellings of
 * codemod 0.1 (`scopes.format`, `scopes.actions`, `validation.maxStringLength`) are read, with a warning.
 */
export function parseBastionConfig(raw: unknown, file = CONFIG_FILE, warn: ConfigWarn = () => {}): BastionConfig {
  const fail: Fail = (key, rule) => {
    throw new CodemodError('ERR_BASTION_JSON', `"${key}" ${rule}`, file);
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('(root)', 'must be a JSON object');
  const input = { ...(raw as Record<string, unknown>) };
  const legacy: Array<[string, string, unknown]> = [
    ['scopes.format', 'scopeFormat', pick(input, 'scopes', 'format') ?? pick(input, 'scope', 'format')],
    ['scopes.actions', 'actions', pick(input, 'scopes', 'actions')],
    ['validation.maxStringLength', 'maxStringLength', pick(input, 'validation', 'maxStringLength') ?? pick(input, 'dto', 'maxStringLength')],
  ];
  for (const [old, key, value] of legacy) {
    if (value === undefined) continue;
    warn(`${CONFIG_FILE}: "${old}" is read as "${key}"; rename it`);
    if (input[key] === undefined) input[key] = value;
  }
  for (const key of ['scopes', 'scope', 'validation', 'dto']) if (key in input && !KEYS.has(key)) delete input[key];
  for (const key of Object.keys(input)) if (!KEYS.has(key)) warn(`${CONFIG_FILE}: unknown key "${key}" (ignored)`);

  const config = defaultConfig();
  if (input.$schema !== undefined && typeof input.$schema !== 'string') fail('$schema', 'must be a string');
  if (input.scopeFormat !== undefined) {
    const f = input.scopeFormat;
    if (typeof f !== 'string' || !f.includes('{action}')) fail('scopeFormat', 'must be a string containing {action}');
    if (!SCOPE_TOKEN.test(f.replaceAll('{resource}', 'r').replaceAll('{action}', 'a'))) fail('scopeFormat', 'must make scope tokens (RFC 6749 §3.3: no spaces, quotes or backslashes)');
    config.scopeFormat = f;
  }
  if (input.actions !== undefined) {
    const a = input.actions;
    if (a === null || typeof a !== 'object' || Array.isArray(a)) fail('actions', 'must be an object of HTTP method → action');
    for (const [method, action] of Object.entries(a as Record<string, unknown>)) {
      if (!/^[A-Za-z]+$/.test(method)) fail(`actions.${method}`, 'is not an HTTP method');
      if (typeof action !== 'string' || !SCOPE_TOKEN.test(action)) fail(`actions.${method}`, 'must be a non-empty string without spaces, quotes or backslashes');
      (config.actions as Record<string, string>)[method.toUpperCase()] = action;
    }
  }
  if (input.idType !== undefined) {
    if (input.idType !== 'uuid' && input.idType !== 'int') fail('idType', 'must be "uuid" or "int"');
    config.idType = input.idType;
  }
  if (input.defaultBoundary !== undefined) {
    if (typeof input.defaultBoundary !== 'string' || !/^[A-Za-z][\w-]*$/.test(input.defaultBoundary)) fail('defaultBoundary', 'must be a boundary name (letters, digits, - and _)');
    config.defaultBoundary = input.defaultBoundary;
  }
  config.maxStringLength = positiveInt(input.maxStringLength, 'maxStringLength', config.maxStringLength, fail);
  config.maxArraySize = positiveInt(input.maxArraySize, 'maxArraySize', config.maxArraySize, fail);
  const pagination = object(input.pagination, 'pagination', ['defaultLimit', 'maxLimit'], warn, fail);
  config.pagination.defaultLimit = positiveInt(pagination.defaultLimit, 'pagination.defaultLimit', config.pagination.defaultLimit, fail);
  config.pagination.maxLimit = positiveInt(pagination.maxLimit, 'pagination.maxLimit', config.pagination.maxLimit, fail);
  if (config.pagination.defaultLimit > config.pagination.maxLimit) fail('pagination.defaultLimit', 'must not exceed "pagination.maxLimit"');
  if (input.resources !== undefined) {
    if (input.resources === null || typeof input.resources !== 'object' || Array.isArray(input.resources)) fail('resources', 'must be an object of resource name → settings');
    for (const [name, value] of Object.entries(input.resources as Record<string, unknown>)) {
      const r = object(value, `resources.${name}`, ['fields', 'ownership'], warn, fail);
      const resource: ResourceConfig = {};
      if (r.fields !== undefined) {
        try {
          resource.fields = normalizeFields(r.fields, `resources.${name}.fields`);
        } catch (e) {
          if (e instanceof CodemodError) fail(`resources.${name}.fields`, `is invalid: ${e.message}`);
          throw e;
        }
      }
      if (r.ownership !== undefined) resource.ownership = bool(r.ownership, `resources.${name}.ownership`, false, fail);
      config.resources[name] = resource;
    }
  }
  config.tokensCarryScopes = bool(input.tokensCarryScopes, 'tokensCarryScopes', config.tokensCarryScopes, fail);
  config.migrationWindowDays = positiveInt(input.migrationWindowDays, 'migrationWindowDays', config.migrationWindowDays, fail);
  // @bastion/nest refuses a legacy window more than 366 days ahead at boot.
  if (config.migrationWindowDays > 366) fail('migrationWindowDays', 'must be at most 366');
  const retrofit = object(input.retrofit, 'retrofit', ['lockDown'], warn, fail);
  config.retrofit.lockDown = bool(retrofit.lockDown, 'retrofit.lockDown', config.retrofit.lockDown, fail);
  return config;
}

type Fail = (key: string, rule: string) => never;

function pick(obj: Record<string, unknown>, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function positiveInt(value: unknown, key: string, fallback: number, fail: Fail): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) fail(key, 'must be a positive integer');
  return value as number;
}

function bool(value: unknown, key: string, fallback: boolean, fail: Fail): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(key, 'must be true or false');
  return value as boolean;
}

function object(value: unknown, key: string, known: string[], warn: ConfigWarn, fail: Fail): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(key, 'must be an object');
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (!known.includes(k)) warn(`${CONFIG_FILE}: unknown key "${key}.${k}" (ignored)`);
  return obj;
}
