/**
 * The field model of the one DTO generator: the schematics build it from a field list, `bastion.json` or a
 * JSON Schema; retrofit builds it from interfaces, type aliases and inline types. `renderDto` turns it into
 * class-validator classes under one set of rules.
 */

/**
 * Field types. `date` is an ISO 8601 string; `date-object` a `Date` built by class-transformer; `enum` a
 * TypeScript enum named by `ref`; `object` a nested DTO (declared from `fields`, or the existing class `ref`).
 */
export type FieldType = 'string' | 'int' | 'number' | 'boolean' | 'uuid' | 'email' | 'date' | 'date-object' | 'enum' | 'object';

/** A class or enum the generated code refers to instead of declaring. */
export interface TypeRef {
  /** The class or enum's name. */
  name: string;
  /** Module specifier to import it from; absent when it is declared in the same file. */
  from?: string;
}

/** One input field of a DTO. */
export interface FieldSpec {
  /** Property name (quoted in the output when it is not an identifier). */
  name: string;
  /** The field's kind, which picks its validators. */
  type: FieldType;
  /** May be absent (`?` and `@IsOptional()`). */
  optional?: boolean;
  /** `null` is a valid value (`@ValidateIf(...)` and `| null`). */
  nullable?: boolean;
  /** A list of `type` (`@IsArray()`, `{ each: true }`). */
  array?: boolean;
  /** string: min length; int/number: minimum. */
  min?: number;
  /** string: max length (default `maxStringLength`); int/number: maximum. */
  max?: number;
  /** Arrays: maximum number of items (default `maxArraySize`). */
  maxItems?: number;
  /** Allowed literal values (`@IsIn`); the TypeScript type becomes their union. */
  enum?: Array<string | number>;
  /** `enum`: the enum; `object`: an existing class used as is. */
  ref?: TypeRef;
  /** `object`: the nested fields (when no `ref`). */
  fields?: FieldSpec[];
  /** `object`: name of the nested class; default `<Owner><Field>Dto`. */
  className?: string;
  /** A JSDoc comment (`/** … *\/`) kept above the property. */
  doc?: string;
}

/** JSON-safe text of a string in single quotes, for generated code. */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** `orderItems` → `OrderItems`, `order-items` → `OrderItems`. */
export function pascalCase(s: string): string {
  return s.replace(/(^|[-_\s]+)(\w)/g, (_m, _sep, c: string) => c.toUpperCase());
}

/** English singular for the usual plural endings (`orders` → `order`, `categories` → `category`); other words as they are. */
export function singularize(word: string): string {
  if (/ies$/i.test(word) && word.length > 3) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/i.test(word)) return word;
  if (/(xes|ches|shes|sses|zes)$/i.test(word)) return word.slice(0, -2);
  if (/s$/i.test(word) && word.length > 1) return word.slice(0, -1);
  return word;
}

export const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
