import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { COLLECTION, PKG, runner } from './support.js';

interface CollectionJson {
  extends: string[];
  schematics: Record<string, { factory: string; schema: string; aliases?: string[] }>;
}
const collection = JSON.parse(readFileSync(join(PKG, 'src', 'collection.json'), 'utf8')) as CollectionJson;
const NAMES = Object.keys(collection.schematics);
// What `nest g` forwards to any collection (actions/generate.action.js of @nestjs/cli 12).
const FORWARDED = ['name', 'path', 'sourceRoot', 'flat', 'spec', 'specFileSuffix', 'skipImport', 'language', 'project', 'collection', 'format'];

/** Property names and TS types of the `*Options` interface in src/<name>/schema.ts. */
function optionsInterface(name: string): Record<string, string> {
  const file = join(PKG, 'src', name, 'schema.ts');
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const iface = sf.statements.find(ts.isInterfaceDeclaration);
  if (!iface) throw new Error(`${file}: no interface`);
  return Object.fromEntries(iface.members.filter(ts.isPropertySignature).map((m) => [m.name.getText(sf), m.type!.getText(sf)]));
}

const jsonType = (tsType: string): string => (tsType === 'boolean' ? 'boolean' : 'string');

describe('collection integrity', () => {
  beforeAll(() => {
    runner();
  });

  it('has the six schematics and their aliases, and extends the Nest collection', () => {
    expect(NAMES.sort()).toEqual(['dto', 'gateway', 'init', 'policy', 'retrofit', 'secure-resource']);
    expect(collection.schematics.init!.aliases).toEqual(['add']);
    expect(collection.schematics['secure-resource']!.aliases).toEqual(['sres']);
    expect(collection.extends).toEqual(['@nestjs/schematics']);
  });

  it.each(NAMES)('%s: the built factory exists and exports main', (name) => {
    const [file, fn] = collection.schematics[name]!.factory.split('#') as [string, string];
    const path = join(PKG, 'dist', `${file}.js`);
    expect(existsSync(path)).toBe(true);
    const mod = createRequire(import.meta.url)(path) as Record<string, unknown>;
    expect(typeof mod[fn]).toBe('function');
  });

  it.each(NAMES)('%s: the schema parses, never prompts, and accepts every option nest g forwards', (name) => {
    const raw = readFileSync(join(PKG, 'dist', collection.schematics[name]!.schema), 'utf8');
    const schema = JSON.parse(raw) as { type: string; additionalProperties?: unknown; properties: Record<string, { type: string }> };
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBeUndefined();
    expect(raw).not.toContain('x-prompt');
    for (const option of FORWARDED) expect(Object.keys(schema.properties), option).toContain(option);
  });

  it.each(NAMES)('%s: schema.json and the options interface list the same options with the same types', (name) => {
    const schema = JSON.parse(readFileSync(join(PKG, 'src', collection.schematics[name]!.schema), 'utf8')) as { properties: Record<string, { type: string }> };
    const iface = optionsInterface(name);
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(iface).sort());
    for (const [prop, def] of Object.entries(schema.properties)) expect(`${prop}: ${def.type}`).toBe(`${prop}: ${jsonType(iface[prop]!)}`);
  });

  it('resolves aliases and the extended Nest schematics through the devkit engine', () => {
    const { runner: r } = runner();
    const engineCollection = r.engine.createCollection(COLLECTION);
    expect(engineCollection.createSchematic('add').description.name).toBe('init');
    expect(engineCollection.createSchematic('sres').description.name).toBe('secure-resource');
    expect(engineCollection.listSchematicNames()).toEqual(expect.arrayContaining(['init', 'secure-resource', 'dto', 'policy', 'retrofit', 'resource', 'controller']));
  });
});
