import { IDENTIFIER, pascalCase, quote, type FieldSpec } from './field-spec.js';

const CV = 'class-validator';
const CT = 'class-transformer';
const SWAGGER = '@nestjs/swagger';

/** An RFC 5321 §4.5.3.1 path is at most 256 octets with its angle brackets: 254 for the address. */
export const EMAIL_MAX_LENGTH = 254;
/** The longest ISO 8601 timestamp a client needs to send (`2026-01-01T00:00:00.000000000+05:30` is 35). */
export const DATE_MAX_LENGTH = 40;

/** The bounds every generated DTO applies where its field gives none (from `bastion.json`). */
export interface DtoRules {
  /** Max length of a string field that states none. */
  maxStringLength: number;
  /** Max items of an array field that states none. */
  maxArraySize: number;
}

export interface DtoRenderOptions extends DtoRules {
  /** Add `@ApiProperty` decorators (the project uses `@nestjs/swagger`). */
  swagger?: boolean;
  /** Query DTO: values arrive as strings, so numbers and booleans are converted before validation. */
  query?: boolean;
  /** Every top-level field optional (update DTOs). */
  allOptional?: boolean;
  /** Prefix of nested class names: `<prefix><Field>Dto`. Default: the class name without `Dto`. */
  nestedPrefix?: string;
  /** JSDoc comment of the root class. */
  doc?: string;
  /** Classes that exist already: used, never declared; imported from the value when it is set. */
  declared?: ReadonlyMap<string, string | undefined>;
}

/** A bound the DTO enforces because `bastion.json` says so, not because its field did. */
export interface DefaultedBound {
  /** The DTO class. */
  className: string;
  /** The property. */
  field: string;
  /** The decorator, e.g. `@MaxLength(255)`. */
  rule: string;
  /** The `bastion.json` key the bound comes from. */
  setting: keyof DtoRules;
}

/** Generated DTO classes and what they need. */
export interface DtoCode {
  /** Declared classes, each after the nested classes it uses (so `design:type` never meets an undeclared class). */
  classes: Map<string, string>;
  /** Module → names to import. */
  imports: Map<string, Set<string>>;
  /** Bounds that come from `bastion.json` defaults, for the report. */
  defaulted: DefaultedBound[];
}

/**
 * Renders class-validator DTO classes: every string has a max length, every array a max size, every
 * date string a format and a max length, nested objects get `@ValidateNested` + `@Type` so the strict
 * global ValidationPipe checks them too. The one DTO generator of the schematics and retrofit.
 */
export function renderDto(className: string, fields: FieldSpec[], options: DtoRenderOptions): DtoCode {
  const code: DtoCode = { classes: new Map(), imports: new Map(), defaulted: [] };
  new Renderer(code, options).declare(className, fields, options.allOptional === true, options.doc, options.nestedPrefix ?? className.replace(/Dto$/, ''));
  return code;
}

class Renderer {
  constructor(private readonly code: DtoCode, private readonly o: DtoRenderOptions) {}

  use(module: string, name: string): string {
    const set = this.code.imports.get(module) ?? new Set<string>();
    set.add(name);
    this.code.imports.set(module, set);
    return name;
  }

  /** The name under which a nested class is available, declaring it when it is new. */
  private nested(name: string, fields: FieldSpec[]): string {
    if (this.o.declared?.has(name)) {
      const from = this.o.declared.get(name);
      if (from) this.use(from, name);
      return name;
    }
    if (!this.code.classes.has(name)) this.declare(name, fields, false, undefined, name.replace(/Dto$/, ''));
    return name;
  }

  declare(name: string, fields: FieldSpec[], allOptional: boolean, doc: string | undefined, prefix: string): void {
    // Reserved first: a class that refers to itself does not declare itself twice.
    this.code.classes.set(name, '');
    const members = fields.map((f) => this.member(name, prefix, f, allOptional));
    this.code.classes.delete(name);
    const body = members.length ? `${members.join('\n\n')}\n` : '';
    this.code.classes.set(name, `${doc ? `${doc}\n` : ''}export class ${name} {\n${body}}\n`);
  }

  private member(owner: string, prefix: string, f: FieldSpec, allOptional: boolean): string {
    const optional = allOptional || f.optional === true;
    const each = f.array ? '{ each: true }' : '';
    const v = (decorator: string, ...args: Array<string | number | undefined>): string => {
      const list = args.filter((a) => a !== undefined && a !== '');
      return `@${this.use(CV, decorator)}(${list.join(', ')})`;
    };
    const d: string[] = [];
    if (optional) d.push(v('IsOptional'));
    else if (f.nullable) d.push(`@${this.use(CV, 'ValidateIf')}((_object, value) => value !== null)`);
    let maxItems: number | undefined;
    if (f.array) {
      maxItems = f.maxItems ?? this.o.maxArraySize;
      d.push(v('IsArray'));
      d.push(v('ArrayMaxSize', maxItems));
      if (f.maxItems === undefined) this.code.defaulted.push({ className: owner, field: f.name, rule: `@ArrayMaxSize(${maxItems})`, setting: 'maxArraySize' });
    }
    let refName: string | undefined;
    let maxLength: number | undefined;
    if (f.enum?.length) {
      if (this.o.query && f.enum.every((e) => typeof e === 'number')) d.push(`@${this.use(CT, 'Type')}(() => Number)`);
      d.push(v('IsIn', `[${f.enum.map(literal).join(', ')}]`, each));
    } else {
      switch (f.type) {
        case 'string':
          d.push(v('IsString', each));
          if (f.min !== undefined && f.min > 0) d.push(v('MinLength', f.min, each));
          maxLength = f.max ?? this.o.maxStringLength;
          d.push(v('MaxLength', maxLength, each));
          if (f.max === undefined) this.code.defaulted.push({ className: owner, field: f.name, rule: `@MaxLength(${maxLength})`, setting: 'maxStringLength' });
          break;
        case 'uuid':
          d.push(v('IsUUID', each ? 'undefined' : '', each));
          break;
        case 'email':
          maxLength = Math.min(f.max ?? EMAIL_MAX_LENGTH, EMAIL_MAX_LENGTH);
          d.push(v('IsEmail', each ? '{}' : '', each));
          d.push(v('MaxLength', maxLength, each));
          break;
        case 'date':
          maxLength = Math.min(f.max ?? DATE_MAX_LENGTH, DATE_MAX_LENGTH);
          d.push(v('IsISO8601', each ? '{}' : '', each));
          d.push(v('MaxLength', maxLength, each));
          break;
        case 'date-object':
          d.push(`@${this.use(CT, 'Type')}(() => Date)`);
          d.push(v('IsDate', each));
          break;
        case 'int':
        case 'number':
          if (this.o.query) d.push(`@${this.use(CT, 'Type')}(() => Number)`);
          d.push(f.type === 'int' ? v('IsInt', each) : v('IsNumber', each ? '{}' : '', each));
          if (f.min !== undefined) d.push(v('Min', f.min, each));
          if (f.max !== undefined) d.push(v('Max', f.max, each));
          break;
        case 'boolean':
          if (this.o.query) d.push(`@${this.use(CT, 'Transform')}(({ value }) => value === 'true' || value === true)`);
          d.push(v('IsBoolean', each));
          break;
        case 'enum':
          refName = this.ref(f);
          d.push(v('IsEnum', refName, each));
          break;
        case 'object':
          refName = f.ref ? this.ref(f) : this.nested(f.className ?? `${prefix}${pascalCase(f.name)}Dto`, f.fields ?? []);
          d.push(v('ValidateNested', each));
          d.push(`@${this.use(CT, 'Type')}(() => ${refName})`);
          break;
      }
    }
    if (this.o.swagger) d.unshift(this.apiProperty(f, optional, refName, maxLength, maxItems));
    const name = IDENTIFIER.test(f.name) ? f.name : quote(f.name);
    const doc = f.doc ? `  ${f.doc}\n` : '';
    return `${doc}${d.map((line) => `  ${line}\n`).join('')}  ${name}${optional ? '?' : '!'}: ${fieldType(f, refName)};`;
  }

  private ref(f: FieldSpec): string {
    const ref = f.ref!;
    if (ref.from) this.use(ref.from, ref.name);
    return ref.name;
  }

  private apiProperty(f: FieldSpec, optional: boolean, refName: string | undefined, maxLength: number | undefined, maxItems: number | undefined): string {
    const name = this.use(SWAGGER, optional ? 'ApiPropertyOptional' : 'ApiProperty');
    const args: string[] = [];
    const scalar: Record<string, string> = { string: 'String', uuid: 'String', email: 'String', date: 'String', int: 'Number', number: 'Number', boolean: 'Boolean', 'date-object': 'Date' };
    if (f.enum?.length) args.push(`enum: [${f.enum.map(literal).join(', ')}]`);
    else if (f.type === 'enum') args.push(`enum: ${refName}`);
    else if (f.type === 'object') args.push(`type: () => ${f.array ? `[${refName}]` : refName}`);
    else if (f.array) args.push(`type: [${scalar[f.type]}]`);
    if (f.array && maxItems !== undefined) args.push(`maxItems: ${maxItems}`);
    if (maxLength !== undefined) {
      if (f.type === 'string' && f.min !== undefined && f.min > 0) args.push(`minLength: ${f.min}`);
      args.push(`maxLength: ${maxLength}`);
    }
    if ((f.type === 'int' || f.type === 'number') && !f.enum?.length) {
      if (f.min !== undefined) args.push(`minimum: ${f.min}`);
      if (f.max !== undefined) args.push(`maximum: ${f.max}`);
    }
    if (f.nullable) args.push('nullable: true');
    return `@${name}(${args.length ? `{ ${args.join(', ')} }` : ''})`;
  }
}

function literal(value: string | number): string {
  return typeof value === 'string' ? quote(value) : String(value);
}

/**
 * The TypeScript type of a field: a union of its literals, `string`, `number`, `Date`, the enum or class
 * (`refName`, else its ref or nested class name), `[]` for arrays, `| null` when nullable.
 */
export function fieldType(f: FieldSpec, refName?: string): string {
  let t: string;
  if (f.enum?.length) t = f.enum.map(literal).join(' | ');
  else if (f.type === 'int' || f.type === 'number') t = 'number';
  else if (f.type === 'boolean') t = 'boolean';
  else if (f.type === 'date-object') t = 'Date';
  else if (f.type === 'enum' || f.type === 'object') t = refName ?? f.ref?.name ?? f.className ?? 'object';
  else t = 'string';
  if (f.array) t = t.includes('|') ? `(${t})[]` : `${t}[]`;
  return f.nullable ? `${t} | null` : t;
}

const MODULE_ORDER = [SWAGGER, CT, CV];

/** `import { A, B } from 'x';` lines: packages in a fixed order, then other modules alphabetically, names sorted. */
export function importLines(imports: ReadonlyMap<string, ReadonlySet<string>>, q = "'"): string[] {
  const rank = (m: string): number => (MODULE_ORDER.includes(m) ? MODULE_ORDER.indexOf(m) : m.startsWith('.') ? 99 : 50);
  return [...imports.keys()]
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((m) => `import { ${[...imports.get(m)!].sort().join(', ')} } from ${q}${m}${q};`);
}

/** A whole DTO file: imports, a blank line, the classes. */
export function renderDtoFile(code: Pick<DtoCode, 'classes' | 'imports'>, q = "'"): string {
  const imports = importLines(code.imports, q);
  return `${imports.length ? `${imports.join('\n')}\n\n` : ''}${[...code.classes.values()].join('\n')}`;
}
