import { SchematicsException } from '@angular-devkit/schematics';
import { strings } from '@angular-devkit/core';

export type FieldType = 'string' | 'int' | 'number' | 'boolean' | 'uuid' | 'email' | 'date' | 'object';

/** One input field of a DTO: from a field list, `bastion.json` or a JSON Schema. */
export interface FieldSpec {
  name: string;
  type: FieldType;
  optional?: boolean;
  array?: boolean;
  /** string: min length; int/number: minimum. */
  min?: number;
  /** string: max length; int/number: maximum. */
  max?: number;
  /** Arrays: maximum number of items (default 100). */
  maxItems?: number;
  /** string: allowed values. */
  enum?: string[];
  /** object: its fields. */
  fields?: FieldSpec[];
}

const TYPES: readonly FieldType[] = ['string', 'int', 'number', 'boolean', 'uuid', 'email', 'date', 'object'];
const TYPE_ALIASES: Record<string, FieldType> = { integer: 'int', float: 'number', bool: 'boolean', datetime: 'date' };

/** Fields the server owns: never accepted from a client in an input DTO. */
export const SERVER_OWNED = new Set(['id', '_id', 'owner', 'ownerId', 'createdAt', 'updatedAt', 'deletedAt', 'createdBy', 'updatedBy']);

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Parses `item:string:1-100,quantity:int:1-1000,note?:string:0-500,tags:string[]:1-30`.
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
      const typeName = array ? rawType.slice(0, -2) : rawType;
      const field: FieldSpec = { name, type: normalizeType(typeName, entry), ...(optional ? { optional } : {}), ...(array ? { array } : {}) };
      if (field.type === 'object') throw new SchematicsException(`Field "${entry}": objects need bastion.json or a JSON Schema`);
      if (range !== undefined) {
        const m = /^(-?\d+(?:\.\d+)?)?-(-?\d+(?:\.\d+)?)$/.exec(range) ?? /^(-?\d+(?:\.\d+)?)$/.exec(range);
        if (!m) throw new SchematicsException(`Field "${entry}": range must be "min-max" or "max"`);
        if (m.length === 3) {
          if (m[1] !== undefined) field.min = Number(m[1]);
          field.max = Number(m[2]);
        } else field.max = Number(m[1]);
      }
      return validateField(field, entry);
    });
}

function normalizeType(type: string, where: string): FieldType {
  const t = TYPE_ALIASES[type] ?? type;
  if (!(TYPES as readonly string[]).includes(t)) {
    throw new SchematicsException(`Field "${where}": unknown type "${type}" (use ${TYPES.join(', ')})`);
  }
  return t as FieldType;
}

function validateField(field: FieldSpec, where: string): FieldSpec {
  if (!IDENTIFIER.test(field.name)) throw new SchematicsException(`Field "${where}": "${field.name}" is not a valid property name`);
  if (field.min !== undefined && field.max !== undefined && field.min > field.max) {
    throw new SchematicsException(`Field "${where}": min is greater than max`);
  }
  return field;
}

/** Accepts a field list string or the structured form of `bastion.json`. */
export function normalizeFields(input: string | FieldSpec[] | undefined): FieldSpec[] {
  if (input === undefined) return [];
  if (typeof input === 'string') return parseFieldList(input);
  if (!Array.isArray(input)) throw new SchematicsException('"fields" must be a field list string or an array');
  return input.map((f) => {
    const field: FieldSpec = { ...f, type: normalizeType(String(f.type), f.name) };
    if (field.type === 'object') field.fields = normalizeFields(f.fields ?? []);
    return validateField(field, f.name);
  });
}

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  format?: string;
  enum?: unknown[];
}

/** Fields from a JSON Schema object (draft 7 / 2020-12 subset: types, formats, bounds, enum, nesting). */
export function fieldsFromJsonSchema(schema: JsonSchema, where = '#'): FieldSpec[] {
  if (schema.type !== 'object' || !schema.properties) {
    throw new SchematicsException(`JSON Schema ${where}: expected "type": "object" with "properties"`);
  }
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, prop]) => {
    const field = fieldFromSchema(name, prop, `${where}/properties/${name}`);
    if (!required.has(name)) field.optional = true;
    return validateField(field, name);
  });
}

function fieldFromSchema(name: string, prop: JsonSchema, where: string): FieldSpec {
  const type = Array.isArray(prop.type) ? prop.type.find((t) => t !== 'null') : prop.type;
  if (type === 'array') {
    if (!prop.items) throw new SchematicsException(`JSON Schema ${where}: an array needs "items"`);
    const item = fieldFromSchema(name, prop.items, `${where}/items`);
    return { ...item, array: true, ...(prop.maxItems !== undefined ? { maxItems: prop.maxItems } : {}) };
  }
  const field: FieldSpec = { name, type: 'string' };
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
      break;
    case 'boolean':
      field.type = 'boolean';
      break;
    case 'object':
      field.type = 'object';
      field.fields = fieldsFromJsonSchema(prop, where);
      break;
    default:
      throw new SchematicsException(`JSON Schema ${where}: unsupported type ${JSON.stringify(prop.type)}`);
  }
  return field;
}

/** Splits off the fields the server owns; returns what stays and the names dropped. */
export function dropServerOwned(fields: FieldSpec[]): { fields: FieldSpec[]; dropped: string[] } {
  return {
    fields: fields.filter((f) => !SERVER_OWNED.has(f.name)),
    dropped: fields.filter((f) => SERVER_OWNED.has(f.name)).map((f) => f.name),
  };
}

export function nestedClassName(prefix: string, field: FieldSpec): string {
  return `${prefix}${strings.classify(field.name)}Dto`;
}
