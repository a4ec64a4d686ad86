import { describe, expect, it } from 'vitest';
import { compilePattern, coverage, legacyConvert } from '../../src/analysis/path-pattern.js';
import { auditOfFiles, row } from '../helpers/project.js';

describe('Nest route patterns', () => {
  it("converts legacy wildcards like Nest's LegacyRouteConverter", () => {
    expect(legacyConvert('users/*')).toBe('users/{*path}');
    expect(legacyConvert('(.*)')).toBe('{*path}');
    expect(legacyConvert('/a/*/b')).toBe('/a/*path2/b');
    expect(legacyConvert('files/+')).toBe('files/*path');
    expect(legacyConvert('users/:id')).toBe('users/:id');
  });

  it('says whether a pattern matches all, some or none of the requests a route path serves', () => {
    const exact = (p: string) => compilePattern(p, { end: true, sensitive: true })!;
    const prefix = (p: string) => compilePattern(p, { end: false, sensitive: false })!;
    expect(coverage(exact('users/:id'), '/users/:userId')).toBe('all');
    expect(coverage(exact('users/new'), '/users/:id')).toBe('some');
    expect(coverage(exact('users/:id'), '/users/:id/posts')).toBe('none');
    expect(coverage(prefix('users'), '/users/:id/posts')).toBe('all');
    expect(coverage(prefix('users'), '/usersettings')).toBe('none');
    expect(coverage(prefix('*'), '/anything/:id')).toBe('all');
    // path-to-regexp v8: the literal slash before an optional wildcard stays required.
    expect(coverage(exact('files/{*path}'), '/files')).toBe('none');
    expect(coverage(exact('files/{*path}'), '/files/:name')).toBe('all');
    expect(coverage(exact('files/*path'), '/files')).toBe('none');
    expect(coverage(exact('docs{/:page}'), '/docs')).toBe('all');
    expect(coverage(exact('Users'), '/users')).toBe('none');
    expect(coverage(prefix('Users'), '/users')).toBe('all');
    expect(compilePattern('ab(c', { end: true, sensitive: true })).toBeUndefined();
  });
});

const middleware = `import { Injectable, NestMiddleware, UnauthorizedException } from '@nestjs/common';
@Injectable()
export class AuthMiddleware implements NestMiddleware {
  use(req: { user?: unknown }, _res: unknown, next: () => void) {
    if (!req.user) throw new UnauthorizedException();
    next();
  }
}
`;

function app(configure: string, controllers: string, main = ''): ReturnType<typeof auditOfFiles> {
  return auditOfFiles({
    'auth.middleware.ts': middleware,
    'controllers.ts': `import { Controller, Delete, Get, Post, Put, All } from '@nestjs/common';\n${controllers}`,
    'app.module.ts': `import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import passport from 'passport';
import { AuthMiddleware } from './auth.middleware';
import { CatsController, DogsController } from './controllers';
@Module({ controllers: [CatsController, DogsController] })
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    void RequestMethod; void passport; void CatsController; void DogsController;
    ${configure}
  }
}
`,
    ...(main ? { 'main.ts': main } : {}),
  });
}

const cats = `@Controller('cats')
export class CatsController {
  @Get() list() { return []; }
  @Get(':id') one() { return {}; }
  @Post() create() { return {}; }
  @Get('public/info') info() { return {}; }
  @All('any') any() { return {}; }
}
@Controller({ path: 'dogs', version: '2' })
export class DogsController {
  @Get() list() { return []; }
}
`;

describe('middleware bound with MiddlewareConsumer', () => {
  const kind = (r: ReturnType<typeof auditOfFiles>, method: string, path: string) => row(r, method, path).protection.kind;

  it('string paths cover their sub-paths; exclude takes routes out', () => {
    const r = app("consumer.apply(AuthMiddleware).exclude({ path: 'cats/public/info', method: RequestMethod.GET }).forRoutes('cats');", cats);
    expect(kind(r, 'GET', '/cats')).toBe('middleware');
    expect(kind(r, 'GET', '/cats/:id')).toBe('middleware');
    expect(kind(r, 'POST', '/cats')).toBe('middleware');
    expect(kind(r, 'GET', '/cats/public/info')).toBe('none');
    expect(kind(r, 'GET', '/dogs')).toBe('none');
  });

  it('{ path, method } covers that method exactly; other methods and sub-paths stay open; @All() is only partly covered', () => {
    const r = app("consumer.apply(AuthMiddleware).forRoutes({ path: 'cats', method: RequestMethod.POST }, { path: 'cats/any', method: RequestMethod.GET });", cats);
    expect(kind(r, 'POST', '/cats')).toBe('middleware');
    expect(kind(r, 'GET', '/cats')).toBe('none');
    expect(kind(r, 'ALL', '/cats/any')).toBe('unknown');
    // GET /cats/any also reaches @Get(':id'): the middleware runs for some of its requests only.
    expect(kind(r, 'GET', '/cats/:id')).toBe('unknown');
    expect(kind(r, 'GET', '/cats/public/info')).toBe('none');
  });

  it('wildcards cover everything, versioned routes included; a pattern that matches part of a route makes it unknown', () => {
    for (const pattern of ["'*'", "'{*splat}'", "'(.*)'"]) {
      const r = app(`consumer.apply(AuthMiddleware).forRoutes(${pattern});`, cats);
      expect(kind(r, 'GET', '/dogs'), pattern).toBe('middleware');
      expect(kind(r, 'GET', '/cats/:id'), pattern).toBe('middleware');
    }
    const partial = app("consumer.apply(AuthMiddleware).forRoutes('cats/7');", cats);
    expect(kind(partial, 'GET', '/cats/:id')).toBe('unknown');
    expect(row(partial, 'GET', '/cats/:id').protection.source).toContain('part of this route');
    const excluded = app("consumer.apply(AuthMiddleware).exclude('cats/7').forRoutes('cats');", cats);
    expect(kind(excluded, 'GET', '/cats/:id')).toBe('unknown');
  });

  it('controller classes cover their routes; chained apply() calls each bind their own middleware', () => {
    const r = app("consumer.apply(AuthMiddleware).forRoutes(DogsController).apply(AuthMiddleware).exclude('cats').forRoutes(CatsController);", cats);
    expect(kind(r, 'GET', '/dogs')).toBe('middleware');
    expect(kind(r, 'GET', '/cats/:id')).toBe('middleware');
  });

  it('a plain path is mounted without a version: a route served only under /v2 is not covered unless defaultVersion says so', () => {
    const main = (v: string) => `import { NestFactory } from '@nestjs/core';\nimport { VersioningType } from '@nestjs/common';\nasync function b() {\n  const app = await NestFactory.create({});\n  app.enableVersioning({ type: VersioningType.URI${v} });\n}\nvoid b();\n`;
    const off = app("consumer.apply(AuthMiddleware).forRoutes('dogs');", cats, main(''));
    expect(kind(off, 'GET', '/v2/dogs')).toBe('none');
    const on = app("consumer.apply(AuthMiddleware).forRoutes('dogs');", cats, main(", defaultVersion: ['1', '2']"));
    expect(kind(on, 'GET', '/v2/dogs')).toBe('middleware');
    const object = app("consumer.apply(AuthMiddleware).forRoutes({ path: 'dogs', method: RequestMethod.GET, version: '2' });", cats, main(''));
    expect(kind(object, 'GET', '/v2/dogs')).toBe('middleware');
  });

  it('conditional bindings only partly protect; passport.authenticate() authenticates; logging middleware does not', () => {
    const conditional = app("if (process.env.AUTH) consumer.apply(AuthMiddleware).forRoutes('cats');", cats);
    expect(kind(conditional, 'GET', '/cats')).toBe('unknown');
    const passport = app("consumer.apply(passport.authenticate('jwt', { session: false })).forRoutes('cats');", cats);
    expect(kind(passport, 'GET', '/cats')).toBe('middleware');
    expect(row(passport, 'GET', '/cats').protection.app.mechanisms[0]).toMatchObject({ verdict: 'authenticates', strategies: ['jwt'] });
    const logger = auditOfFiles({
      'controllers.ts': `import { Controller, Get } from '@nestjs/common';\n@Controller('cats')\nexport class CatsController {\n  @Get() list() { return []; }\n}\n`,
      'app.module.ts': "import { MiddlewareConsumer, Module } from '@nestjs/common';\nimport helmet from 'helmet';\nfunction log(_q: unknown, _s: unknown, next: () => void) { next(); }\n@Module({})\nexport class AppModule {\n  configure(consumer: MiddlewareConsumer) {\n    consumer.apply(log, helmet()).forRoutes('*');\n  }\n}\n",
    });
    expect(row(logger, 'GET', '/cats').protection.kind).toBe('none');
    expect(row(logger, 'GET', '/cats').protection.app.mechanisms.map((m) => m.verdict)).toEqual(['other', 'other']);
  });
});
