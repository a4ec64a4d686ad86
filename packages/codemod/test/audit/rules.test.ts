import { describe, expect, it } from 'vitest';
import { auditOfFiles } from '../helpers/project.js';
import type { RuleId } from '../../src/report/types.js';

const rules = (files: Record<string, string>, rule: RuleId) => auditOfFiles(files).findings.filter((f) => f.rule === rule);

describe('ValidationPipe options', () => {
  const main = (pipe: string, bastion = false) => ({
    'main.ts': `import { NestFactory } from '@nestjs/core';
import { ValidationPipe } from '@nestjs/common';
${bastion ? "import { BastionModule } from '@bastion/nest';\nvoid BastionModule.forRoot({});" : ''}
const options = { whitelist: true, forbidUnknownValues: true };
async function bootstrap() {
  const app = await NestFactory.create({});
  void options;
  app.useGlobalPipes(${pipe});
}
void bootstrap();
`,
  });

  it('flags a pipe without whitelist and with forbidUnknownValues off (Nest defaults it to false)', () => {
    expect(rules(main('new ValidationPipe()'), 'validation-whitelist-off')).toHaveLength(1);
    const unknown = rules(main('new ValidationPipe()'), 'validation-forbid-unknown-off');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.message).toContain('Nest defaults it to false');
    expect(rules(main('new ValidationPipe({ whitelist: false, forbidUnknownValues: false })'), 'validation-forbid-unknown-off')[0]!.message).toContain('set to false');
    expect(rules(main('new ValidationPipe({ whitelist: false, forbidUnknownValues: true })'), 'validation-whitelist-off')).toHaveLength(1);
  });

  it('accepts whitelist and forbidUnknownValues on (literal or const), and leaves the check to Bastion when it is imported', () => {
    expect(rules(main('new ValidationPipe({ whitelist: true, forbidUnknownValues: true })'), 'validation-whitelist-off')).toEqual([]);
    expect(rules(main('new ValidationPipe(options)'), 'validation-forbid-unknown-off')).toEqual([]);
    expect(rules(main('new ValidationPipe()', true), 'validation-whitelist-off')).toEqual([]);
  });
});

describe('DTO nesting and arrays', () => {
  const dto = (body: string) => ({
    'dto.ts': `import { IsArray, IsEnum, IsInt, IsString, MaxLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
export enum Role { Admin = 'admin' }
export interface Meta { source: string }
export class AddressDto {
  @IsString() street!: string;
}
export class CreateUserDto {
  @IsString() name!: string;
${body}
}
`,
  });
  const only = (body: string, rule: RuleId) => rules(dto(body), rule).map((f) => f.message);

  it('flags nested objects without @ValidateNested() and @Type(), and interface-typed nesting', () => {
    expect(only('  @ValidateNested() address!: AddressDto;', 'nested-without-validation')[0]).toContain('without @Type(() => AddressDto)');
    expect(only('  @Type(() => AddressDto) address!: AddressDto;', 'nested-without-validation')[0]).toContain('without @ValidateNested()');
    expect(only('  @IsArray() addresses!: AddressDto[];', 'nested-without-validation')[0]).toContain('objects of class AddressDto without @ValidateNested() and @Type(() => AddressDto)');
    expect(only('  @ValidateNested() meta!: Meta;', 'nested-without-validation')[0]).toContain('interface Meta');
    expect(only('  @ValidateNested() @Type(() => AddressDto) address!: AddressDto;', 'nested-without-validation')).toEqual([]);
    expect(only('  @ValidateNested({ each: true }) @Type(() => AddressDto) addresses!: AddressDto[];', 'nested-without-validation')).toEqual([]);
  });

  it('flags arrays whose element rules lack { each: true }', () => {
    expect(only('  @IsString() tags!: string[];', 'array-without-each')[0]).toContain('@IsString() has no { each: true }');
    expect(only('  @IsArray() tags!: string[];', 'array-without-each')[0]).toContain('elements no validator checks');
    expect(only('  @IsEnum(Role) roles!: Array<Role>;', 'array-without-each')).toHaveLength(1);
    expect(only('  @IsArray() @IsString({ each: true }) @MaxLength(20, { each: true }) tags!: string[];', 'array-without-each')).toEqual([]);
    expect(only('  @IsInt() count!: number;', 'array-without-each')).toEqual([]);
  });
});

describe('CORS with credentials', () => {
  const cors = (call: string) => ({
    'main.ts': `import { NestFactory } from '@nestjs/core';
import cors from 'cors';
async function bootstrap() {
  const app = await NestFactory.create({});
  void cors;
  ${call}
}
void bootstrap();
`,
  });
  const hits = (call: string) => rules(cors(call), 'cors-credentials-any-origin').map((f) => f.message);

  it("flags origin true, '*', a match-all pattern or an accept-all callback with credentials: true", () => {
    expect(hits('app.enableCors({ origin: true, credentials: true });')[0]).toContain('app.enableCors: origin: true reflects every Origin');
    expect(hits("app.enableCors({ origin: '*', credentials: true });")).toHaveLength(1);
    expect(hits('app.enableCors({ origin: /.*/, credentials: true });')).toHaveLength(1);
    expect(hits('app.enableCors({ origin: (o: string, cb: (e: null, ok: boolean) => void) => cb(null, true), credentials: true });')).toHaveLength(1);
    expect(hits("app.use(cors({ origin: true, credentials: true }));")[0]).toContain('cors()');
    expect(rules({ 'main.ts': "import { NestFactory } from '@nestjs/core';\nvoid NestFactory.create({}, { cors: { origin: '*', credentials: true } });\n" }, 'cors-credentials-any-origin')).toHaveLength(1);
  });

  it('accepts an allow-list, and any origin without credentials', () => {
    expect(hits("app.enableCors({ origin: ['https://app.example.com'], credentials: true });")).toEqual([]);
    expect(hits('app.enableCors({ origin: true });')).toEqual([]);
    expect(hits('app.enableCors({ origin: (o: string, cb: (e: null, ok: boolean) => void) => cb(null, o === "https://a.example"), credentials: true });')).toEqual([]);
  });
});

describe('hard-coded JWT secrets', () => {
  const SECRET = 'sup3r-s3cret-value-nobody-should-see';
  const module = (code: string, name = 'auth.module.ts') => ({
    [name]: `import { Module } from '@nestjs/common';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';
import * as jwt from 'jsonwebtoken';
export const jwtConstants = { secret: '${SECRET}' };
void JwtService; void PassportStrategy; void Strategy; void jwt;
${code}
`,
  });
  const hits = (code: string, name?: string) => rules(module(code, name), 'hardcoded-jwt-secret');

  it('flags literals, constants and fallbacks in JwtModule options, strategies and sign/verify calls, without printing the value', () => {
    const cases = [
      `@Module({ imports: [JwtModule.register({ secret: '${SECRET}' })] }) export class A {}`,
      '@Module({ imports: [JwtModule.register({ secret: jwtConstants.secret })] }) export class A {}',
      `@Module({ imports: [JwtModule.registerAsync({ useFactory: () => ({ secret: process.env.JWT_SECRET ?? '${SECRET}' }) })] }) export class A {}`,
      `export class S extends PassportStrategy(Strategy) { constructor() { super({ secretOrKey: '${SECRET}' }); } }`,
      `export function sign() { return jwt.sign({}, '${SECRET}'); }`,
      `export class T { constructor(private readonly s: JwtService) {} t() { return this.s.sign({}, { secret: '${SECRET}' }); } }`,
    ];
    for (const c of cases) {
      const found = hits(c);
      expect(found, c).toHaveLength(1);
      expect(found[0]!.message).not.toContain(SECRET);
    }
    expect(hits(cases[2]!)[0]!.message).toContain('falls back to a hard-coded string when process.env.JWT_SECRET is unset');
  });

  it('accepts secrets from the environment or configuration, and ignores test files', () => {
    expect(hits('@Module({ imports: [JwtModule.register({ secret: process.env.JWT_SECRET })] }) export class A {}')).toEqual([]);
    expect(hits('@Module({ imports: [JwtModule.registerAsync({ inject: [], useFactory: (config: { get(k: string): string }) => ({ secret: config.get("JWT_SECRET") }) })] }) export class A {}')).toEqual([]);
    expect(hits(`@Module({ imports: [JwtModule.register({ secret: '${SECRET}' })] }) export class A {}`, 'auth.module.spec.ts')).toEqual([]);
  });
});
