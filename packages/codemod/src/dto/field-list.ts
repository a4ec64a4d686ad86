import { CodemodError } from '../errors.js';
import { IDENTIFIER, type FieldSpec, type FieldType } from './field-spec.js';

/** Types a field list, `bastion.json` or a JSON Schema may name (the others come from TypeScript types). */
const LIST_TYPES: readonly FieldType[] = ['string', 'int', 'number', 'boolean', 'uuid', 'email', 'date', 'object'];
const TYPE_ALIASES: Record<string, FieldType> = { integer: 'int', float: 'number', bool: 'boolean', datetime: 'date' };

function fail(message: string): never {
  throw new CodemodError('ERR_FIELD_LIST', message);
}

/**
 * Parses `item:string:1-100,quantity:int:1-1000,note?:string:0-500,tags:string[]:1-30`
 * (`name[?]:type[[]][:min-max]`; the range is a length for strings, a value for numbers).
 * Objects cannot be written in a field list; give them in `bastion.json` or a JSON Schema.
 */
export function parseFieldList(list: string): FieldSpec[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [rawName = '', rawType = 'string', range] = entry.split(':').map((s) => s.trim());
      const optional = rawName.endsWith('?');
      const name = optional ? rawName.slice(0, -1) : rawName;
      const array = rawType.endsWith('[]');
      const field: FieldSpec = { name, type: listType(array ? rawType.slice(0, -2) : rawType, entry), ...(optional ? { optional } : {}), ...(array ? { array } : {}) };
      if (field.type === 'object') fail(`Field "${entry}": objects need bastion.json or a JSON Schema`);
      if (range !== undefined) {
        const m = /^(-?\d+(?:\.\d+)?)?-(-?\d+(?:\.\d+)?)$/.exec(range) ?? /^(-?\d+(?:\.\d+)?)$/.exec(range);
        if (!m) fail(`Field "${entry}": range must be "min-max" or "max"`);
        if (m.length === 3) {
          if (m[1] !== undefined) field.min = Number(m[1]);
          field.max = Number(m[2]);
        } else field.max = Number(m[1]);
      }
      return checkField(field, entry);
    });
}

function listType(type: string, where: string): FieldType {
  const t = TYPE_ALIASES[type] ?? type;
  if (!(LIST_TYPES as readonly string[]).includes(t)) fail(`Field "${where}": unknown type "${type}" (use ${LIST_TYPES.join(', ')})`);
  return t as FieldType;
}

function checkField(field: FieldSpec, where: string): FieldSpec {
  if (!IDENTIFIER.test(field.name)) fail(`Field "${where}": "${field.name}" is not a valid property name`);
  for (const key of ['min', 'max', 'maxItems'] as const) {
    const v = field[key];
    if (v !== undefined && !Number.isFinite(v)) fail(`Field "${where}": "${key}" must be a number`);
  }
  if (field.min !== undefined && field.max !== undefined && field.min > field.max) fail(`Field "${where}": min is greater than max`);
  if (field.maxItems !== undefined && (!Number.isInteger(field.maxItems) || field.maxItems < 1)) fail(`Field "${where}": "maxItems" must be a positive integer`);
  const isString = field.type === 'string' || field.type === 'email' || field.type === 'date';
  if (isString && field.max !== undefined && (!Number.isInteger(field.max) || field.max < 1)) fail(`Field "${where}": a string's max length must be a positive integer`);
  return field;
}

/** Accepts a field list string or the structured form of `bastion.json` (`[{ "name", "type", … }]`). */
export function normalizeFields(input: unknown, where = 'fields'): FieldSpec[] {
  if (input === undefined) return [];
  if (typeof input === 'string') return parseFieldList(input);
  if (!Array.isArray(input)) fail(`"${where}" must be a field list string or an array of fields`);
  return input.map((raw: unknown, i) => {
    if (raw === null || typeof raw !== 'object') fail(`"${where}[${i}]" must be an object with "name" and "type"`);
    const f = raw as Record<string, unknown>;
    const name = typeof f.name === 'string' ? f.name : fail(`"${where}[${i}].name" must be a string`);
    const field: FieldSpec = { name, type: listType(String(f.type), name) };
    for (const key of ['optional', 'array'] as const) if (f[key] === true) field[key] = true;
    for (const key of ['min', 'max', 'maxItems'] as const) {
      if (f[key] === undefined) continue;
      if (typeof f[key] !== 'number') fail(`"${where}[${i}].${key}" must be a number`);
      field[key] = f[key] as number;
    }
    if (f.enum !== undefined) {
      if (!Array.isArray(f.enum) || !f.enum.every((v) => typeof v === 'string' || typeof v === 'number')) fail(`"${where}[${i}].enum" must be an array of strings or numbers`);
      field.enum = f.enum as Array<string | number>;
    }
    if (field.type === 'object') field.fields = normalizeFields(f.fields ?? [], `${where}[${i}].fields`);
    return checkField(field, name);
  });
}

/** The JSON Schema subset `fieldsFromJsonSchema` reads (draft 7 / 2020-12). */
export interface JsonSchemaObject {
  /** `object`, `string`, `integer`, `number`, `boolean`, `array`; a list may add `null`. */
  type?: string | string[];
  /** Becomes the field's JSDoc. */
  description?: string;
  /** The object's fields. */
  properties?: Record<string, JsonSchemaObject>;
  /** Names of the fields that are not optional. */
  required?: string[];
  /** An array's item schema. */
  items?: JsonSchemaObject;
  /** Characters. */
  minLength?: number;
  /** Characters. */
  maxLength?: number;
  /** Numbers: the least value. */
  minimum?: number;
  /** Numbers: the greatest value. */
  maximum?: number;
  /** An array's maximum number of items. */
  maxItems?: number;
  /** String formats the generator knows (`email`, `uuid`, `date-time`, `date`, `uri`). */
  format?: string;
  /** Allowed literal values. */
  enum?: unknown[];
}

/** Fields of a JSON Schema object: types, formats, bounds, enums, `null` in a type list, nesting and descriptions. */
export function fieldsFromJsonSchema(schema: JsonSchemaObject, where = '#'): FieldSpec[] {
  if (schema.type !== 'object' || !schema.properties) fail(`JSON Schema ${where}: expected "type": "object" with "properties"`);
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, prop]) => {
    const field = fieldFromSchema(name, prop, `${where}/properties/${name}`);
    if (!required.has(name)) field.optional = true;
    if (prop.description) field.doc = jsDoc(prop.description, '  ');
    return checkField(field, name);
  });
}

/** `/** text *\/` (one line) or a block comment, indented for a class member or a class. */
export function jsDoc(text: string, indent = ''): string {
  const lines = text.trim().replace(/\*\//g, '*\\/').split(/\r?\n/);
  if (lines.length === 1) return `/** ${lines[0]} */`;
  return `/**\n${lines.map((l) => `${indent} * ${l}`.trimEnd()).join('\n')}\n${indent} */`;
}

function fieldFromSchema(name: string, prop: JsonSchemaObject, where: string): FieldSpec {
  const types = Array.isArray(prop.type) ? prop.type : [prop.type];
  const type = types.find((t) => t !== 'null');
  const nullable = types.includes('null') ? { nullable: true } : {};
  if (type === 'array') {
    if (!prop.items) fail(`JSON Schema ${where}: an array needs "items"`);
    const item = fieldFromSchema(name, prop.items, `${where}/items`);
    return { ...item, array: true, ...nullable, ...(prop.maxItems !== undefined ? { maxItems: prop.maxItems } : {}) };
  }
  const field: FieldSpec = { name, type: 'string', ...nullable };
  switch (type) {
    case 'string':
      field.type = prop.format === 'uuid' ? 'uuid' : prop.format === 'email' ? 'email' : prop.format === 'date-time' || prop.format === 'date' ? 'date' : 'string';
      if (prop.minLength !== undefined) field.min = prop.minLength;
      if (prop.maxLength !== undefined) field.max = prop.maxLength;
      if (prop.enum) field.enum = prop.enum.map(String);
      break;
    case 'integer':
    case 'number':
      field.type = type === 'integer' ? 'int' : 'number';
      if (prop.minimum !== undefined) field.min = prop.minimum;
      if (prop.maximum !== undefined) field.max = prop.maximum;
      if (prop.enum) field.enum = prop.enum.filter((v): v is number => typeof v === 'number');
      break;
    case 'boolean':
      field.type = 'boolean';
      break;
    case 'object':
      field.type = 'object';
      field.fields = fieldsFromJsonSchema(prop, where);
      break;
    default:
      fail(`JSON Schema ${where}: unsupported type ${JSON.stringify(prop.type)}`);
  }
  return field;
}
