import { describe, expect, it } from 'vitest';
import { callsImported, insertAfterAppCreation } from '../../src/edit/bootstrap.js';
import { addModuleImports } from '../../src/edit/module-imports.js';
import { editSource } from '../../src/edit/source-edit.js';

const MODULE = (imports: string) => `import { Module } from '@nestjs/common';\n\n// keep me\n@Module({\n  ${imports}controllers: [],\n})\nexport class AppModule {}\n`;

describe('the engine API the schematics call', () => {
  it('adds module imports in the array\'s own layout, once', () => {
    const add = (text: string) => editSource('app.module.ts', text, (src) => addModuleImports(src, [{ marker: 'UsersModule', element: () => src.imports.ref('./users.module', 'UsersModule') }]));
    expect(add(MODULE('imports: [],\n  ')).text).toBe(`import { Module } from '@nestjs/common';\nimport { UsersModule } from './users.module';\n\n// keep me\n@Module({\n  imports: [\n    UsersModule,\n  ],\n  controllers: [],\n})\nexport class AppModule {}\n`);
    expect(add(MODULE('imports: [A],\n  ')).text).toContain('imports: [A, UsersModule],');
    expect(add(MODULE('imports: [\n    A,\n  ],\n  ')).text).toContain('imports: [\n    A,\n    UsersModule,\n  ],');
    expect(add(MODULE('')).text).toContain('@Module({\n  imports: [UsersModule],\n  controllers: [],');
    const present = add(MODULE('imports: [UsersModule.forRoot()],\n  '));
    expect(present.result).toEqual({ status: 'ok', added: [], present: ['UsersModule'] });
    expect(present.text).toBe(MODULE('imports: [UsersModule.forRoot()],\n  '));
    expect(add(MODULE('imports: shared,\n  ')).result.status).toBe('not-an-array');
    expect(add('export class NotAModule {}\n').result.status).toBe('no-module');
    // `Module` from elsewhere is not Nest's.
    expect(add("import { Module } from './my-decorators';\n@Module({})\nexport class X {}\n").result.status).toBe('no-module');
  });

  it('inserts after the statement that creates the app, with its indentation and variable name', () => {
    const main = `import { NestFactory as F } from '@nestjs/core';\n\nasync function bootstrap() {\n    const server = await F.create(AppModule, { bufferLogs: true });\n    await server.listen(3000);\n}\n`;
    const { text, result } = editSource('main.ts', main, (src) => insertAfterAppCreation(src, (app) => `${src.imports.ref('@bastion/nest', 'configureBastion')}(${app});`));
    expect(result).toBe(true);
    expect(text).toBe(`import { NestFactory as F } from '@nestjs/core';\nimport { configureBastion } from '@bastion/nest';\n\nasync function bootstrap() {\n    const server = await F.create(AppModule, { bufferLogs: true });\n    configureBastion(server);\n    await server.listen(3000);\n}\n`);
    expect(editSource('main.ts', 'const app = somethingElse.create();\n', (src) => insertAfterAppCreation(src, () => 'x();')).result).toBe(false);
  });

  it("inserts after a testing module's createNestApplication(), assigned in a spec's beforeEach", () => {
    const spec = `describe('app', () => {\n  let app: INestApplication;\n  beforeEach(async () => {\n    const moduleFixture = await Test.createTestingModule({ imports: [AppModule] }).compile();\n    app = moduleFixture.createNestApplication<NestFastifyApplication>(new FastifyAdapter());\n    await app.init();\n  });\n});\n`;
    const insert = (text: string, factory: 'nest-factory' | 'testing-module') => editSource('app.e2e-spec.ts', text, (src) => insertAfterAppCreation(src, (app) => `configureBastion(${app});`, factory));
    const { text, result } = insert(spec, 'testing-module');
    expect(result).toBe(true);
    expect(text).toContain('    app = moduleFixture.createNestApplication<NestFastifyApplication>(new FastifyAdapter());\n    configureBastion(app);\n    await app.init();');
    // main.ts's factory is NestFactory from @nestjs/core: a spec's testing module is not it, and the reverse.
    expect(insert(spec, 'nest-factory').result).toBe(false);
    expect(insert("import { NestFactory } from '@nestjs/core';\nconst app = await NestFactory.create(AppModule);\n", 'testing-module').result).toBe(false);
  });

  it('knows a call by what it imports, not by its name', () => {
    const calls = (text: string) => editSource('m.ts', text, (src) => [callsImported(src, '@bastion/nest', 'configureBastion'), callsImported(src, '@nestjs/config', 'ConfigModule', 'forRoot')]).result;
    expect(calls("import * as b from '@bastion/nest';\nimport { ConfigModule as C } from '@nestjs/config';\nb.configureBastion(app);\nC.forRoot();\n")).toEqual([true, true]);
    expect(calls("import { configureBastion } from './local';\nimport { ConfigModule } from '@nestjs/config';\nconfigureBastion(app);\nConfigModule.forFeature();\n")).toEqual([false, false]);
  });

  it('imports a name the file already uses for something else under an alias', () => {
    const text = "import { Public } from './auth';\nimport { Injectable } from '@nestjs/common';\n\nclass Guard {}\n";
    const { text: out, result } = editSource('x.ts', text, (src) => [src.imports.ref('@bastion/nest', 'Public'), src.imports.ref('@bastion/nest', 'Public'), src.imports.ref('class-validator', 'Guard'), src.imports.ref('@nestjs/common', 'Injectable')]);
    expect(result).toEqual(['BastionPublic', 'BastionPublic', 'ClassValidatorGuard', 'Injectable']);
    expect(out).toContain("import { Public as BastionPublic } from '@bastion/nest';\nimport { Guard as ClassValidatorGuard } from 'class-validator';");
  });
});
