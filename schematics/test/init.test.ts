import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { SchematicsException } from '@angular-devkit/schematics';
import { describe, expect, it } from 'vitest';
import { changed, nestApp, runner, snapshot } from './support.js';

describe('init', () => {
  it('wires Bastion into a stock NestJS 12 app: exact files and contents', async () => {
    const { runner: r, logs } = runner();
    const tree = nestApp();
    const before = snapshot(tree);
    const out = await r.runSchematic('init', {}, tree);
    const after = snapshot(out);
    expect(changed(before, after)).toEqual(['.env.example', 'bastion.json', 'package.json', 'src/app.controller.ts', 'src/app.module.ts', 'src/bastion.config.ts', 'src/main.ts']);
    expect(after['src/app.module.ts']).toBe(`import { Module } from '@nestjs/common';
import { AppController } from './app.controller.js';
import { AppService } from './app.service.js';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { BastionModule } from '@bastion/nest';
import { bastionOptions } from './bastion.config.js';

@Module({
  imports: [
    ConfigModule.forRoot(),
    BastionModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService], useFactory: bastionOptions }),
  ],
  controllers: [AppController],
  providers: [AppService],
})
export class AppModule {}
`);
    expect(after['src/main.ts']).toBe(`import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { configureBastion } from '@bastion/nest';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  configureBastion(app);
  await app.listen(process.env.PORT ?? 3000);
}
await bootstrap();
`);
    expect(after['src/app.controller.ts']).toBe(`import { Controller, Get } from '@nestjs/common';
import { AppService } from './app.service.js';
import { Public } from '@bastion/nest';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Get()
  @Public({ baseline: true })
  getHello(): string {
    return this.appService.getHello();
  }
}
`);
    expect(after['src/bastion.config.ts']).toContain('export function bastionOptions(config: ConfigService): BastionOptions {');
    expect(after['src/bastion.config.ts']).toContain("import type { ConfigService } from '@nestjs/config';");
    expect(Object.keys(JSON.parse(after['bastion.json']!))[0]).toBe('$schema');
    expect(JSON.parse(after['bastion.json']!)).toEqual({
      $schema: './node_modules/@bastion/codemod/bastion.schema.json',
      scopeFormat: '{resource}:{action}',
      actions: { GET: 'read', HEAD: 'read', OPTIONS: 'read', POST: 'write', PUT: 'write', PATCH: 'write', DELETE: 'delete' },
      idType: 'uuid',
      defaultBoundary: 'public',
      maxStringLength: 255,
      maxArraySize: 100,
      pagination: { defaultLimit: 20, maxLimit: 100 },
      resources: {},
      tokensCarryScopes: true,
      migrationWindowDays: 30,
      retrofit: { lockDown: false },
    });
    // The file validates against the schema its $schema names, as shipped in the codemod package.
    const schema = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@bastion/codemod/bastion.schema.json'), 'utf8')) as object;
    const validate = new Ajv.default({ allErrors: true, allowUnionTypes: true }).compile(schema);
    expect(validate(JSON.parse(after['bastion.json']!)), JSON.stringify(validate.errors)).toBe(true);
    expect(after['.env.example']).toBe(`# Bastion: the token issuer your API trusts (all three, or none: then every non-public route is 401)
JWT_ISSUER=https://id.example.com/
JWT_AUDIENCE=shop
JWT_JWKS_URI=https://id.example.com/.well-known/jwks.json
`);
    const pkg = JSON.parse(after['package.json']!);
    expect(pkg.dependencies).toMatchObject({
      '@bastion/nest': '^0.1.0',
      '@nestjs/config': '^12.0.0',
      '@nestjs/passport': '^12.0.0',
      '@nestjs/throttler': '^6.7.0',
      'class-transformer': '^0.5.1',
      'class-validator': '^0.15.1',
    });
    expect(pkg.devDependencies['@bastion/codemod']).toBe('^0.1.0');
    expect(Object.keys(pkg.dependencies)).toEqual([...Object.keys(pkg.dependencies)].sort());
    expect(Object.keys(pkg.devDependencies)).toEqual([...Object.keys(pkg.devDependencies)].sort());
    expect(r.tasks.map((t) => t.name)).toEqual(['node-package']);
    expect(r.tasks[0]!.options).toMatchObject({ packageManager: 'npm' });
    expect(logs.join('\n')).toContain('AppController.getHello');
  });

  it("adds configureBastion(app) to the app's own e2e specs, after createNestApplication()", async () => {
    const { runner: r } = runner();
    const tree = nestApp();
    tree.create('test/app.e2e-spec.ts', `import { Test, TestingModule } from '@nestjs/testing';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AppModule } from './../src/app.module';

describe('AppController (e2e)', () => {
  let app: INestApplication;

  beforeEach(async () => {
    const moduleFixture: TestingModule = await Test.createTestingModule({
      imports: [AppModule],
    }).compile();

    app = moduleFixture.createNestApplication();
    await app.init();
  });
});
`);
    const out = await r.runSchematic('init', {}, tree);
    const spec = out.readText('test/app.e2e-spec.ts');
    expect(spec).toContain(`    app = moduleFixture.createNestApplication();
    configureBastion(app);
    await app.init();`);
    expect(spec).toContain(`import { configureBastion } from '@bastion/nest';`);
    const again = await r.runSchematic('init', {}, out);
    expect(again.readText('test/app.e2e-spec.ts')).toBe(spec);
  });

  it('is idempotent: a second run changes nothing and installs nothing', async () => {
    const { runner: r } = runner();
    const once = await r.runSchematic('init', {}, nestApp());
    const before = snapshot(once);
    const { runner: r2 } = runner();
    const twice = await r2.runSchematic('init', {}, once);
    expect(snapshot(twice)).toEqual(before);
    expect(r2.tasks).toEqual([]);
  });

  it('follows a CommonJS NestJS 11 app: no .js suffixes, Nest 11 peer versions', async () => {
    const { runner: r } = runner();
    const out = await r.runSchematic('init', {}, nestApp({ esm: false, nestMajor: 11, runner: 'jest' }));
    expect(out.readText('src/app.module.ts')).toContain("import { bastionOptions } from './bastion.config';");
    expect(out.readText('src/main.ts')).toContain('configureBastion(app);\n  await app.listen');
    const deps = JSON.parse(out.readText('package.json')).dependencies;
    expect(deps).toMatchObject({ '@nestjs/config': '^4.0.0', '@nestjs/passport': '^11.0.0', 'class-validator': '^0.14.1' });
  });

  it('adds only what is missing to an app that already has part of the setup', async () => {
    const { runner: r, logs } = runner();
    const tree = nestApp({ fastify: true });
    tree.overwrite('src/app.module.ts', `import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppController } from './app.controller.js';
import { AdminController } from './admin.controller.js';

// Comments and layout stay as they are.
@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true })],
  controllers: [AppController, AdminController],
})
export class AppModule {}
`);
    tree.create('src/admin.controller.ts', `import { Controller, Delete, Get } from '@nestjs/common';
import { Authenticated, Public, RequireScopes } from '@bastion/nest';

@Controller('admin')
export class AdminController {
  @Public()
  @Get('health')
  health() {
    return { ok: true };
  }

  @RequireScopes('admin:write')
  @Delete('cache')
  clear() {}

  @Get('me')
  me() {}
}

@Authenticated()
@Controller('profile')
export class ProfileController {
  @Get()
  show() {}
}
`);
    tree.create('bastion.json', JSON.stringify({ idType: 'int', scopeFormat: '{resource}.{action}' }));
    tree.create('.env.example', 'PORT=3000\nJWT_ISSUER=https://login.example.org/\n');
    const out = await r.runSchematic('init', { skipInstall: true }, tree);
    expect(out.readText('src/app.module.ts')).toBe(`import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppController } from './app.controller.js';
import { AdminController } from './admin.controller.js';
import { BastionModule } from '@bastion/nest';
import { bastionOptions } from './bastion.config.js';

// Comments and layout stay as they are.
@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true }), BastionModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService], useFactory: bastionOptions })],
  controllers: [AppController, AdminController],
})
export class AppModule {}
`);
    const admin = out.readText('src/admin.controller.ts');
    expect(admin.match(/@Public\(\{ baseline: true \}\)/g)).toHaveLength(1);
    expect(admin).toContain("  @Get('me')\n  @Public({ baseline: true })");
    expect(admin).toContain("import { Authenticated, Public, RequireScopes } from '@bastion/nest';");
    expect(admin).toContain('@Authenticated()\n@Controller(\'profile\')\nexport class ProfileController {\n  @Get()');
    expect(out.readText('src/main.ts')).toContain('new FastifyAdapter());\n  configureBastion(app);');
    const config = JSON.parse(out.readText('bastion.json'));
    expect(config).toMatchObject({ idType: 'int', scopeFormat: '{resource}.{action}', maxStringLength: 255 });
    expect(out.readText('.env.example')).toBe('PORT=3000\nJWT_ISSUER=https://login.example.org/\n\n# Bastion: the token issuer your API trusts (all three, or none: then every non-public route is 401)\nJWT_AUDIENCE=shop\nJWT_JWKS_URI=https://id.example.com/.well-known/jwks.json\n');
    expect(r.tasks).toEqual([]);
    expect(logs.join('\n')).toMatch(/skipped install \(--skip-install\)/);
    expect(logs.join('\n')).toContain('AdminController.me');
  });

  it('accepts every option nest g forwards', async () => {
    const { runner: r } = runner();
    const out = await r.runSchematic('add', { name: 'x', path: 'y', flat: false, spec: true, specFileSuffix: 'spec', skipImport: false, language: 'ts', project: 'p', collection: '@bastion/schematics', format: false, sourceRoot: 'src' }, nestApp());
    expect(out.exists('bastion.json')).toBe(true);
  });

  it('refuses an app whose root module cannot be found, naming the option', async () => {
    const { runner: r } = runner();
    const tree = nestApp();
    tree.delete('src/app.module.ts');
    await expect(r.runSchematic('init', {}, tree)).rejects.toThrow(/--root-module/);
  });

  it('refuses a project whose NestJS or TypeScript @bastion/nest cannot run on, naming the upgrade path, and writes nothing', async () => {
    const { runner: r } = runner();
    const tree = nestApp({ esm: false, nestMajor: 7, runner: 'jest' });
    const pkg = JSON.parse(tree.readText('package.json'));
    pkg.devDependencies.typescript = '~3.8.3';
    tree.overwrite('package.json', JSON.stringify(pkg));
    const before = snapshot(tree);
    const refusal = r.runSchematic('init', {}, tree);
    await expect(refusal).rejects.toThrow(SchematicsException);
    await expect(r.runSchematic('init', {}, tree)).rejects.toThrow(
      /init: @bastion\/nest cannot be used in this project yet: package\.json asks for @nestjs\/core \^7\.0\.1; @bastion\/nest needs @nestjs\/core \^11\.0\.0 \|\| \^12\.0\.0; package\.json asks for typescript ~3\.8\.3.*Upgrade path: 1\. upgrade NestJS one major version at a time \(7 → 8 → 9 → 10 → 11\).*2\. upgrade TypeScript to 5\.0 or later.*3\. then add @bastion\/nest \(npm install @bastion\/nest\)/,
    );
    expect(snapshot(tree)).toEqual(before);
  });

  it('takes the installed version over the package.json range', async () => {
    const { runner: r } = runner();
    const tree = nestApp();
    tree.create('node_modules/@nestjs/core/package.json', JSON.stringify({ name: '@nestjs/core', version: '10.4.15' }));
    await expect(r.runSchematic('init', {}, tree)).rejects.toThrow(/@nestjs\/core 10\.4\.15 is installed/);
  });

  it('refuses a bastion.json with a wrong value, naming the key', async () => {
    const { runner: r } = runner();
    const tree = nestApp();
    tree.create('bastion.json', JSON.stringify({ maxStringLength: 0 }));
    await expect(r.runSchematic('init', {}, tree)).rejects.toThrow(/"maxStringLength" must be a positive integer/);
  });

  it('marks SSE routes and routes public only by the app\'s own decorator, through the file\'s namespace import; a namespace-imported decision counts', async () => {
    const { runner: r } = runner();
    const tree = nestApp();
    tree.create('src/auth/public.decorator.ts', `import { SetMetadata } from '@nestjs/common';

export const Public = () => SetMetadata('isPublic', true);
`);
    const events = `import { Controller, Get, Sse } from '@nestjs/common';
import * as bastion from '@bastion/nest';
import { Observable, of } from 'rxjs';
import { Public } from './auth/public.decorator.js';

@Controller('events')
export class EventsController {
  @Sse('stream')
  stream(): Observable<unknown> {
    return of({ data: 'tick' });
  }

  @Public()
  @Get('status')
  status() {
    return 'ok';
  }

  @bastion.Authenticated()
  @Get('mine')
  mine() {
    return [];
  }
}
`;
    tree.create('src/events.controller.ts', events);
    const out = await r.runSchematic('init', { skipInstall: true }, tree);
    expect(out.readText('src/events.controller.ts')).toBe(
      events.replace("  @Sse('stream')", "  @Sse('stream')\n  @bastion.Public({ baseline: true })").replace("  @Get('status')", "  @Get('status')\n  @bastion.Public({ baseline: true })"),
    );
  });

  it('imports Bastion\'s Public under another name when the file already has a Public', async () => {
    const { runner: r } = runner();
    const tree = nestApp();
    tree.overwrite('src/app.controller.ts', `import { Controller, Get } from '@nestjs/common';
import { Public } from './auth/public.decorator.js';

@Controller()
export class AppController {
  @Public()
  @Get()
  getHello(): string {
    return 'Hello World!';
  }
}
`);
    const out = await r.runSchematic('init', { skipInstall: true }, tree);
    expect(out.readText('src/app.controller.ts')).toBe(`import { Controller, Get } from '@nestjs/common';
import { Public } from './auth/public.decorator.js';
import { Public as BastionPublic } from '@bastion/nest';

@Controller()
export class AppController {
  @Public()
  @Get()
  @BastionPublic({ baseline: true })
  getHello(): string {
    return 'Hello World!';
  }
}
`);
  });
});
