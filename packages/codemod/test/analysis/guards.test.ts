import { describe, expect, it } from 'vitest';
import { auditOfFiles, row } from '../helpers/project.js';

/** A controller with one GET route per guard expression, in a file that imports whatever the guards need. */
function guarded(guards: Record<string, string>, extra = ''): string {
  const routes = Object.entries(guards).map(([path, guard]) => `  @UseGuards(${guard})\n  @Get('${path}')\n  ${path.replace(/\W/g, '_')}() {\n    return [];\n  }`).join('\n\n');
  return `import { CanActivate, Controller, ExecutionContext, ForbiddenException, Get, Injectable, UnauthorizedException, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { ThrottlerGuard } from '@nestjs/throttler';
${extra}
@Controller('g')
export class GuardedController {
${routes}
}
`;
}

const guards = `
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {}
@Injectable()
export class AdminJwtGuard extends JwtAuthGuard {}
@Injectable()
export class OptionalGuard extends AuthGuard('jwt') {
  handleRequest(_e: unknown, user: unknown) { return user; }
}
@Injectable()
export class SwallowingGuard extends AuthGuard('jwt') {
  async canActivate(context: ExecutionContext) {
    try { await super.canActivate(context); } catch { /* anonymous is fine */ }
    return true;
  }
}
@Injectable()
export class VerifyingGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}
  async canActivate(context: ExecutionContext) {
    const req = context.switchToHttp().getRequest();
    const token = this.extract(req);
    if (!token) throw new UnauthorizedException();
    req.user = await this.jwt.verifyAsync(token);
    return true;
  }
  private extract(req: { headers: Record<string, string> }) { return req.headers.authorization?.split(' ')[1]; }
}
@Injectable()
export class SoftVerifyingGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}
  async canActivate(context: ExecutionContext) {
    const req = context.switchToHttp().getRequest();
    if (req.headers.authorization) req.user = await this.jwt.verifyAsync(req.headers.authorization.slice(7)).catch(() => undefined);
    return true;
  }
}
@Injectable()
export class UserGuard implements CanActivate {
  canActivate(context: ExecutionContext) { return !!context.switchToHttp().getRequest().user; }
}
@Injectable()
export class SessionGuard implements CanActivate {
  canActivate(context: ExecutionContext) {
    const req = context.switchToHttp().getRequest();
    if (!req.isAuthenticated()) throw new UnauthorizedException();
    return true;
  }
}
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext) {
    const roles = this.reflector.get<string[]>('roles', context.getHandler());
    if (!roles) return true;
    return roles.includes(context.switchToHttp().getRequest().user.role);
  }
}
@Injectable()
export class ImpersonationGuard implements CanActivate {
  canActivate(context: ExecutionContext) {
    const req = context.switchToHttp().getRequest();
    if (req.user?.impersonating && req.method !== 'GET') throw new ForbiddenException();
    return true;
  }
}
@Injectable()
export class CustomThrottlerGuard extends ThrottlerGuard {}
@Injectable()
export class FeatureFlagGuard implements CanActivate {
  constructor(private readonly flags: { enabled(name: string): boolean }) {}
  canActivate() { return this.flags.enabled('beta'); }
}
@Injectable()
export class MysteryGuard implements CanActivate {
  constructor(private readonly svc: { allowed(): boolean }) {}
  canActivate() { return this.svc.allowed(); }
}
`;

describe('guard classification', () => {
  const report = auditOfFiles({
    'g.controller.ts': guarded({
      jwt: "AuthGuard('jwt')", local: "AuthGuard('local')", multi: "AuthGuard(['jwt', 'api-key'])", anonymous: "AuthGuard(['jwt', 'anonymous'])",
      subclass: 'JwtAuthGuard', subsubclass: 'AdminJwtGuard', optional: 'OptionalGuard', swallowing: 'SwallowingGuard',
      verifying: 'VerifyingGuard', softVerifying: 'SoftVerifyingGuard', user: 'UserGuard', session: 'SessionGuard', roles: 'RolesGuard',
      impersonation: 'ImpersonationGuard', throttler: 'ThrottlerGuard', customThrottler: 'CustomThrottlerGuard', flag: 'FeatureFlagGuard',
      mystery: 'MysteryGuard', noname: 'AuthGuard()', newed: 'new VerifyingGuard(undefined as never)',
    }, guards),
  });
  const m = (path: string) => row(report, 'GET', `/g/${path}`).protection.app.mechanisms[0]!;

  it('passport AuthGuard(...) authenticates, with the credential of its strategies', () => {
    expect(m('jwt')).toMatchObject({ verdict: 'authenticates', credential: 'bearer', strategies: ['jwt'] });
    expect(m('local')).toMatchObject({ verdict: 'authenticates', credential: 'password' });
    expect(m('multi')).toMatchObject({ verdict: 'authenticates', credential: 'bearer', strategies: ['jwt', 'api-key'] });
    expect(m('anonymous')).toMatchObject({ verdict: 'other' });
    expect(m('anonymous').reason).toContain('optional authentication');
    expect(m('noname')).toMatchObject({ verdict: 'unknown' });
  });

  it('classes extending AuthGuard authenticate, unless they let anonymous requests through', () => {
    expect(m('subclass')).toMatchObject({ verdict: 'authenticates', credential: 'bearer' });
    expect(m('subsubclass')).toMatchObject({ verdict: 'authenticates', credential: 'bearer' });
    expect(m('optional')).toMatchObject({ verdict: 'other' });
    expect(m('optional').reason).toContain('handleRequest never rejects');
    expect(m('swallowing')).toMatchObject({ verdict: 'other' });
  });

  it('a canActivate that verifies a credential and rejects, or rejects without request.user, authenticates', () => {
    expect(m('verifying')).toMatchObject({ verdict: 'authenticates', credential: 'bearer' });
    expect(m('newed')).toMatchObject({ verdict: 'authenticates' });
    expect(m('user')).toMatchObject({ verdict: 'authenticates' });
    expect(m('session')).toMatchObject({ verdict: 'authenticates', credential: 'session' });
    expect(m('softVerifying')).toMatchObject({ verdict: 'other' });
  });

  it('roles guards authorize only; throttlers, impersonation blockers and feature flags are other; the rest is unknown', () => {
    expect(m('roles')).toMatchObject({ verdict: 'authorizes-only' });
    expect(m('impersonation')).toMatchObject({ verdict: 'other' });
    expect(m('throttler')).toMatchObject({ verdict: 'other' });
    expect(m('customThrottler')).toMatchObject({ verdict: 'other' });
    expect(m('flag')).toMatchObject({ verdict: 'other' });
    expect(m('mystery')).toMatchObject({ verdict: 'unknown' });
  });

  it('only an authenticating guard protects a route; unknown is reported, never protected', () => {
    expect(row(report, 'GET', '/g/jwt').protection.kind).toBe('method-guard');
    for (const p of ['roles', 'impersonation', 'throttler', 'flag', 'optional', 'softVerifying']) {
      expect(row(report, 'GET', `/g/${p}`).protection.kind, p).toBe('none');
    }
    expect(row(report, 'GET', '/g/mystery').protection.kind).toBe('unknown');
    const rules = (path: string) => report.findings.filter((f) => f.handler === `GuardedController.${path}`).map((f) => f.rule);
    expect(rules('roles')).toEqual(['unprotected-route']);
    expect(report.findings.find((f) => f.handler === 'GuardedController.roles')!.message).toContain('RolesGuard authorizes only');
    expect(rules('mystery')).toEqual(['unknown-protection']);
    expect(rules('jwt')).toEqual([]);
  });

  it('AuthGuard() uses PassportModule.register({ defaultStrategy })', () => {
    const r = auditOfFiles({
      'g.controller.ts': guarded({ noname: 'AuthGuard()' }),
      'app.module.ts': "import { Module } from '@nestjs/common';\nimport { PassportModule } from '@nestjs/passport';\n@Module({ imports: [PassportModule.register({ defaultStrategy: 'jwt' })] })\nexport class AppModule {}\n",
    });
    expect(row(r, 'GET', '/g/noname').protection.app.mechanisms[0]).toMatchObject({ verdict: 'authenticates', strategies: ['jwt'] });
  });
});

describe('global guards', () => {
  const controller = "import { Controller, Get } from '@nestjs/common';\n@Controller('x')\nexport class XController {\n  @Get()\n  list() {\n    return [];\n  }\n}\n";
  const guard = `import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
@Injectable()
export class TokenGuard implements CanActivate {
  canActivate(context: ExecutionContext) {
    if (!context.switchToHttp().getRequest().user) throw new UnauthorizedException();
    return true;
  }
}
@Injectable()
export class BlockWritesGuard implements CanActivate {
  canActivate() { return true; }
}
`;

  it('reads APP_GUARD (useClass, useExisting, useFactory) and app.useGlobalGuards, and classifies each', () => {
    const module = (provider: string) => `import { Module } from '@nestjs/common';\nimport { APP_GUARD } from '@nestjs/core';\nimport { TokenGuard, BlockWritesGuard } from './guards';\n@Module({ providers: [${provider}] })\nexport class AppModule {}\n`;
    for (const provider of ['{ provide: APP_GUARD, useClass: TokenGuard }', '{ provide: APP_GUARD, useExisting: TokenGuard }', '{ provide: APP_GUARD, useFactory: () => new TokenGuard() }']) {
      const r = auditOfFiles({ 'x.controller.ts': controller, 'guards.ts': guard, 'app.module.ts': module(provider) });
      expect(row(r, 'GET', '/x').protection.kind, provider).toBe('global-guard');
    }
    const open = auditOfFiles({ 'x.controller.ts': controller, 'guards.ts': guard, 'app.module.ts': module('{ provide: APP_GUARD, useClass: BlockWritesGuard }') });
    expect(row(open, 'GET', '/x').protection.kind).toBe('none');
    expect(open.findings.map((f) => f.rule)).toContain('unprotected-route');
    const main = `import { NestFactory } from '@nestjs/core';\nimport { TokenGuard } from './guards';\nasync function bootstrap() {\n  const app = await NestFactory.create({});\n  app.useGlobalGuards(new TokenGuard());\n}\nvoid bootstrap();\n`;
    const viaMain = auditOfFiles({ 'x.controller.ts': controller, 'guards.ts': guard, 'main.ts': main });
    expect(row(viaMain, 'GET', '/x').protection).toMatchObject({ kind: 'global-guard' });
    expect(row(viaMain, 'GET', '/x').protection.source).toContain('TokenGuard (useGlobalGuards, src/main.ts:5)');
  });

  it('a global guard that skips routes marked with a Reflector.createDecorator() decorator leaves them open', () => {
    const files = {
      'auth.ts': `import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
export const AllowAnonymous = Reflector.createDecorator<boolean>();
@Injectable()
export class GlobalJwtGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) { super(); }
  canActivate(context: ExecutionContext) {
    if (this.reflector.get(AllowAnonymous, context.getHandler())) return true;
    return super.canActivate(context);
  }
}
`,
      'app.module.ts': "import { Module } from '@nestjs/common';\nimport { APP_GUARD } from '@nestjs/core';\nimport { GlobalJwtGuard } from './auth';\n@Module({ providers: [{ provide: APP_GUARD, useClass: GlobalJwtGuard }] })\nexport class AppModule {}\n",
      'x.controller.ts': "import { Controller, Get } from '@nestjs/common';\nimport { AllowAnonymous } from './auth';\n@Controller('x')\nexport class XController {\n  @AllowAnonymous()\n  @Get('open')\n  open() {\n    return [];\n  }\n\n  @Get('closed')\n  closed() {\n    return [];\n  }\n}\n",
    };
    const r = auditOfFiles(files);
    expect(row(r, 'GET', '/x/open').protection).toMatchObject({ kind: 'public', app: { status: 'open', publicMarker: expect.stringContaining('AllowAnonymous') } });
    expect(row(r, 'GET', '/x/closed').protection.kind).toBe('global-guard');
  });
});
