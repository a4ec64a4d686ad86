import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retrofit } from '@bastion/codemod';
import { afterEach, describe, expect, it } from 'vitest';
import { nestApp, runner } from './support.js';

// One DTO generator: the same fields, given to the `dto` schematic (a field list or a JSON Schema) and to
// the codemod (the TypeScript type a controller already uses), come out as the same file, bounds included.
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const BASTION_JSON = JSON.stringify({ maxStringLength: 120, maxArraySize: 12 });

/** What the schematic writes for `options` in a project with `bastion.json` (and Swagger when asked). */
async function schematicDto(options: Record<string, unknown>, swagger: boolean, files: Record<string, string> = {}): Promise<string> {
  const tree = nestApp({ swagger });
  tree.create('bastion.json', BASTION_JSON);
  for (const [path, text] of Object.entries(files)) tree.create(path, text);
  const { runner: r } = runner();
  const out = await r.runSchematic('dto', options, tree);
  return out.readText(`src/${String(options.name)}.dto.ts`);
}

/** What `bastion retrofit` generates for a controller whose body is typed by `types`. */
async function codemodDto(types: string, bodyType: string, swagger: boolean): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'bastion-one-generator-'));
  dirs.push(dir);
  const deps: Record<string, string> = { '@nestjs/common': '^12.0.0', '@nestjs/core': '^12.0.0', ...(swagger ? { '@nestjs/swagger': '^12.0.0' } : {}) };
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'shop', dependencies: deps }),
    'bastion.json': BASTION_JSON,
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', experimentalDecorators: true, emitDecoratorMetadata: true }, include: ['src'] }),
    'src/posts.controller.ts': `import { Body, Controller, Post } from '@nestjs/common';\n\n${types}\n@Controller('posts')\nexport class PostsController {\n  @Post()\n  create(@Body() body: ${bodyType}) {\n    return body;\n  }\n}\n`,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const report = await retrofit({ project: 'tsconfig.json', cwd: dir, transforms: ['dtos'] });
  expect(report.files.map((f) => f.file).sort()).toEqual(['src/posts.controller.ts', 'src/posts.dto.ts']);
  return readFileSync(join(dir, 'src', 'posts.dto.ts'), 'utf8');
}

describe('one DTO generator for the schematics and the codemod', () => {
  it.each([false, true])('a field list and the interface with the same fields give the same DTO (swagger: %s)', async (swagger) => {
    const fields = 'title:string,views:number,published:boolean,tags:string[],summary?:string,publishedAt:date,notes?:string[]';
    const type = `export interface CreatePost {
  title: string;
  views: number;
  published: boolean;
  tags: string[];
  summary?: string;
  publishedAt: string;
  notes?: string[];
}
`;
    const fromSchematic = await schematicDto({ name: 'create-post', fields }, swagger);
    expect(fromSchematic).toContain('@MaxLength(120)');
    expect(fromSchematic).toContain('@ArrayMaxSize(12)');
    expect(fromSchematic).toContain('@IsISO8601()\n  @MaxLength(40)');
    expect(await codemodDto(type, 'CreatePost', swagger)).toBe(fromSchematic);
  });

  it.each([false, true])('a JSON Schema and the equivalent types (nested object, literals, null, docs) give the same DTO (swagger: %s)', async (swagger) => {
    const schema = {
      type: 'object',
      description: 'A new shipment.',
      required: ['kind', 'address', 'weights', 'reference'],
      properties: {
        kind: { type: 'string', enum: ['parcel', 'letter'], description: 'What is shipped.' },
        priority: { type: 'integer', enum: [1, 2, 3] },
        address: { type: 'object', required: ['city'], properties: { city: { type: 'string' }, lines: { type: 'array', items: { type: 'string' } } } },
        weights: { type: 'array', items: { type: 'number' } },
        reference: { type: ['string', 'null'] },
      },
    };
    const types = `/** A new shipment. */
export interface CreateShipment {
  /** What is shipped. */
  kind: 'parcel' | 'letter';
  priority?: 1 | 2 | 3;
  address: { city: string; lines?: string[] };
  weights: number[];
  reference: string | null;
}
`;
    const fromSchematic = await schematicDto({ name: 'create-shipment', schema: 'shipment.schema.json' }, swagger, { 'shipment.schema.json': JSON.stringify(schema) });
    expect(fromSchematic).toContain('export class CreateShipmentAddressDto {');
    expect(await codemodDto(types, 'CreateShipment', swagger)).toBe(fromSchematic);
  });
});
