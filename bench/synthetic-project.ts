// Generates a synthetic NestJS project with N controllers in mixed legacy patterns (interface, alias, inline
// and `any` bodies, `+id` params, inline admin checks, class guards, baseline markers, a base class) for the
// codemod benchmark. `node_modules` is a symlink to bench's own, so `tsc` sees the real Nest typings.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SyntheticProject {
  dir: string;
  tsconfig: string;
  controllers: number;
  files: number;
}

function controller(i: number): string {
  const R = `Resource${i}`;
  const r = `resource-${i}`;
  const guard = i % 5 === 0;
  const baseline = i % 7 === 0;
  const anyBody = i % 3 === 0;
  const lines = [
    `import { Body, Controller, Delete, ForbiddenException, Get, Injectable, Param, Patch, Post, Query${guard ? ', UseGuards' : ''} } from '@nestjs/common';`,
    `import { CurrentPrincipal${baseline ? ', Public' : ''}, type Principal } from '@bastion/nest';`,
    guard ? `import { ApiKeyGuard } from '../shared/api-key.guard';` : '',
    `import { CrudController } from '../shared/crud.controller';`,
    '',
    `export interface ${R} {`,
    '  id: number;',
    '  name: string;',
    `  status: 'draft' | 'published';`,
    '  tags: string[];',
    '  createdAt: string;',
    '}',
    '',
    `interface Create${R} {`,
    '  name: string;',
    `  status: 'draft' | 'published';`,
    '  tags?: string[];',
    '  note: string | null;',
    '  dimensions: { width: number; height: number };',
    '}',
    '',
    `type Update${R} = {`,
    '  name?: string;',
    '  archived?: boolean;',
    '};',
    '',
    '@Injectable()',
    `export class ${R}Service {`,
    `  private readonly items = new Map<number, ${R}>();`,
    '',
    `  find(id: number): ${R} | undefined {`,
    '    return this.items.get(id);',
    '  }',
    '',
    `  create(input: { name: string; status: 'draft' | 'published'; tags?: string[] }): ${R} {`,
    `    const item: ${R} = { id: this.items.size + 1, name: input.name, status: input.status, tags: input.tags ?? [], createdAt: new Date().toISOString() };`,
    '    this.items.set(item.id, item);',
    '    return item;',
    '  }',
    '',
    `  list(page = 1, search?: string): ${R}[] {`,
    '    const all = [...this.items.values()].filter((x) => !search || x.name.includes(search));',
    '    return all.slice((page - 1) * 20, page * 20);',
    '  }',
    '}',
    '',
    `@Controller('${r}')`,
    guard ? '@UseGuards(ApiKeyGuard)' : '',
    `export class ${R}Controller extends CrudController {`,
    `  constructor(private readonly service: ${R}Service) {`,
    '    super();',
    '  }',
    '',
    '  @Get()',
    '  list(@Query() query: { page?: number; search?: string }) {',
    '    return this.service.list(query.page, query.search);',
    '  }',
    '',
    `  @Get(':id')`,
    `  findOne(@Param('id') id: string) {`,
    '    return this.service.find(+id);',
    '  }',
    '',
    baseline ? '  @Public({ baseline: true })' : '',
    '  @Post()',
    anyBody ? '  create(@Body() body: any) {' : `  create(@Body() body: Create${R}) {`,
    '    return this.service.create(body);',
    '  }',
    '',
    `  @Patch(':id')`,
    `  update(@Param('id') id: string, @Body() patch: Update${R}) {`,
    '    const item = this.service.find(Number(id));',
    '    return { ...item, ...patch };',
    '  }',
    '',
    `  @Delete(':id')`,
    `  remove(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {`,
    `    if (!principal.roles.has('admin')) throw new ForbiddenException();`,
    '    return { removed: parseInt(id, 10) };',
    '  }',
    '}',
    '',
  ];
  return lines.filter((l, idx, all) => l !== '' || all[idx - 1] !== '').join('\n');
}

const SHARED_GUARD = `import { CanActivate, Injectable } from '@nestjs/common';

@Injectable()
export class ApiKeyGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}
`;

const SHARED_CRUD = `import { Get } from '@nestjs/common';

export abstract class CrudController {
  @Get('health')
  health() {
    return { ok: true };
  }
}
`;

/** Writes the project into `dir` (replacing it). */
export function generateSyntheticProject(dir: string, controllers: number, nodeModules: string): SyntheticProject {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src', 'shared'), { recursive: true });
  symlinkSync(nodeModules, join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: `synthetic-${controllers}`, private: true,
    dependencies: { '@bastion/nest': 'workspace:*', '@nestjs/common': '12.5.1', '@nestjs/core': '12.5.1', 'class-validator': '0.15.1', 'class-transformer': '0.5.1' },
  }, null, 2));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'commonjs', moduleResolution: 'node10', strict: true, experimentalDecorators: true,
      emitDecoratorMetadata: true, skipLibCheck: true, noEmit: true, types: [], lib: ['ES2022'], ignoreDeprecations: '6.0',
    },
    include: ['src'],
  }, null, 2));
  writeFileSync(join(dir, 'src', 'shared', 'api-key.guard.ts'), SHARED_GUARD);
  writeFileSync(join(dir, 'src', 'shared', 'crud.controller.ts'), SHARED_CRUD);
  const names: string[] = [];
  for (let i = 0; i < controllers; i++) {
    const folder = join(dir, 'src', `resource-${i}`);
    mkdirSync(folder);
    writeFileSync(join(folder, `resource-${i}.controller.ts`), controller(i));
    names.push(`Resource${i}`);
  }
  const imports = names.map((n, i) => `import { ${n}Controller, ${n}Service } from './resource-${i}/resource-${i}.controller';`).join('\n');
  writeFileSync(join(dir, 'src', 'app.module.ts'), `import { Module } from '@nestjs/common';
import { BastionModule } from '@bastion/nest';
${imports}

@Module({
  imports: [BastionModule.forRoot({ jwt: { issuer: 'https://id.example.com', audience: 'api', jwksUri: 'https://id.example.com/jwks' } })],
  controllers: [${names.map((n) => `${n}Controller`).join(', ')}],
  providers: [${names.map((n) => `${n}Service`).join(', ')}],
})
export class AppModule {}
`);
  writeFileSync(join(dir, 'src', 'main.ts'), `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.setGlobalPrefix('api');
  await app.listen(3000);
}
void bootstrap();
`);
  return { dir, tsconfig: join(dir, 'tsconfig.json'), controllers, files: controllers + 4 };
}
