import { nestedClassName, type FieldSpec } from './fields';

export interface DtoCodeOptions {
  /** Add `@ApiProperty` decorators (`@nestjs/swagger` is in package.json). */
  swagger: boolean;
  /** Max length of strings whose field gives none. */
  maxStringLength: number;
  /** Every top-level field optional (update DTOs). */
  allOptional?: boolean;
  /** Max items of arrays whose field gives none. */
  defaultMaxItems?: number;
}

/** Generated DTO source: class declarations plus the names each package must provide. */
export interface DtoCode {
  /** Class declarations, nested classes first. */
  classes: string;
  validator: Set<string>;
  transformer: Set<string>;
  swagger: Set<string>;
  /** Nested class names declared here (exported, so update DTOs can import them). */
  nested: string[];
  /** Nested class names taken from `nestedSource` (to import). */
  importedNested: Set<string>;
}

/**
 * Renders class-validator DTO classes. Every string has a max length, every array a max size, nested
 * objects get `@ValidateNested` + `@Type` so the strict global ValidationPipe checks them too.
 */
export function dtoCode(className: string, fields: FieldSpec[], options: DtoCodeOptions, nestedSource?: Set<string>): DtoCode {
  const code: DtoCode = { classes: '', validator: new Set(), transformer: new Set(), swagger: new Set(), nested: [], importedNested: new Set() };
  const blocks: string[] = [];
  const prefix = className.replace(/Dto$/, '');
  const emit = (name: string, list: FieldSpec[], optionalAll: boolean, doc: string): void => {
    const members = list.map((f) => member(f, prefix, optionalAll, options, code, (nestedName, nestedFields) => {
      if (nestedSource?.has(nestedName)) {
        code.importedNested.add(nestedName);
        return;
      }
      if (!code.nested.includes(nestedName)) {
        code.nested.push(nestedName);
        emit(nestedName, nestedFields, false, `Nested object \`${nestedName}\`.`);
      }
    }));
    blocks.push(`/** ${doc} */\nexport class ${name} {\n${members.join('\n\n')}${members.length ? '\n' : ''}}\n`);
  };
  emit(className, fields, options.allOptional === true, options.allOptional ? 'Input of a partial update: every field optional, the same rules.' : 'Input of a create request; the server sets id, owner and timestamps.');
  // A class's nested classes are emitted while its members are built, so they come before it.
  code.classes = blocks.join('\n');
  return code;
}

function member(
  f: FieldSpec,
  prefix: string,
  optionalAll: boolean,
  o: DtoCodeOptions,
  code: DtoCode,
  declareNested: (name: string, fields: FieldSpec[]) => void,
): string {
  const optional = optionalAll || f.optional === true;
  const each = f.array ? '{ each: true }' : '';
  const v = (name: string, args = ''): string => {
    code.validator.add(name);
    return `@${name}(${args})`;
  };
  const d: string[] = [];
  let tsType: string;
  if (optional) d.push(v('IsOptional'));
  if (f.array) {
    d.push(v('IsArray'));
    d.push(v('ArrayMaxSize', String(f.maxItems ?? o.defaultMaxItems ?? 100)));
  }
  switch (f.type) {
    case 'string': {
      if (f.enum?.length) {
        d.push(v('IsIn', `[${f.enum.map((e) => JSON.stringify(e)).join(', ')}]${each ? ', ' + each : ''}`));
        tsType = f.enum.map((e) => JSON.stringify(e)).join(' | ');
      } else {
        d.push(v('IsString', each));
        tsType = 'string';
      }
      if (f.min !== undefined && f.min > 0) d.push(v('MinLength', [f.min, each].filter(Boolean).join(', ')));
      d.push(v('MaxLength', [f.max ?? o.maxStringLength, each].filter(Boolean).join(', ')));
      break;
    }
    case 'uuid':
      d.push(v('IsUUID', each ? `undefined, ${each}` : ''));
      tsType = 'string';
      break;
    case 'email':
      d.push(v('IsEmail', each ? `{}, ${each}` : ''));
      d.push(v('MaxLength', [Math.min(f.max ?? 254, 254), each].filter(Boolean).join(', ')));
      tsType = 'string';
      break;
    case 'date':
      d.push(v('IsISO8601', each ? `{}, ${each}` : ''));
      d.push(v('MaxLength', ['40', each].filter(Boolean).join(', ')));
      tsType = 'string';
      break;
    case 'int':
    case 'number':
      d.push(f.type === 'int' ? v('IsInt', each) : v('IsNumber', each ? `{}, ${each}` : ''));
      if (f.min !== undefined) d.push(v('Min', [f.min, each].filter(Boolean).join(', ')));
      if (f.max !== undefined) d.push(v('Max', [f.max, each].filter(Boolean).join(', ')));
      tsType = 'number';
      break;
    case 'boolean':
      d.push(v('IsBoolean', each));
      tsType = 'boolean';
      break;
    case 'object': {
      const nested = nestedClassName(prefix.replace(/^Update/, 'Create'), f);
      declareNested(nested, f.fields ?? []);
      d.push(v('ValidateNested', each));
      code.transformer.add('Type');
      d.push(`@Type(() => ${nested})`);
      tsType = nested;
      break;
    }
  }
  if (o.swagger) {
    const name = optional ? 'ApiPropertyOptional' : 'ApiProperty';
    code.swagger.add(name);
    const args: string[] = [];
    if (f.type === 'object') args.push(`type: () => ${f.array ? `[${tsType}]` : tsType}`);
    if (f.type === 'string' || f.type === 'email' || f.type === 'date') {
      if (f.array) args.push('type: [String]');
      if (f.min !== undefined && f.min > 0) args.push(`minLength: ${f.min}`);
      args.push(`maxLength: ${f.type === 'string' ? (f.max ?? o.maxStringLength) : f.type === 'email' ? Math.min(f.max ?? 254, 254) : 40}`);
    }
    if ((f.type === 'int' || f.type === 'number') && f.min !== undefined) args.push(`minimum: ${f.min}`);
    if ((f.type === 'int' || f.type === 'number') && f.max !== undefined) args.push(`maximum: ${f.max}`);
    d.unshift(`@${name}(${args.length ? `{ ${args.join(', ')} }` : ''})`);
  }
  const type = f.array ? (tsType.includes('|') ? `(${tsType})[]` : `${tsType}[]`) : tsType;
  return d.map((line) => `  ${line}`).join('\n') + `\n  ${f.name}${optional ? '?' : '!'}: ${type};`;
}

/** `import { A, B } from 'x';` lines for the packages a DTO uses, sorted for stable output. */
export function packageImports(code: Pick<DtoCode, 'validator' | 'transformer' | 'swagger'>): string[] {
  const line = (names: Set<string>, from: string): string[] =>
    names.size ? [`import { ${[...names].sort().join(', ')} } from '${from}';`] : [];
  return [...line(code.swagger, '@nestjs/swagger'), ...line(code.transformer, 'class-transformer'), ...line(code.validator, 'class-validator')];
}

/** A body that passes the create DTO's rules (used by the generated e2e spec). */
export function validSample(fields: FieldSpec[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.optional) continue;
    const one = sampleValue(f);
    out[f.name] = f.array ? [one] : one;
  }
  return out;
}

function sampleValue(f: FieldSpec): unknown {
  switch (f.type) {
    case 'string':
      return f.enum?.[0] ?? 'x'.repeat(Math.max(f.min ?? 1, 1));
    case 'uuid':
      return '3f0c6f6e-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
    case 'email':
      return 'alice@example.com';
    case 'date':
      return '2026-01-01T00:00:00Z';
    case 'int':
    case 'number':
      return f.min ?? (f.max !== undefined && f.max < 1 ? f.max : 1);
    case 'boolean':
      return true;
    case 'object':
      return validSample(f.fields ?? []);
  }
}

/** A body the create DTO must reject: a string one character past its max, or a wrongly typed value, or an unknown field. */
export function invalidSample(fields: FieldSpec[], maxStringLength: number): Record<string, unknown> {
  const base = validSample(fields);
  const str = fields.find((f) => f.type === 'string' && !f.array && !f.enum);
  if (str) return { ...base, [str.name]: 'x'.repeat((str.max ?? maxStringLength) + 1) };
  const other = fields.find((f) => !f.array && f.type !== 'object');
  if (other) return { ...base, [other.name]: other.type === 'string' || other.type === 'uuid' || other.type === 'email' || other.type === 'date' ? 42 : 'not-a-' + other.type };
  return { ...base, unexpectedField: true };
}

/** A TypeScript literal for sample data: `{ item: 'x', tags: ['a'] }`, long runs as `'x'.repeat(101)`. */
export function literal(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length > 16 && new Set(value).size === 1) return `'${value[0]}'.repeat(${value.length})`;
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  }
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${literal(v)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return String(value);
}
