import { describe, expect, it } from 'vitest';
import { changed, nestApp, runner, snapshot } from './support.js';

describe('dto', () => {
  it('writes one validated DTO from a field list: exact file and content', async () => {
    const tree = nestApp();
    const before = snapshot(tree);
    const { runner: r } = runner();
    const after = snapshot(await r.runSchematic('dto', { name: 'create-payment', path: 'payments', fields: 'amount:int:1-100000,currency:string:3-3,memo?:string:0-200,paid:boolean' }, tree));
    expect(changed(before, after)).toEqual(['src/payments/create-payment.dto.ts']);
    expect(after['src/payments/create-payment.dto.ts']).toBe(`import { IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class CreatePaymentDto {
  @IsInt()
  @Min(1)
  @Max(100000)
  amount!: number;

  @IsString()
  @MinLength(3)
  @MaxLength(3)
  currency!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  memo?: string;

  @IsBoolean()
  paid!: boolean;
}
`);
  });

  it('writes a DTO from a JSON Schema file, nested objects and arrays included', async () => {
    const tree = nestApp();
    tree.create('schemas/customer.json', JSON.stringify({
      type: 'object',
      required: ['email', 'address'],
      properties: {
        email: { type: 'string', format: 'email' },
        nickname: { type: 'string', maxLength: 40 },
        tier: { type: 'string', enum: ['free', 'pro'] },
        age: { type: 'integer', minimum: 13, maximum: 130 },
        address: { type: 'object', required: ['city'], properties: { city: { type: 'string', maxLength: 80 } } },
        labels: { type: 'array', maxItems: 5, items: { type: 'string', maxLength: 12 } },
      },
    }));
    const { runner: r } = runner();
    const out = await r.runSchematic('dto', { name: 'customer', schema: 'schemas/customer.json' }, tree);
    const dto = out.readText('src/customer.dto.ts');
    expect(dto).toContain("import { Type } from 'class-transformer';");
    expect(dto).toContain('export class CustomerAddressDto {\n  @IsString()\n  @MaxLength(80)\n  city!: string;\n}');
    expect(dto).toContain('  @IsEmail()\n  @MaxLength(254)\n  email!: string;');
    expect(dto).toContain('  @IsOptional()\n  @IsString()\n  @MaxLength(40)\n  nickname?: string;');
    expect(dto).toContain(`  @IsOptional()\n  @IsIn(['free', 'pro'])\n  tier?: 'free' | 'pro';`);
    expect(dto).toContain('  @ValidateNested()\n  @Type(() => CustomerAddressDto)\n  address!: CustomerAddressDto;');
    expect(dto).toContain('  @IsOptional()\n  @IsArray()\n  @ArrayMaxSize(5)\n  @IsString({ each: true })\n  @MaxLength(12, { each: true })\n  labels?: string[];');
    expect(dto.indexOf('class CustomerAddressDto')).toBeLessThan(dto.indexOf('class CustomerDto'));
  });

  it('is idempotent and needs exactly one source of fields', async () => {
    const { runner: r } = runner();
    const once = await r.runSchematic('dto', { name: 'note', fields: 'text:string' }, nestApp());
    const before = snapshot(once);
    expect(snapshot(await r.runSchematic('dto', { name: 'note', fields: 'text:string' }, once))).toEqual(before);
    expect(once.readText('src/note.dto.ts')).toContain('@MaxLength(255)'); // bastion.json default
    await expect(r.runSchematic('dto', { name: 'note' }, nestApp())).rejects.toThrow(/exactly one of --fields or --schema/);
    await expect(r.runSchematic('dto', { name: 'note', schema: 'missing.json' }, nestApp())).rejects.toThrow(/missing\.json not found/);
  });

  it('names the bounds it takes from bastion.json; works on a NestJS 7 project (no @bastion/nest import) but not under TypeScript 3.7', async () => {
    const { runner: r, logs } = runner();
    const legacy = nestApp({ esm: false, runner: 'jest', nestMajor: 7 });
    const out = await r.runSchematic('dto', { name: 'note', fields: 'text:string,tags:string[]:1-20' }, legacy);
    expect(out.readText('src/note.dto.ts')).not.toContain('@bastion/nest');
    expect(logs.join('\n')).toContain('bounds from bastion.json (maxStringLength, maxArraySize) where the fields give none: NoteDto.text @MaxLength(255), NoteDto.tags @ArrayMaxSize(100)');
    const old = nestApp({ esm: false, runner: 'jest', nestMajor: 7 });
    const pkg = JSON.parse(old.readText('package.json'));
    pkg.devDependencies.typescript = '3.7.5';
    old.overwrite('package.json', JSON.stringify(pkg));
    await expect(r.runSchematic('dto', { name: 'note', fields: 'text:string' }, old)).rejects.toThrow(/^dto: package\.json asks for typescript 3\.7\.5; the generated DTOs and pipes are checked against TypeScript 3\.8\.0 and later only$/);
  });
});
