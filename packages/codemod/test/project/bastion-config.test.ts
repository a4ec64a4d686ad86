import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../src/project/gateway-config.js';
import { CodemodError } from '../../src/errors.js';
import { CONFIG_SCHEMA_REF, defaultConfig, parseBastionConfig, parseBastionConfigJson, scopeName } from '../../src/project/bastion-config.js';

const PACKAGE = join(import.meta.dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(PACKAGE, 'bastion.schema.json'), 'utf8')) as JsonSchema;
const validate = new Ajv.default({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

interface JsonSchema {
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
}

function warningsOf(raw: unknown): string[] {
  const warnings: string[] = [];
  parseBastionConfig(raw, 'bastion.json', (w) => warnings.push(w));
  return warnings;
}

/** A config that uses every key (init's file, plus the optional sections). */
const FULL = {
  $schema: CONFIG_SCHEMA_REF,
  ...defaultConfig(),
  scopeFormat: 'shop.{resource}.{action}',
  actions: { GET: 'view', SEARCH: 'view' },
  idType: 'int',
  maxArraySize: 20,
  resources: {
    orders: { fields: 'item:string:1-100,quantity:int:1-1000', ownership: true },
    customers: { fields: [{ name: 'email', type: 'email' }, { name: 'address', type: 'object', fields: [{ name: 'city', type: 'string', max: 80 }] }] },
  },
  tokensCarryScopes: false,
  migrationWindowDays: 90,
  retrofit: { lockDown: true },
};

describe('bastion.json: one reader, one published schema', () => {
  it('documents every key of the schema, with its default where it has one', () => {
    const missing: string[] = [];
    const walk = (node: JsonSchema, path: string) => {
      if (!node.description) missing.push(path);
      for (const [k, v] of Object.entries(node.properties ?? {})) walk(v, `${path}.${k}`);
      for (const [k, v] of Object.entries(node.definitions ?? {})) walk(v, `${path}#${k}`);
    };
    walk(schema, '(root)');
    expect(missing).toEqual([]);
    const defaults = defaultConfig() as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(defaults)) expect(schema.properties?.[key]?.default, key).toEqual(value);
  });

  it('names the same keys as the reader', () => {
    // `gateway` is read by the reader's gateway part (parseGatewayConfig), not merged into the defaults.
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(['$schema', 'gateway', ...Object.keys(defaultConfig())].sort());
  });

  it('accepts a gateway declaration the gateway reader reads, and refuses one it refuses', () => {
    const gateway = { gateway: { upstreams: { orders: { prefix: '/orders', methods: ['GET', 'POST'], scopes: ['orders:read'], timeoutMs: 5000, retry: { attempts: 2 }, auth: { type: 'client-credentials', scope: 'orders:internal' } } } } };
    expect(validate(gateway), JSON.stringify(validate.errors)).toBe(true);
    expect(warningsOf(gateway)).toEqual([]);
    expect(parseGatewayConfig(gateway).upstreams.orders?.methods).toEqual(['GET', 'POST']);
    const bad = { gateway: { upstreams: { orders: { auth: { type: 'api-key' } } } } };
    expect(validate(bad)).toBe(false);
    expect(() => parseGatewayConfig(bad)).toThrow('gateway.upstreams.orders.auth.type');
  });

  it('accepts the defaults and a config that uses every key; the reader reads it without a warning', () => {
    expect(validate(defaultConfig()), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(FULL), JSON.stringify(validate.errors)).toBe(true);
    expect(warningsOf(FULL)).toEqual([]);
    const config = parseBastionConfig(FULL);
    expect(config).toMatchObject({ scopeFormat: 'shop.{resource}.{action}', idType: 'int', maxArraySize: 20, tokensCarryScopes: false, migrationWindowDays: 90, retrofit: { lockDown: true } });
    expect(config.actions).toMatchObject({ GET: 'view', SEARCH: 'view', POST: 'write' });
    expect(config.resources.orders?.fields?.map((f) => [f.name, f.type, f.min, f.max])).toEqual([['item', 'string', 1, 100], ['quantity', 'int', 1, 1000]]);
    expect(config.resources.customers?.fields?.[1]?.fields?.[0]).toEqual({ name: 'city', type: 'string', max: 80 });
  });

  it.each([
    [{ scopeFormat: 'static' }, 'scopeFormat'],
    [{ scopeFormat: 'orders {action}' }, 'scopeFormat'],
    [{ actions: { GET: 'read all' } }, 'actions.GET'],
    [{ actions: { 'GET /x': 'read' } }, 'actions.GET /x'],
    [{ idType: 'string' }, 'idType'],
    [{ defaultBoundary: 'the internet' }, 'defaultBoundary'],
    [{ maxStringLength: 0 }, 'maxStringLength'],
    [{ maxStringLength: 12.5 }, 'maxStringLength'],
    [{ maxArraySize: -1 }, 'maxArraySize'],
    [{ pagination: { maxLimit: 0 } }, 'pagination.maxLimit'],
    [{ tokensCarryScopes: 'yes' }, 'tokensCarryScopes'],
    [{ retrofit: { lockDown: 1 } }, 'retrofit.lockDown'],
    [{ migrationWindowDays: 0 }, 'migrationWindowDays'],
    [{ migrationWindowDays: 400 }, 'migrationWindowDays'],
    [{ resources: { orders: { fields: [{ name: 'x' }] } } }, 'resources.orders.fields'],
    [{ resources: { orders: { ownership: 'yes' } } }, 'resources.orders.ownership'],
    [[], '(root)'],
  ])('refuses %j in both, the reader naming %s', (raw, key) => {
    expect(validate(raw)).toBe(false);
    expect(() => parseBastionConfig(raw)).toThrow(CodemodError);
    expect(() => parseBastionConfig(raw)).toThrow(`"${key}"`);
  });

  it('refuses what the schema cannot express: a default page size over the max, a bad field list', () => {
    expect(() => parseBastionConfig({ pagination: { defaultLimit: 200 } })).toThrow('"pagination.defaultLimit" must not exceed "pagination.maxLimit"');
    expect(() => parseBastionConfig({ resources: { orders: { fields: 'item:text' } } })).toThrow(/"resources\.orders\.fields" is invalid: .*unknown type "text"/);
  });

  it('tolerates unknown keys with a warning, where the schema flags them for editors', () => {
    const raw = { colour: 'blue', retrofit: { lockdown: true }, pagination: { pageSize: 10 } };
    expect(warningsOf(raw)).toEqual([
      'bastion.json: unknown key "colour" (ignored)',
      'bastion.json: unknown key "pagination.pageSize" (ignored)',
      'bastion.json: unknown key "retrofit.lockdown" (ignored)',
    ]);
    expect(parseBastionConfig(raw).retrofit.lockDown).toBe(false);
    expect(validate(raw)).toBe(false);
  });

  it('reads the nested spellings of codemod 0.1, with a warning to rename them', () => {
    const raw = { scopes: { format: '{resource}.{action}', actions: { post: 'create' } }, validation: { maxStringLength: 80 } };
    expect(parseBastionConfig(raw)).toMatchObject({ scopeFormat: '{resource}.{action}', maxStringLength: 80, actions: { POST: 'create', GET: 'read' } });
    expect(warningsOf(raw)).toEqual([
      'bastion.json: "scopes.format" is read as "scopeFormat"; rename it',
      'bastion.json: "scopes.actions" is read as "actions"; rename it',
      'bastion.json: "validation.maxStringLength" is read as "maxStringLength"; rename it',
    ]);
    expect(parseBastionConfig({ scopeFormat: 'a:{action}', scopes: { format: 'b:{action}' } }).scopeFormat).toBe('a:{action}');
  });

  it('reports JSON syntax errors with the file', () => {
    expect(() => parseBastionConfigJson('{ "idType": }', '/app/bastion.json')).toThrow(/\/app\/bastion\.json: bastion\.json is not valid JSON/);
  });

  it('names scopes with every placeholder replaced', () => {
    expect(scopeName({ scopeFormat: '{resource}:{action}' }, 'orders', 'read')).toBe('orders:read');
    expect(scopeName({ scopeFormat: 'api/{resource}/{resource}.{action}' }, 'orders', 'read')).toBe('api/orders/orders.read');
  });

  it('ships the schema in the package, under the path init writes into $schema', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as { files: string[]; exports: Record<string, unknown> };
    expect(pkg.files).toContain('bastion.schema.json');
    expect(pkg.exports['./bastion.schema.json']).toBe('./bastion.schema.json');
    expect(CONFIG_SCHEMA_REF).toBe('./node_modules/@bastion/codemod/bastion.schema.json');
  });
});
