import { SchematicsException, type Tree } from '@angular-devkit/schematics';
import type { FieldSpec } from './fields';

/** HTTP method → scope action. */
export type ActionMap = Record<'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', string>;

/** Per-resource settings in `bastion.json` (`resources.<name>`). */
export interface ResourceConfig {
  fields?: string | FieldSpec[];
  ownership?: boolean;
}

/** The project's conventions, kept in `bastion.json` at the project root. */
export interface BastionProjectConfig {
  /** Scope naming; `{resource}` and `{action}` are replaced. */
  scopeFormat: string;
  actions: ActionMap;
  /** Type of resource ids: `uuid` (ParseUUIDPipe) or `int` (ParseIntPipe). */
  idType: 'uuid' | 'int';
  /** Trust boundary of generated controllers; `public` (the default) adds no decorator. */
  defaultBoundary: string;
  /** Max length of a string field whose field list gives none (the codemod reads the same key). */
  maxStringLength: number;
  pagination: { defaultLimit: number; maxLimit: number };
  resources: Record<string, ResourceConfig>;
}

export const CONFIG_FILE = 'bastion.json';

export const DEFAULT_CONFIG: BastionProjectConfig = {
  scopeFormat: '{resource}:{action}',
  actions: { GET: 'read', HEAD: 'read', OPTIONS: 'read', POST: 'write', PUT: 'write', PATCH: 'write', DELETE: 'delete' },
  idType: 'uuid',
  defaultBoundary: 'public',
  maxStringLength: 255,
  pagination: { defaultLimit: 20, maxLimit: 100 },
  resources: {},
};

/** Reads `bastion.json` (if any) over the defaults; a malformed file is a `SchematicsException`. */
export function readBastionConfig(tree: Tree): { config: BastionProjectConfig; exists: boolean } {
  const raw = tree.read(CONFIG_FILE);
  if (!raw) return { config: structuredClone(DEFAULT_CONFIG), exists: false };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new SchematicsException(`${CONFIG_FILE} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SchematicsException(`${CONFIG_FILE} must hold a JSON object`);
  }
  const p = parsed as Partial<BastionProjectConfig>;
  const config: BastionProjectConfig = {
    ...structuredClone(DEFAULT_CONFIG),
    ...p,
    actions: { ...DEFAULT_CONFIG.actions, ...(p.actions ?? {}) },
    pagination: { ...DEFAULT_CONFIG.pagination, ...(p.pagination ?? {}) },
    resources: { ...(p.resources ?? {}) },
  };
  if (config.idType !== 'uuid' && config.idType !== 'int') {
    throw new SchematicsException(`${CONFIG_FILE}: "idType" must be "uuid" or "int"`);
  }
  if (!config.scopeFormat.includes('{action}')) {
    throw new SchematicsException(`${CONFIG_FILE}: "scopeFormat" must contain {action}`);
  }
  if (!Number.isInteger(config.maxStringLength) || config.maxStringLength < 1) {
    throw new SchematicsException(`${CONFIG_FILE}: "maxStringLength" must be a positive integer`);
  }
  return { config, exists: true };
}

export function scopeName(config: BastionProjectConfig, resource: string, action: string): string {
  return config.scopeFormat.replaceAll('{resource}', resource).replaceAll('{action}', action);
}
