import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodemodError } from '../errors.js';

/** The parts of `bastion.json` the codemod reads. Missing keys take the defaults below. */
export interface BastionConfig {
  /** Scope format with `{resource}` and `{action}` placeholders. Default `{resource}:{action}`. */
  scopeFormat: string;
  /** Action per HTTP method. Default GET/HEAD/OPTIONS → read, POST/PUT/PATCH → write, DELETE → delete. */
  actions: Record<string, string>;
  /** `@MaxLength` put on every generated string member. Default 256. */
  maxStringLength: number;
}

export const DEFAULT_ACTIONS: Readonly<Record<string, string>> = {
  GET: 'read', HEAD: 'read', OPTIONS: 'read', POST: 'write', PUT: 'write', PATCH: 'write', DELETE: 'delete',
};

export const DEFAULT_CONFIG: BastionConfig = { scopeFormat: '{resource}:{action}', actions: { ...DEFAULT_ACTIONS }, maxStringLength: 256 };

function pick(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * Reads `bastion.json` from `dir`. Accepts the `init` schematic's nested shape (`scopes.format`,
 * `scopes.actions`, `validation.maxStringLength`) and flat spellings (`scopeFormat`, `maxStringLength`).
 */
export function readBastionConfig(dir: string): BastionConfig {
  const file = join(dir, 'bastion.json');
  if (!existsSync(file)) return { ...DEFAULT_CONFIG, actions: { ...DEFAULT_ACTIONS } };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new CodemodError('ERR_BASTION_JSON', 'bastion.json is not valid JSON', file, undefined, { cause });
  }
  return parseBastionConfig(raw, file);
}

export function parseBastionConfig(raw: unknown, file = 'bastion.json'): BastionConfig {
  const format = pick(raw, 'scopes', 'format') ?? pick(raw, 'scope', 'format') ?? pick(raw, 'scopeFormat') ?? DEFAULT_CONFIG.scopeFormat;
  if (typeof format !== 'string' || !format.includes('{action}')) {
    throw new CodemodError('ERR_BASTION_JSON', '"scopes.format" must be a string containing {action}', file);
  }
  const actionsRaw = pick(raw, 'scopes', 'actions') ?? pick(raw, 'actions') ?? {};
  const actions: Record<string, string> = { ...DEFAULT_ACTIONS };
  if (actionsRaw && typeof actionsRaw === 'object') {
    for (const [k, v] of Object.entries(actionsRaw as Record<string, unknown>)) if (typeof v === 'string') actions[k.toUpperCase()] = v;
  }
  const max = pick(raw, 'validation', 'maxStringLength') ?? pick(raw, 'dto', 'maxStringLength') ?? pick(raw, 'maxStringLength') ?? DEFAULT_CONFIG.maxStringLength;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
    throw new CodemodError('ERR_BASTION_JSON', '"validation.maxStringLength" must be a positive integer', file);
  }
  return { scopeFormat: format, actions, maxStringLength: max };
}
