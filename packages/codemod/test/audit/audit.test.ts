import { describe, expect, it } from 'vitest';
import { auditWorkspace } from '../../src/audit/audit.js';
import { auditHtml, escapeHtml } from '../../src/format/html.js';
import { caseWorkspace, discoverCases } from '../helpers/fixtures.js';
import { auditOfFiles } from '../helpers/project.js';

const cases = discoverCases();
const byName = (transform: string, name: string) => {
  const c = cases.find((x) => x.transform === transform && x.name === name);
  if (!c) throw new Error(`no fixture ${transform}/${name}`);
  return c;
};

function auditOf(transform: string, name: string) {
  return auditWorkspace(caseWorkspace(byName(transform, name)));
}

describe('audit: protection sources', () => {
  it('reports a route with no guard and no decision as unprotected-route', () => {
    const r = auditOf('scopes', 'no-decision');
    expect(r.routes.every((x) => x.protection.kind === 'none')).toBe(true);
    expect(r.findings.filter((f) => f.rule === 'unprotected-route')).toHaveLength(5);
  });

  it('recognises an authenticating class-level guard, global APP_GUARD and applyDecorators composite', () => {
    const cls = auditOf('scopes', 'class-guard').routes[0]!.protection;
    expect(cls.kind).toBe('class-guard');
    expect(cls.source).toContain('@UseGuards(LoggedInGuard) on BillingController');
    const global = auditOf('scopes', 'global-app-guard');
    expect(global.routes[0]!.protection.kind).toBe('global-guard');
    expect(global.globalGuards).toEqual(['JwtGuard (APP_GUARD)']);
    expect(global.findings.filter((f) => f.rule === 'unprotected-route')).toEqual([]);
    const composite = auditOf('scopes', 'composite-decorator');
    const create = composite.routes.find((x) => x.handler === 'ProjectsController.create')!;
    expect(create.protection.kind).toBe('composite');
    expect(create.protection.source).toContain("@Auth('admin') → @UseGuards(AuthGuard('jwt'), RolesGuard)");
    // A composite that only applies a roles guard authorizes; nothing authenticates the route.
    expect(composite.routes.find((x) => x.handler === 'ProjectsController.list')!.protection.kind).toBe('none');
  });

  it('does not call a route protected because some guard exists (throttler, impersonation blocker, roles)', () => {
    const r = auditOf('scopes', 'non-auth-global-guards');
    expect(r.routes.map((x) => x.protection.kind)).toEqual(['none', 'none']);
    const messages = r.findings.filter((f) => f.rule === 'unprotected-route').map((f) => f.message).join('\n');
    expect(messages).toContain('ThrottlerGuard (APP_GUARD');
    expect(messages).toContain('RolesGuard authorizes only');
  });

  it('shows authentication entry points as public by design with their evidence, not as unprotected', () => {
    const r = auditOf('scopes', 'entry-points');
    const byHandler = (h: string) => r.routes.find((x) => x.handler === h)!.protection;
    expect(byHandler('AuthController.signIn')).toMatchObject({ kind: 'public-by-design', entryPoint: { kind: 'login', basis: 'code' } });
    expect(byHandler('AuthController.signIn').source).toContain('issues a token: this.jwt.signAsync (src/auth.service.ts:11)');
    expect(byHandler('WebhooksController.billing')).toMatchObject({ kind: 'public-by-design', entryPoint: { kind: 'webhook', basis: 'code' } });
    expect(byHandler('HealthController.check')).toMatchObject({ kind: 'public-by-design', entryPoint: { kind: 'health', basis: 'code' } });
    expect(byHandler('AuthController.forgotPassword')).toMatchObject({ entryPoint: { kind: 'password-reset', basis: 'name' } });
    expect(r.findings.filter((f) => f.rule === 'unprotected-route').map((f) => f.handler)).toEqual(['OpsController.reports']);
  });

  it('lists requirements and flags baseline markers', () => {
    const teams = auditOf('scopes', 'existing-decisions').routes;
    expect(teams.find((x) => x.handler === 'TeamsController.create')!.protection).toMatchObject({ kind: 'requirement', roles: ['owner'], scopes: ['teams:read'] });
    const catalog = auditOf('scopes', 'baseline-marker');
    expect(catalog.findings.map((f) => f.rule)).toContain('baseline-public-route');
    expect(catalog.routes.find((x) => x.handler === 'CatalogController.browse')!.protection.kind).toBe('public');
  });

  it('includes routes inherited from an undecorated base class under the subclass path', () => {
    const r = auditOf('scopes', 'base-class-routes');
    expect(r.routes.map((x) => `${x.method} ${x.path} ${x.inheritedFrom ?? ''}`.trim())).toEqual(['POST /widgets', 'GET /widgets CrudController']);
  });

  it('under BastionModule, a route the app authenticates but Bastion has no decision for is a missing decision (strict boot fails)', () => {
    const r = auditOfFiles({
      'app.module.ts': "import { Module } from '@nestjs/common';\nimport { BastionModule } from '@bastion/nest';\n@Module({ imports: [BastionModule.forRoot({})] })\nexport class AppModule {}\n",
      'admin.controller.ts': "import { Controller, Get, UseGuards } from '@nestjs/common';\nimport { AuthGuard } from '@nestjs/passport';\n@Controller('admin')\n@UseGuards(AuthGuard('jwt'))\nexport class AdminController {\n  @Get()\n  list() {\n    return [];\n  }\n}\n",
    });
    expect(r.routes[0]!.protection.kind).toBe('class-guard');
    expect(r.findings.map((f) => f.rule)).toEqual(['missing-access-decision']);
  });

  it('reports the route an authenticating middleware covers, and the routes its exclude() leaves open', () => {
    const r = auditOf('scopes', 'middleware-routes');
    const kind = (m: string, p: string) => r.routes.find((x) => x.method === m && x.path === p)!.protection.kind;
    expect(kind('GET', '/user')).toBe('middleware');
    expect(kind('PUT', '/user')).toBe('middleware');
    expect(kind('DELETE', '/articles/:slug')).toBe('middleware');
    expect(kind('GET', '/articles')).toBe('none');
    expect(kind('GET', '/profiles/:username')).toBe('none');
    expect(kind('POST', '/profiles/:username/follow')).toBe('middleware');
  });

  it('derives full paths from @Controller({ path, version })', () => {
    expect(auditOf('scopes', 'controller-object-version').routes[0]!.path).toBe('/admin/reports');
  });
});

describe('audit: input rules', () => {
  it('flags untyped, any, interface, inline, keyed and type-only inputs, and not validated DTO classes', () => {
    const rules = (name: string) => auditOf('dtos', name).findings.map((f) => f.rule);
    expect(rules('untyped-body')).toContain('unvalidated-body');
    expect(rules('any-body')).toContain('unvalidated-body');
    expect(rules('interface-body')).toContain('unvalidated-body');
    expect(rules('inline-literal-body')).toContain('unvalidated-body');
    expect(rules('keyed-body')).toContain('unvalidated-body');
    expect(rules('query-dto')).toContain('unvalidated-query');
    expect(rules('import-type-dto')).toContain('type-only-dto-import');
    expect(rules('import-type-dto')).not.toContain('unvalidated-body');
  });

  it('flags converted ids and inline authorization checks', () => {
    expect(auditOf('params', 'unary-plus').findings.map((f) => f.rule)).toContain('unparsed-id');
    expect(auditOf('params', 'already-piped').findings.map((f) => f.rule)).not.toContain('unparsed-id');
    expect(auditOf('policies', 'inline-admin-check').findings.map((f) => f.rule)).toContain('inline-authz');
    expect(auditOf('policies', 'input-value-check').findings.map((f) => f.rule)).not.toContain('inline-authz');
  });
});

describe('html report', () => {
  it('escapes every piece of user text', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;');
    const report = auditOf('scopes', 'no-decision');
    report.routes[0]!.path = '/<script>alert(1)</script>';
    const html = auditHtml(report);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });
});

describe('audit: app-wide settings', () => {
  it('reads useGlobalGuards, the global prefix, URI versioning with a default version, and @Throttle', () => {
    const c = {
      ...byName('scopes', 'no-decision'),
      name: 'main',
      extras: new Map<string, string>([['jwt.guard', `import { CanActivate, ExecutionContext, UnauthorizedException } from '@nestjs/common';
export class JwtGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (!context.switchToHttp().getRequest<{ user?: unknown }>().user) throw new UnauthorizedException();
    return true;
  }
}
`]]),
      input: `import { NestFactory } from '@nestjs/core';
import { Controller, Get, VersioningType } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
import { JwtGuard } from './jwt.guard';

@Controller('things')
export class ThingsController {
  @Throttle({ default: { limit: 3, ttl: 60000 } })
  @Get()
  list() {
    return [];
  }
}

async function bootstrap() {
  const app = await NestFactory.create(ThingsController);
  app.setGlobalPrefix('api');
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '2' });
  app.useGlobalGuards(new JwtGuard());
  await app.listen(3000);
}
void bootstrap();
`,
    };
    const r = auditWorkspace(caseWorkspace(c));
    expect(r.globalPrefix).toBe('api');
    expect(r.routes[0]).toMatchObject({ path: '/api/v2/things', throttling: '@Throttle({ default: { limit: 3, ttl: 60000 } })' });
    expect(r.routes[0]!.protection).toMatchObject({ kind: 'global-guard' });
    expect(r.routes[0]!.protection.source).toContain('JwtGuard (useGlobalGuards, src/main.ts:');
    expect(r.findings.map((f) => f.rule)).not.toContain('unprotected-route');
  });
});
