import { posix } from 'node:path';
import { Node, type Decorator, type PropertyDeclaration } from 'ts-morph';
import { resolveDecorators } from '../analysis/decorators.js';
import { importsOf } from '../analysis/file-imports.js';
import { objectProperty, stringValue } from '../analysis/literals.js';
import { relativePath, type Workspace } from '../project/workspace.js';
import { singularize } from './field-spec.js';

/** What the code already says about one field: bounds and formats, with where it says so. */
export interface Evidence {
  maxLength?: number;
  minLength?: number;
  /** Numbers: maximum. */
  max?: number;
  /** Numbers: minimum. */
  min?: number;
  maxItems?: number;
  /** A stricter type the code already enforces for the field. */
  type?: 'int' | 'email' | 'uuid' | 'date';
  /** Where, e.g. `@Column({ length: 100 }) on Order.item (src/order.entity.ts:9)`. */
  source: string;
}

const VERB = /^(Create|Update|Patch|Replace|Upsert|New|Edit|Add|Put|Post|Save)(?=[A-Z])/;
const SUFFIX = /(Entity|Model|Dto|DTO|Interface|Input|Body|Request|Payload|Params|Query|Data|Args|Schema|Record|Row|Document|Doc)$/;

/** `CreateOrderDto` → `order`, `orders` → `order`: the key under which related classes and tables meet. */
export function baseName(name: string): string {
  let n = name.replace(VERB, '');
  for (let i = 0; i < 2 && SUFFIX.test(n) && n.replace(SUFFIX, '') !== ''; i++) n = n.replace(SUFFIX, '');
  return singularize(n.replace(/[-_\s]/g, '').toLowerCase());
}

const STRING_COLUMN = /^(varchar|nvarchar|char|nchar|character varying|character|varchar2|nvarchar2|string)\s*(?:\(\s*(\d+)\s*\))?$/i;
const INT_COLUMN = /^(int|int2|int4|integer|smallint|mediumint|tinyint)$/i;
const CV_RULES = new Set(['MaxLength', 'MinLength', 'Length', 'ArrayMaxSize', 'Max', 'Min', 'IsInt', 'IsEmail', 'IsUUID', 'IsISO8601', 'IsDateString']);

/**
 * Bounds the project's code already states, by related name and field: TypeORM column lengths
 * (`@Column({ length })`, `varchar(n)`), Prisma native types (`@db.VarChar(n)` in `schema.prisma`) and
 * class-validator decorators on existing classes. Built once per workspace.
 */
export class EvidenceIndex {
  private readonly byName = new Map<string, Map<string, Evidence[]>>();

  private constructor(private readonly ws: Workspace) {}

  static of(ws: Workspace): EvidenceIndex {
    let index = cache.get(ws);
    if (!index) {
      index = new EvidenceIndex(ws);
      index.scanClasses();
      index.scanPrisma();
      cache.set(ws, index);
    }
    return index;
  }

  /** The evidence for `field` under the first related name that has any, tightest bounds first. */
  lookup(names: string[], field: string): Evidence | undefined {
    for (const name of names) {
      const found = this.byName.get(baseName(name))?.get(field);
      if (found?.length) return merge(found);
    }
    return undefined;
  }

  private add(name: string, field: string, e: Omit<Evidence, 'source'>, source: string): void {
    if (Object.values(e).every((v) => v === undefined)) return;
    const key = baseName(name);
    const fields = this.byName.get(key) ?? new Map<string, Evidence[]>();
    fields.set(field, [...(fields.get(field) ?? []), { ...e, source }]);
    this.byName.set(key, fields);
  }

  private scanClasses(): void {
    for (const file of this.ws.allFiles) {
      const text = file.getFullText();
      if (!text.includes('typeorm') && !text.includes('class-validator')) continue;
      const imports = importsOf(file);
      for (const cls of file.getClasses()) {
        const name = cls.getName();
        if (!name) continue;
        const entity = resolveDecorators(cls.getDecorators(), imports).find((d) => d.binding?.module === 'typeorm' && d.binding.name === 'Entity');
        const names = [name, ...(entity ? [stringValue(entity.args[0]) ?? stringValue(objectProperty(entity.args[0], 'name'))].filter((n): n is string => !!n) : [])];
        for (const prop of cls.getProperties()) {
          for (const d of resolveDecorators(prop.getDecorators(), imports)) {
            const b = d.binding;
            if (!b) continue;
            const where = `on ${name}.${prop.getName()} (${relativePath(this.ws, file.getFilePath())}:${d.node.getStartLineNumber()})`;
            const label = `${d.node.getText().replace(/\s+/g, ' ')} ${where}`;
            const e = b.module === 'typeorm' && (b.name === 'Column' || b.name === 'PrimaryColumn') ? typeormColumn(d.args, prop)
              : b.module === 'class-validator' && CV_RULES.has(b.name) ? validatorRule(b.name, d.node) : undefined;
            if (e) for (const n of names) this.add(n, prop.getName(), e, label);
          }
        }
      }
    }
  }

  private scanPrisma(): void {
    const fs = this.ws.project.getFileSystem();
    const root = this.ws.info.root;
    const candidates = [posix.join(root, 'prisma', 'schema.prisma'), posix.join(root, 'schema.prisma')];
    const dir = posix.join(root, 'prisma', 'schema');
    if (fs.directoryExistsSync(dir)) {
      for (const entry of fs.readDirSync(dir)) {
        const path = entry.name.startsWith('/') ? entry.name : posix.join(dir, entry.name);
        if (entry.isFile && path.endsWith('.prisma')) candidates.push(path);
      }
    }
    for (const path of candidates) {
      if (!fs.fileExistsSync(path)) continue;
      const rel = relativePath(this.ws, path);
      let model: string | undefined;
      fs.readFileSync(path, 'utf8').split(/\r?\n/).forEach((line, i) => {
        const open = /^\s*model\s+(\w+)\s*\{/.exec(line);
        if (open) return void (model = open[1]);
        if (/^\s*\}/.test(line)) return void (model = undefined);
        const m = model && /^\s*(\w+)\s+(\w+)(\[\])?\??\s*(.*)$/.exec(line);
        if (!m || !model) return;
        const [, field, type, list, attrs] = m as unknown as [string, string, string, string | undefined, string];
        const db = /@db\.(?:VarChar|Char|NVarChar|NChar)\(\s*(\d+)\s*\)/.exec(attrs);
        const source = `${line.trim().replace(/\s+/g, ' ')} in model ${model} (${rel}:${i + 1})`;
        if (db && type === 'String' && !list) this.add(model, field, { maxLength: Number(db[1]) }, source);
        else if (type === 'Int' && !list) this.add(model, field, { type: 'int' }, source);
      });
    }
  }
}

const cache = new WeakMap<Workspace, EvidenceIndex>();

function numberArg(node: Node | undefined): number | undefined {
  if (!node) return undefined;
  if (Node.isNumericLiteral(node)) return Number(node.getLiteralValue());
  const s = stringValue(node);
  return s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined;
}

/** `@Column({ length: 100 })`, `@Column('varchar', { length: 100 })`, `@Column({ type: 'varchar(100)' })`, `@Column('int')`. */
function typeormColumn(args: Node[], prop: PropertyDeclaration): Omit<Evidence, 'source'> | undefined {
  const first = args[0];
  const options = first && Node.isObjectLiteralExpression(first) ? first : args[1];
  const type = stringValue(first) ?? stringValue(objectProperty(options, 'type'));
  const length = numberArg(objectProperty(options, 'length'));
  const tsType = prop.getTypeNode()?.getText();
  if (type && INT_COLUMN.test(type) && tsType === 'number') return { type: 'int' };
  const typed = type ? STRING_COLUMN.exec(type) : undefined;
  if (type && !typed) return undefined;
  const maxLength = length ?? (typed?.[2] ? Number(typed[2]) : undefined);
  return maxLength !== undefined && (tsType === undefined || tsType === 'string') ? { maxLength } : undefined;
}

function validatorRule(name: string, decorator: Decorator): Omit<Evidence, 'source'> | undefined {
  const args = decorator.getCallExpression()?.getArguments() ?? [];
  const n = (i: number) => numberArg(args[i]);
  switch (name) {
    case 'MaxLength': return { maxLength: n(0) };
    case 'MinLength': return { minLength: n(0) };
    case 'Length': return { minLength: n(0), maxLength: n(1) };
    case 'ArrayMaxSize': return { maxItems: n(0) };
    case 'Max': return { max: n(0) };
    case 'Min': return { min: n(0) };
    case 'IsInt': return { type: 'int' };
    case 'IsEmail': return { type: 'email' };
    case 'IsUUID': return { type: 'uuid' };
    default: return { type: 'date' };
  }
}

/** One evidence from several: the tightest bounds, the first stricter type; every source named. */
function merge(list: Evidence[]): Evidence {
  const out: Evidence = { source: [...new Set(list.map((e) => e.source))].join('; ') };
  for (const e of list) {
    for (const key of ['maxLength', 'max', 'maxItems'] as const) if (e[key] !== undefined && (out[key] === undefined || e[key] < out[key])) out[key] = e[key];
    for (const key of ['minLength', 'min'] as const) if (e[key] !== undefined && (out[key] === undefined || e[key] > out[key])) out[key] = e[key];
    out.type ??= e.type;
  }
  return out;
}
