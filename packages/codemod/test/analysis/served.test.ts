import { describe, expect, it } from 'vitest';
import { formatAudit } from '../../src/format/audit-format.js';
import { auditOfFiles } from '../helpers/project.js';

const main = (body: string) => `import { NestFactory } from '@nestjs/core';
import { RequestMethod, VersioningType, VERSION_NEUTRAL } from '@nestjs/common';
async function bootstrap() {
  const app = await NestFactory.create({});
  void RequestMethod; void VERSION_NEUTRAL; void VersioningType;
  ${body}
}
void bootstrap();
`;

const controllers = `import { Controller, Get, Post, Version, VERSION_NEUTRAL } from '@nestjs/common';
@Controller('items')
export class ItemsController {
  @Get() list() { return []; }
  @Version(['1', '2']) @Get('both') both() { return []; }
  @Version(VERSION_NEUTRAL) @Get('neutral') neutral() { return []; }
}
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  @Get() check() { return 'ok'; }
  @Post() poke() { return 'ok'; }
}
`;

const paths = (body: string, extra: Record<string, string> = {}) =>
  auditOfFiles({ 'items.controller.ts': controllers, 'main.ts': main(body), ...extra }).routes.map((r) => `${r.method} ${r.path}${r.version ? ` v=${r.version}` : ''}${r.host ? ` @${r.host}` : ''}`);

describe('routes as Nest serves them', () => {
  it('URI versioning: version arrays give one row each, VERSION_NEUTRAL has no segment, defaultVersion fills the rest', () => {
    expect(paths("app.setGlobalPrefix('api'); app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });")).toEqual([
      'GET /api/v1/items', 'GET /api/v1/items/both', 'GET /api/v2/items/both', 'GET /api/items/neutral', 'GET /api/health', 'POST /api/health',
    ]);
    expect(paths("app.enableVersioning({ type: VersioningType.URI, defaultVersion: [VERSION_NEUTRAL, '3'], prefix: 'ver' });")).toEqual([
      'GET /items', 'GET /ver3/items', 'GET /ver1/items/both', 'GET /ver2/items/both', 'GET /items/neutral', 'GET /health', 'POST /health',
    ]);
    expect(paths('app.enableVersioning({ type: VersioningType.URI });')).toContain('GET /items');
  });

  it('never prints vVERSION_NEUTRAL, and ignores versions while versioning is off', () => {
    const all = [...paths('app.enableVersioning({ type: VersioningType.URI });'), ...paths('')].join('\n');
    expect(all).not.toContain('VERSION_NEUTRAL');
    expect(paths('')).toEqual(['GET /items', 'GET /items/both', 'GET /items/neutral', 'GET /health', 'POST /health']);
  });

  it('header versioning: one row per version, shown as a suffix in the table', () => {
    expect(paths("app.enableVersioning({ type: VersioningType.HEADER, header: 'X-API-Version' });")).toContain('GET /items/both v=2');
    const report = auditOfFiles({ 'items.controller.ts': controllers, 'main.ts': main("app.enableVersioning({ type: VersioningType.HEADER, header: 'V' });") });
    const table = formatAudit(report, 'table');
    expect(table).toContain('/items/both (version 1)');
    expect(table).toContain('/items/neutral (any version)');
  });

  it('global-prefix exclude (paths and { path, method }) serves matching routes without the prefix', () => {
    expect(paths("app.setGlobalPrefix('api', { exclude: [{ path: 'health', method: RequestMethod.GET }, 'items/both'] });")).toEqual([
      'GET /api/items', 'GET /items/both', 'GET /api/items/neutral', 'GET /health', 'POST /api/health',
    ]);
  });

  it('RouterModule paths (nested children) and host-scoped controllers', () => {
    const extra = {
      'admin.ts': `import { Controller, Get, Module } from '@nestjs/common';
import { RouterModule, Routes } from '@nestjs/core';
@Controller('users') export class UsersController { @Get() list() { return []; } }
@Controller({ path: 'stats', host: ['admin.example.com', 'ops.example.com'] }) export class StatsController { @Get() list() { return []; } }
@Module({ controllers: [UsersController] }) export class UsersModule {}
@Module({ controllers: [StatsController] }) export class StatsModule {}
@Module({}) export class AdminModule {}
const routes: Routes = [{ path: 'admin', module: AdminModule, children: [{ path: 'people', module: UsersModule }, StatsModule] }];
@Module({ imports: [RouterModule.register(routes)] }) export class AppModule {}
`,
    };
    const list = paths("app.setGlobalPrefix('api');", extra);
    expect(list).toContain('GET /api/admin/people/users');
    expect(list).toContain('GET /api/admin/stats @admin.example.com');
    expect(list).toContain('GET /api/admin/stats @ops.example.com');
  });
});
