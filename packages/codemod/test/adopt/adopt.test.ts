import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { adoptAuthentication, type AdoptOptions, type AdoptionResult } from '../../src/adopt/adopt.js';
import { defaultConfig } from '../../src/project/bastion-config.js';
import { retrofitWorkspace } from '../../src/retrofit.js';
import { workspaceOf } from '../helpers/project.js';
import { diagnose, STRICT_OPTIONS, stubFiles } from '../helpers/typecheck.js';

const NOW = new Date('2026-03-10T15:00:00Z');
const LITERAL = 'a-secret-someone-wrote-into-the-source-0123456789';

/** An app: `src/<name>` → text; relative imports without suffix (CommonJS) unless `esm`. */
function adopt(files: Record<string, string>, options: Partial<AdoptOptions> = {}): AdoptionResult {
  return adoptAuthentication({
    files: new Map(Object.entries(files).map(([k, v]) => [`src/${k}`, v])),
    config: defaultConfig(), configFile: 'src/bastion.config.ts', esm: false, issuer: 'shop', audience: 'shop-api', now: NOW, ...options,
  });
}

const LOGIN_CONTROLLER = `import { Controller, Get, Post, Req, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { AuthService } from './auth.service';

@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @UseGuards(AuthGuard('local'))
  @Post('login')
  login(@Req() req: { user: { id: number } }) {
    return this.auth.login(req.user);
  }

  @UseGuards(AuthGuard('jwt'))
  @Get('profile')
  profile(@Req() req: { user: unknown }) {
    return req.user;
  }

  @Get('health')
  health() {
    return 'ok';
  }
}
`;

const LOCAL_STRATEGY = `import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  validate(username: string) {
    return { id: 1, username };
  }
}
`;

const jwtStrategy = (key: string, extra = '') => `import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(config: ConfigService) {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: ${key}${extra} });
    void config;
  }

  validate(payload: { sub: number }) {
    return { id: payload.sub };
  }
}
`;

const authService = (sub: string, signArgs = '') => `import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

@Injectable()
export class AuthService {
  constructor(private readonly jwt: JwtService) {}

  login(user: { id: number; email?: string }) {
    return { access_token: this.jwt.sign({ sub: ${sub} }${signArgs}) };
  }
}
`;

const authModule = (jwtModule: string) => `import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';
import { LocalStrategy } from './local.strategy';

@Module({
  imports: [${jwtModule}],
  controllers: [AuthController],
  providers: [AuthService, JwtStrategy, LocalStrategy, ConfigService],
})
export class AuthModule {}
`;

/** The self-issued HS256 app, its secret from ConfigService, JwtModule.registerAsync. */
const CONFIG_APP = {
  'auth.controller.ts': LOGIN_CONTROLLER,
  'local.strategy.ts': LOCAL_STRATEGY,
  'jwt.strategy.ts': jwtStrategy("config.getOrThrow<string>('JWT_SECRET')"),
  'auth.service.ts': authService('user.id'),
  'auth.module.ts': authModule(`JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({ secret: config.getOrThrow<string>('JWT_SECRET'), signOptions: { expiresIn: '7d' } }),
    })`),
};

/** An API-key strategy (passport-headerapikey) guarding a controller; `AuthGuard('api-key')` at class level. */
const API_KEY_APP = {
  'api-key.strategy.ts': `import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { HeaderAPIKeyStrategy } from 'passport-headerapikey';

@Injectable()
export class ApiKeyStrategy extends PassportStrategy(HeaderAPIKeyStrategy, 'api-key') {
  constructor() {
    super({ header: 'X-Api-Key', prefix: '' }, false);
  }

  validate(key: string) {
    return key === process.env.IMPORT_KEY;
  }
}
`,
  'imports.controller.ts': `import { Controller, Get, Post, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';

@UseGuards(AuthGuard('api-key'))
@Controller('imports')
export class ImportsController {
  @Get()
  list() {
    return [];
  }

  @Post()
  create() {
    return {};
  }
}
`,
};

/** Type-checks the adopted app with the stub packages and the constants `bastion.config.ts` exports. */
function typecheck(result: AdoptionResult, files: Record<string, string>): string[] {
  const all = stubFiles();
  for (const [name, text] of Object.entries(files)) all.set(`/app/src/${name}`, text);
  for (const [path, text] of result.files) all.set(`/app/${path}`, text);
  all.set('/app/src/bastion.config.ts', "export const TOKEN_ISSUER = 'shop';\nexport const TOKEN_AUDIENCE = 'shop-api';\n");
  return diagnose(ts, all, STRICT_OPTIONS);
}

describe('adoptAuthentication: init meets the app’s own authentication', () => {
  it('self-issued HS256 with ConfigService (registerAsync): the same key from the same ConfigService key, issuer/audience in the factory’s signOptions', () => {
    const r = adopt(CONFIG_APP);
    expect(r.localIssuer).toEqual({
      algorithm: 'HS256', keyKind: 'secret', keyCode: "config.get<string>('JWT_SECRET')", keyName: "ConfigService key 'JWT_SECRET'",
      issuer: { code: 'TOKEN_ISSUER', constant: 'shop' }, audience: { code: 'TOKEN_AUDIENCE', constant: 'shop-api' },
      legacy: { acceptMissing: ['iss', 'aud'], until: '2026-04-09T00:00:00Z' },
      acceptNumericSubject: true, maxLifetime: 604_800, usesConfig: true, imports: [],
    });
    expect(r.tokensCarryScopes).toBe(false);
    expect(r.files.get('src/auth.module.ts')).toContain(
      "useFactory: (config: ConfigService) => ({ secret: config.getOrThrow<string>('JWT_SECRET'), signOptions: { expiresIn: '7d', issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE } }),",
    );
    expect(r.files.get('src/auth.module.ts')).toContain("import { TOKEN_ISSUER, TOKEN_AUDIENCE } from './bastion.config';");
    expect(r.detected).toEqual(expect.arrayContaining([
      "strategy 'jwt' = JwtStrategy (src/jwt.strategy.ts:6) verifies access tokens (HS256) with ConfigService key 'JWT_SECRET'",
      'JwtModule.registerAsync useFactory (src/auth.module.ts:10) signs them',
      'sub is a number (user.id, src/auth.service.ts:9)',
    ]));
    expect(r.wrote).toContain("tokens.maxLifetime 604800 s: the app's tokens live longer than Bastion's default of 3600 s (expiresIn at src/auth.module.ts:12)");
    expect(r.routes.map((a) => `${a.method} ${a.path}: ${a.after.split(' (')[0]}`)).toEqual([
      'POST /auth/login: public by design: login entry point',
      'GET /auth/profile: authenticated',
      'GET /auth/health: public by design: health entry point',
    ]);
    expect(r.files.get('src/auth.controller.ts')).toContain("  @Get('profile')\n  @Authenticated()\n");
    expect(typecheck(r, CONFIG_APP)).toEqual([]);
  });

  it('RS256 with a key pair: Bastion gets the public key the strategy verifies with, from the same variable or file', () => {
    const files = {
      ...CONFIG_APP,
      'jwt.strategy.ts': jwtStrategy("readFileSync('keys/jwt.pub.pem', 'utf8')", ", algorithms: ['RS256']").replace("import { Injectable }", "import { readFileSync } from 'node:fs';\nimport { Injectable }"),
      'auth.module.ts': authModule(`JwtModule.register({
      privateKey: process.env.JWT_PRIVATE_KEY,
      signOptions: { algorithm: 'RS256', expiresIn: 900 },
    })`),
    };
    const r = adopt(files);
    expect(r.localIssuer).toMatchObject({ algorithm: 'RS256', keyKind: 'keys', keyCode: "readFileSync('keys/jwt.pub.pem', 'utf8')", imports: ["import { readFileSync } from 'node:fs';"], usesConfig: false });
    expect(r.localIssuer?.maxLifetime).toBeUndefined();
    expect(r.files.get('src/auth.module.ts')).toContain("signOptions: { algorithm: 'RS256', expiresIn: 900, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE },");
    const env = adopt({ ...files, 'jwt.strategy.ts': jwtStrategy('process.env.JWT_PUBLIC_KEY as string', ", algorithms: ['RS256']") });
    expect(env.localIssuer).toMatchObject({ keyKind: 'keys', keyCode: 'process.env.JWT_PUBLIC_KEY', keyName: 'JWT_PUBLIC_KEY' });
    expect(typecheck(r, files)).toEqual([]);
  });

  it('a secret written in the source moves to the environment (every copy of it), loudly, and is never printed', () => {
    const files = {
      ...CONFIG_APP,
      'constants.ts': `export const jwtConstants = {\n  secret: '${LITERAL}',\n};\n`,
      'jwt.strategy.ts': jwtStrategy('jwtConstants.secret').replace("import { Injectable }", "import { jwtConstants } from './constants';\nimport { Injectable }"),
      'auth.module.ts': authModule(`JwtModule.register({ secret: '${LITERAL}', signOptions: { expiresIn: '60s' } })`),
    };
    const r = adopt(files, { esm: true });
    expect(r.movedSecret).toEqual({ env: 'JWT_SECRET', from: ['src/constants.ts:2', 'src/auth.module.ts:10'] });
    expect(r.files.get('src/constants.ts')).toBe('export const jwtConstants = {\n  secret: process.env.JWT_SECRET as string,\n};\n');
    expect(r.files.get('src/auth.module.ts')).toContain("JwtModule.register({ secret: process.env.JWT_SECRET as string, signOptions: { expiresIn: '60s', issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE } })");
    expect(r.files.get('src/auth.module.ts')).toContain("from './bastion.config.js';");
    expect(r.localIssuer).toMatchObject({ keyCode: 'process.env.JWT_SECRET', keyName: 'JWT_SECRET' });
    expect(r.loud[0]).toMatch(/^THE JWT SECRET WAS WRITTEN IN THE SOURCE \(src\/constants\.ts:2, src\/auth\.module\.ts:10\): it is now read from process\.env\.JWT_SECRET\. Set JWT_SECRET to a NEW random secret of at least 32 bytes/);
    const { files: changed, ...report } = r;
    expect(JSON.stringify(report)).not.toContain(LITERAL);
    for (const text of changed.values()) expect(text).not.toContain(LITERAL);
    // A name the app already uses is not taken.
    expect(adopt({ ...files, 'other.ts': 'export const x = process.env.JWT_SECRET;\n' }).movedSecret?.env).toBe('JWT_ACCESS_SECRET');
  });

  it('numeric subjects: a number or an any-typed id accepts them; a string id does not', () => {
    expect(adopt(CONFIG_APP).localIssuer?.acceptNumericSubject).toBe(true);
    expect(adopt({ ...CONFIG_APP, 'auth.service.ts': authService('String(user.id)') }).localIssuer?.acceptNumericSubject).toBe(false);
    expect(adopt({ ...CONFIG_APP, 'auth.service.ts': authService('user.email ?? ""') }).localIssuer?.acceptNumericSubject).toBe(false);
    const anyId = adopt({ ...CONFIG_APP, 'auth.service.ts': authService('user.id').replace('user: { id: number; email?: string }', 'user: any') });
    expect(anyId.localIssuer?.acceptNumericSubject).toBe(true);
    expect(anyId.wrote).toContain('claims.acceptNumericSubject: sub is user.id, typed any: it may be a numeric id (src/auth.service.ts:9)');
  });

  it('expiresIn: a sign() call’s own overrides the module’s; the longest sets tokens.maxLifetime; one read at runtime is reported', () => {
    const withCall = (args: string) => adopt({ ...CONFIG_APP, 'auth.service.ts': authService('user.id', args) });
    expect(withCall(", { expiresIn: '30m' }").localIssuer?.maxLifetime).toBeUndefined();
    expect(withCall(', { expiresIn: 60 * 60 * 12 }').localIssuer?.maxLifetime).toBe(43_200);
    const runtime = adopt({ ...CONFIG_APP, 'auth.module.ts': CONFIG_APP['auth.module.ts'].replace("expiresIn: '7d'", "expiresIn: config.get('JWT_TTL')") });
    expect(runtime.localIssuer?.maxLifetime).toBeUndefined();
    expect(runtime.todo).toContain("expiresIn config.get('JWT_TTL') (src/auth.module.ts:12) is read at runtime: if tokens live longer than 3600 s, set tokens.maxLifetime in src/bastion.config.ts to at least that");
    const never = adopt({ ...CONFIG_APP, 'auth.module.ts': CONFIG_APP['auth.module.ts'].replace(", signOptions: { expiresIn: '7d' }", '') });
    expect(never.localIssuer).toBeUndefined();
    expect(never.todo[0]).toMatch(/sign tokens without expiresIn: they never expire, and Bastion refuses a token without exp/);
    expect(never.files.get('src/auth.controller.ts')).toContain("  @Get('profile')\n  @Public({ baseline: true })\n");
  });

  it('issuer and audience the app already signs are read from where it reads them: no window for them', () => {
    const r = adopt({ ...CONFIG_APP, 'auth.module.ts': CONFIG_APP['auth.module.ts'].replace("expiresIn: '7d'", "expiresIn: '7d', issuer: config.get('JWT_ISSUER'), audience: 'shop-api'") });
    expect(r.localIssuer).toMatchObject({ issuer: { code: "config.get<string>('JWT_ISSUER')" }, audience: { code: 'TOKEN_AUDIENCE', constant: 'shop-api' } });
    expect(r.localIssuer?.legacy).toBeUndefined();
    expect([...r.files.keys()]).toEqual(['src/auth.controller.ts']);
  });

  it('auth middleware verifying the app’s own tokens (consumer.apply().forRoutes()) is taken over like a guard', () => {
    const r = adopt({
      'auth.middleware.ts': `import { Injectable, NestMiddleware, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

@Injectable()
export class AuthMiddleware implements NestMiddleware {
  constructor(private readonly jwt: JwtService) {}

  use(req: { headers: Record<string, string | undefined>; user?: unknown }, _res: unknown, next: () => void) {
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    if (!token) throw new UnauthorizedException();
    req.user = this.jwt.verify(token);
    next();
  }
}
`,
      'auth.service.ts': authService('user.id', ", { expiresIn: '15m' }"),
      'app.module.ts': `import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AuthMiddleware } from './auth.middleware';
import { UsersController } from './users.controller';

@Module({ imports: [JwtModule.register({ secret: process.env.APP_JWT_SECRET })], controllers: [UsersController] })
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(AuthMiddleware).forRoutes('users');
  }
}
`,
      'users.controller.ts': "import { Controller, Get } from '@nestjs/common';\n\n@Controller('users')\nexport class UsersController {\n  @Get('me')\n  me() {}\n}\n",
    });
    expect(r.detected).toContain('middleware AuthMiddleware (src/auth.middleware.ts:11) verifies access tokens (HS256) with process.env.APP_JWT_SECRET');
    expect(r.localIssuer).toMatchObject({ keyCode: 'process.env.APP_JWT_SECRET', keyName: 'APP_JWT_SECRET' });
    expect(r.files.get('src/app.module.ts')).toContain('JwtModule.register({ secret: process.env.APP_JWT_SECRET, signOptions: { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE } })');
    expect(r.files.get('src/users.controller.ts')).toContain("  @Get('me')\n  @Authenticated()\n");
  });

  it('an app without authentication: no local issuer, every route keeps its callers under a baseline marker', () => {
    const r = adopt({ 'orders.controller.ts': "import { Controller, Get, Post } from '@nestjs/common';\n\n@Controller('orders')\nexport class OrdersController {\n  @Get()\n  list() {}\n\n  @Post()\n  create() {}\n}\n" });
    expect(r.localIssuer).toBeUndefined();
    expect(r.tokensCarryScopes).toBeUndefined();
    expect(r.detected).toEqual([]);
    expect(r.todo).toEqual([]);
    expect(r.routes.map((a) => `${a.method} ${a.path}: ${a.after}`)).toEqual(['GET /orders: baseline-public (unchanged)', 'POST /orders: baseline-public (unchanged)']);
  });

  it('sessions and passport-local only: login becomes @Public(); what the session protects keeps its callers, for a person to decide', () => {
    const r = adopt({
      'local.strategy.ts': LOCAL_STRATEGY,
      'session.guard.ts': "import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';\n\n@Injectable()\nexport class SessionGuard implements CanActivate {\n  canActivate(context: ExecutionContext) {\n    return context.switchToHttp().getRequest().isAuthenticated();\n  }\n}\n",
      'account.controller.ts': "import { Controller, Get, Post, UseGuards } from '@nestjs/common';\nimport { AuthGuard } from '@nestjs/passport';\nimport { SessionGuard } from './session.guard';\n\n@Controller('account')\nexport class AccountController {\n  @UseGuards(AuthGuard('local'))\n  @Post('login')\n  login() {}\n\n  @UseGuards(SessionGuard)\n  @Get()\n  show() {}\n}\n",
    });
    expect(r.localIssuer).toBeUndefined();
    expect(r.tokensCarryScopes).toBeUndefined();
    expect(r.files.get('src/account.controller.ts')).toContain("  @Post('login')\n  @Public()\n");
    expect(r.files.get('src/account.controller.ts')).toContain('  @Get()\n  @Public({ baseline: true })\n');
    expect(r.todo).toEqual([expect.stringMatching(/^src\/account\.controller\.ts:\d+: AccountController\.show: authenticated by SessionGuard with a session cookie, which Bastion does not verify/)]);
  });

  it('tokens from an identity provider (secretOrKeyProvider): nothing wired, their routes keep a baseline marker and the reason', () => {
    const r = adopt({ ...CONFIG_APP, 'jwt.strategy.ts': jwtStrategy('undefined', ", secretOrKeyProvider: (_r: unknown, _t: unknown, done: (e: null, k: string) => void) => done(null, 'k')") });
    expect(r.localIssuer).toBeUndefined();
    expect(r.todo[0]).toMatch(/^strategy 'jwt' = JwtStrategy \(src\/jwt\.strategy\.ts:6\) takes its keys from secretOrKeyProvider/);
    expect(r.files.get('src/auth.controller.ts')).toContain("  @Get('profile')\n  @Public({ baseline: true })\n");
    expect(r.todo).toContainEqual(expect.stringMatching(/AuthController\.profile: authenticated by AuthGuard\('jwt'\) \(method\) with tokens Bastion does not verify yet/));
  });

  it('a strategy reading the token from a cookie is not taken over (Bastion reads Authorization only)', () => {
    const cookie = jwtStrategy("config.getOrThrow<string>('JWT_SECRET')").replace('ExtractJwt.fromAuthHeaderAsBearerToken()', "ExtractJwt.fromExtractors([(req: any) => req.cookies?.token ?? null])");
    const r = adopt({ ...CONFIG_APP, 'jwt.strategy.ts': cookie });
    expect(r.localIssuer).toBeUndefined();
    expect(r.todo[0]).toMatch(/reads its token from ExtractJwt\.fromExtractors.*Bastion reads access tokens from Authorization: Bearer only/);
  });

  it('retrofit on its own warns before scoping an app that signs its own tokens; with tokensCarryScopes false it writes @Authenticated()', () => {
    const scoped = retrofitWorkspace(workspaceOf(CONFIG_APP), { transforms: ['scopes'], dryRun: true });
    expect(scoped.accessChanges.find((a) => a.path === '/auth/profile')?.after).toMatch(/^requires scope auth:read/);
    expect(scoped.skipped.map((s) => s.reason)).toContainEqual(expect.stringMatching(/^the app signs its own access tokens \(JwtModule\.registerAsync useFactory\): routes now requiring a scope admit only tokens whose payload carries it/));
    const authenticated = retrofitWorkspace(workspaceOf(CONFIG_APP, { tokensCarryScopes: false }), { transforms: ['scopes'], dryRun: true });
    expect(authenticated.accessChanges.find((a) => a.path === '/auth/profile')?.after).toMatch(/^authenticated/);
    expect(authenticated.skipped.map((s) => s.reason).join('\n')).not.toContain('signs its own access tokens');
  });

  it('an API-key passport strategy: init wires it through passportAuthenticator; its routes get @Authenticated(), login stays public', () => {
    const r = adopt({ ...CONFIG_APP, ...API_KEY_APP });
    expect(r.localIssuer).toBeDefined();
    expect(r.passportAuthenticators.map((p) => [p.strategy, p.presence])).toEqual([['api-key', 'X-Api-Key']]);
    expect(r.wrote).toContainEqual(expect.stringMatching(/^src\/bastion\.config\.ts: authenticators: passportAuthenticator\('api-key'\) \(src\/api-key\.strategy\.ts:\d+\), its credential in X-Api-Key/));
    const imports = r.files.get('src/imports.controller.ts')!;
    expect(imports).toContain("@UseGuards(AuthGuard('api-key'))");
    expect(imports.match(/@Authenticated\(\)/g)).toHaveLength(2);
    expect(imports).not.toContain('baseline');
    expect(r.files.get('src/auth.controller.ts')).toContain("  @Post('login')\n  @Public()\n");
    expect(r.routes.filter((a) => a.path.startsWith('/imports')).map((a) => `${a.method} ${a.path}: ${a.after.split(' (')[0]} ${a.callers}`)).toEqual([
      'GET /imports: authenticated same', 'POST /imports: authenticated same',
    ]);
    expect(r.todo.join('\n')).not.toContain('api-key');
    expect(typecheck(r, { ...CONFIG_APP, ...API_KEY_APP })).toEqual([]);
    // The configuration entry compiles against @bastion/nest's types.
    const all = stubFiles();
    all.set('/app/src/bastion.config.ts', `import { defaultPassportPrincipal, passportAuthenticator, type BastionOptions } from '@bastion/nest';\n\nexport const options: BastionOptions = {\n  authenticators: [\n    ${r.passportAuthenticators[0]!.code},\n  ],\n};\n`);
    expect(diagnose(ts, all, STRICT_OPTIONS)).toEqual([]);
    expect(r.passportAuthenticators[0]!.code).toContain("isPresented: { header: 'x-api-key' }");
  });

  it('passport strategies it cannot place are reported, not wired: a custom bearer strategy next to the local issuer, a header read at runtime', () => {
    const runtimeHeader = API_KEY_APP['api-key.strategy.ts'].replace("{ header: 'X-Api-Key', prefix: '' }", "{ header: process.env.KEY_HEADER ?? 'x', prefix: '' }");
    const r = adopt({ ...CONFIG_APP, ...API_KEY_APP, 'api-key.strategy.ts': runtimeHeader });
    expect(r.passportAuthenticators).toEqual([]);
    expect(r.todo).toContainEqual(expect.stringMatching(/^strategy 'api-key' = ApiKeyStrategy \(src\/api-key\.strategy\.ts:\d+\): the header its key travels in is not a literal/));
    expect(r.files.get('src/imports.controller.ts')).toContain('@Public({ baseline: true })');
  });

  it('the configuration exists already: it is not rewritten; the exact entry is a todo line and the routes keep their callers under a baseline marker', () => {
    const r = adopt({ ...API_KEY_APP, 'local.strategy.ts': LOCAL_STRATEGY }, { existingConfig: 'export function bastionOptions() { return {}; }\n' });
    expect(r.passportAuthenticators).toEqual([]);
    expect(r.todo).toContainEqual(expect.stringContaining("src/bastion.config.ts exists and is not rewritten: to let Bastion authenticate the routes api-key guards, import { defaultPassportPrincipal, passportAuthenticator } from '@bastion/nest' and add to its authenticators: passportAuthenticator('api-key', { isPresented: { header: 'x-api-key' },"));
    expect(r.files.get('src/imports.controller.ts')).toContain('@Public({ baseline: true })');
    // Once the entry is added, init run again replaces the markers.
    const entry = r.todo.find((t) => t.includes('passportAuthenticator('))!.replace(/^.*add to its authenticators: /, '');
    const again = adopt({ ...API_KEY_APP, 'local.strategy.ts': LOCAL_STRATEGY, 'imports.controller.ts': r.files.get('src/imports.controller.ts')! }, { existingConfig: `export const a = [${entry}];\n` });
    expect(again.files.get('src/imports.controller.ts')!.match(/@Authenticated\(\)/g)).toHaveLength(2);
    expect(again.files.get('src/imports.controller.ts')).not.toContain('baseline');
  });

  it('is idempotent with a passport strategy wired: run again with the configuration it wrote, it changes nothing', () => {
    const first = adopt(API_KEY_APP);
    expect(first.passportAuthenticators).toHaveLength(1);
    const again = adopt(Object.fromEntries([...Object.entries(API_KEY_APP), ...[...first.files].map(([k, v]) => [k.slice(4), v])]), {
      existingConfig: `export const a = [${first.passportAuthenticators[0]!.code}];\n`,
    });
    expect([...again.files.keys()]).toEqual([]);
    expect(again.routes).toEqual([]);
    expect(again.todo).toEqual([]);
    expect(again.wrote).toEqual([]);
  });

  it('is idempotent: run again on its own output (with the configuration written), it changes nothing', () => {
    const first = adopt(CONFIG_APP);
    const again = adopt({ ...CONFIG_APP, ...Object.fromEntries([...first.files].map(([k, v]) => [k.slice(4), v])) }, {
      existingConfig: "export function bastionOptions() { return { jwt: { issuer: 'shop', audience: 'shop-api', secret: 'x' } }; }\n",
      statedTokensCarryScopes: false,
    });
    expect(again.alreadyWired).toBe(true);
    expect([...again.files.keys()]).toEqual([]);
    expect(again.routes).toEqual([]);
  });
});
