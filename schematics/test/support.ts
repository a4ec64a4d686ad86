import { HostTree, type Tree } from '@angular-devkit/schematics';
import { SchematicTestRunner, type UnitTestTree } from '@angular-devkit/schematics/testing';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');
export const COLLECTION = join(PKG, 'dist', 'collection.json');

function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
}

/**
 * The tests run the built collection, as the Nest CLI does (CommonJS, templates copied into dist/).
 * Rebuilds when sources or templates are newer; flock keeps parallel test files from building twice.
 */
export function ensureBuilt(): void {
  const stale = () => !existsSync(COLLECTION) || Math.max(newest(join(PKG, 'src')), newest(join(PKG, '..', 'templates'))) > statSync(COLLECTION).mtimeMs;
  if (!stale()) return;
  execFileSync('flock', ['/tmp/bastion-schematics-build.lock', 'sh', '-c', `[ -f '${COLLECTION}' ] && [ -z "$(find src ../templates -newer '${COLLECTION}' -type f | head -1)" ] || node scripts/build.cjs`], { cwd: PKG, stdio: 'inherit' });
}

export function runner(): { runner: SchematicTestRunner; logs: string[] } {
  ensureBuilt();
  const r = new SchematicTestRunner('@bastion/schematics', COLLECTION);
  const logs: string[] = [];
  r.logger.subscribe((e) => logs.push(`${e.level}: ${e.message}`));
  return { runner: r, logs };
}

/** path → content of every file in the tree (leading slash dropped). */
export function snapshot(tree: Tree): Record<string, string> {
  const out: Record<string, string> = {};
  tree.visit((p) => {
    out[p.slice(1)] = tree.readText(p);
  });
  return out;
}

/** Files added or changed between two snapshots, sorted. */
export function changed(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(after).filter((p) => before[p] !== after[p]).sort();
}

export interface AppFlavour {
  esm?: boolean;
  nestMajor?: number;
  runner?: 'vitest' | 'jest';
  fastify?: boolean;
  swagger?: boolean;
}

/** The files `nest new` writes (NestJS 12: ESM + vitest; NestJS 11: CommonJS + jest). */
export function nestApp(f: AppFlavour = {}): Tree {
  const esm = f.esm ?? true;
  const js = esm ? '.js' : '';
  const major = f.nestMajor ?? 12;
  const tree = new HostTree();
  const deps: Record<string, string> = { '@nestjs/common': `^${major}.0.1`, '@nestjs/core': `^${major}.0.1`, '@nestjs/platform-express': `^${major}.0.1`, 'reflect-metadata': '^0.2.2', rxjs: '^7.8.1' };
  if (f.fastify) deps['@nestjs/platform-fastify'] = `^${major}.0.0`;
  if (f.swagger) deps['@nestjs/swagger'] = `^${major}.0.0`;
  const dev: Record<string, string> = { '@nestjs/cli': `^${major}.0.0`, '@nestjs/testing': `^${major}.0.1`, supertest: '^7.0.0', typescript: '^6.0.2' };
  dev[(f.runner ?? 'vitest') === 'vitest' ? 'vitest' : 'jest'] = (f.runner ?? 'vitest') === 'vitest' ? '^4.1.2' : '^30.0.0';
  tree.create('package.json', JSON.stringify({ name: 'shop', version: '0.0.1', private: true, ...(esm ? { type: 'module' } : {}), dependencies: deps, devDependencies: dev }, null, 2) + '\n');
  tree.create('nest-cli.json', JSON.stringify({ collection: '@nestjs/schematics', sourceRoot: 'src' }, null, 2) + '\n');
  tree.create('src/app.module.ts', `import { Module } from '@nestjs/common';
import { AppController } from './app.controller${js}';
import { AppService } from './app.service${js}';

@Module({
  imports: [],
  controllers: [AppController],
  providers: [AppService],
})
export class AppModule {}
`);
  tree.create('src/app.controller.ts', `import { Controller, Get } from '@nestjs/common';
import { AppService } from './app.service${js}';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Get()
  getHello(): string {
    return this.appService.getHello();
  }
}
`);
  tree.create('src/app.service.ts', `import { Injectable } from '@nestjs/common';

@Injectable()
export class AppService {
  getHello(): string {
    return 'Hello World!';
  }
}
`);
  tree.create('src/main.ts', f.fastify
    ? `import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module${js}';

async function bootstrap() {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());
  await app.listen(process.env.PORT ?? 3000, '0.0.0.0');
}
${esm ? 'await bootstrap();' : 'bootstrap();'}
`
    : `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module${js}';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(process.env.PORT ?? 3000);
}
${esm ? 'await bootstrap();' : 'bootstrap();'}
`);
  return tree;
}

export type { UnitTestTree };

// Build before any test starts (at import, outside the per-test timeout).
ensureBuilt();
