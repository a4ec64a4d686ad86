import { describe, expect, it } from 'vitest';
import { fieldsFromJsonSchema, normalizeFields, parseFieldList } from '../../src/dto/field-list.js';
import { fieldType, renderDto, renderDtoFile } from '../../src/dto/render-dto.js';
import { CodemodError } from '../../src/errors.js';

const RULES = { maxStringLength: 255, maxArraySize: 100 };

describe('the DTO renderer (one set of rules)', () => {
  it('bounds every string, array and date string; says which bounds came from the defaults', () => {
    const code = renderDto('NoteDto', parseFieldList('title:string,body:string:1-2000,tags:string[],when:date,ids:uuid[],mail:email:0-500'), RULES);
    expect(renderDtoFile(code)).toBe(`import { ArrayMaxSize, IsArray, IsEmail, IsISO8601, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export class NoteDto {
  @IsString()
  @MaxLength(255)
  title!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  body!: string;

  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(255, { each: true })
  tags!: string[];

  @IsISO8601()
  @MaxLength(40)
  when!: string;

  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID(undefined, { each: true })
  ids!: string[];

  @IsEmail()
  @MaxLength(254)
  mail!: string;
}
`);
    expect(code.defaulted.map((d) => `${d.field} ${d.rule} ${d.setting}`)).toEqual([
      'title @MaxLength(255) maxStringLength', 'tags @ArrayMaxSize(100) maxArraySize', 'tags @MaxLength(255) maxStringLength', 'ids @ArrayMaxSize(100) maxArraySize',
    ]);
  });

  it('converts query values before validating them, nests objects before their owners, refers to existing classes', () => {
    const fields = normalizeFields([
      { name: 'page', type: 'int', min: 1 },
      { name: 'archived', type: 'boolean', optional: true },
      { name: 'filter', type: 'object', fields: [{ name: 'owner', type: 'object', fields: [{ name: 'id', type: 'uuid' }] }] },
    ]);
    const code = renderDto('ListQuery', fields, { ...RULES, query: true, declared: new Map([['ListQueryFilterOwnerDto', './owner.dto']]) });
    expect([...code.classes.keys()]).toEqual(['ListQueryFilterDto', 'ListQuery']);
    const text = renderDtoFile(code);
    expect(text).toContain("import { Transform, Type } from 'class-transformer';");
    expect(text).toContain("import { ListQueryFilterOwnerDto } from './owner.dto';");
    expect(text).toContain('  @Type(() => Number)\n  @IsInt()\n  @Min(1)\n  page!: number;');
    expect(text).toContain("  @IsOptional()\n  @Transform(({ value }) => value === 'true' || value === true)\n  @IsBoolean()\n  archived?: boolean;");
    expect(text).toContain('  @ValidateNested()\n  @Type(() => ListQueryFilterOwnerDto)\n  owner!: ListQueryFilterOwnerDto;');
  });

  it('types fields as TypeScript does, quoting what must be quoted', () => {
    expect(fieldType({ name: 'a', type: 'string', enum: ["it's", 'b'], array: true })).toBe("('it\\'s' | 'b')[]");
    expect(fieldType({ name: 'a', type: 'date-object', nullable: true })).toBe('Date | null');
    expect(fieldType({ name: 'a', type: 'enum', ref: { name: 'Priority' } })).toBe('Priority');
    expect(renderDtoFile(renderDto('X', [{ name: 'x-request-id', type: 'string', max: 64 }], RULES))).toContain("  'x-request-id'!: string;");
  });
});

describe('field lists and JSON Schemas', () => {
  it('parses the field list syntax and refuses what it cannot mean, naming the entry', () => {
    expect(parseFieldList('item:string:1-100, qty:integer:1000, note?:string, tags:string[]:0-30')).toEqual([
      { name: 'item', type: 'string', min: 1, max: 100 },
      { name: 'qty', type: 'int', max: 1000 },
      { name: 'note', type: 'string', optional: true },
      { name: 'tags', type: 'string', array: true, min: 0, max: 30 },
    ]);
    expect(() => parseFieldList('a:text')).toThrow(CodemodError);
    expect(() => parseFieldList('a:text')).toThrow('Field "a:text": unknown type "text"');
    expect(() => parseFieldList('a:string:9-1')).toThrow('min is greater than max');
    expect(() => parseFieldList('1a:string')).toThrow('is not a valid property name');
    expect(() => parseFieldList('a:object')).toThrow('objects need bastion.json or a JSON Schema');
    expect(() => parseFieldList('a:string:0')).toThrow("a string's max length must be a positive integer");
    expect(() => normalizeFields([{ name: 'a', type: 'string', maxItems: 0 }])).toThrow('"maxItems" must be a positive integer');
  });

  it('reads types, formats, bounds, enums, null, nesting and descriptions from a JSON Schema', () => {
    const fields = fieldsFromJsonSchema({
      type: 'object',
      required: ['at'],
      properties: {
        at: { type: 'string', format: 'date-time', description: 'When.' },
        owner: { type: ['string', 'null'], format: 'email' },
        level: { type: 'integer', minimum: 1, maximum: 5 },
        codes: { type: 'array', maxItems: 3, items: { type: 'string', maxLength: 8 } },
      },
    });
    expect(fields).toEqual([
      { name: 'at', type: 'date', doc: '/** When. */' },
      { name: 'owner', type: 'email', nullable: true, optional: true },
      { name: 'level', type: 'int', min: 1, max: 5, optional: true },
      { name: 'codes', type: 'string', max: 8, array: true, maxItems: 3, optional: true },
    ]);
    expect(() => fieldsFromJsonSchema({ type: 'array' })).toThrow('expected "type": "object" with "properties"');
    expect(() => fieldsFromJsonSchema({ type: 'object', properties: { x: { type: 'array' } } })).toThrow('an array needs "items"');
  });
});
