import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { diagnose, STRICT_OPTIONS, stubFiles } from '../../packages/codemod/test/helpers/typecheck.js';
import { adoptionSources } from '../../test/support/adoption-fixtures.js';
import { changed, nestApp, runner, snapshot } from './support.js';

const DOCS_SECRET = 'DO NOT USE THIS VALUE. INSTEAD, CREATE A COMPLEX SECRET AND KEEP IT SAFE OUTSIDE OF THE SOURCE CODE.';

/** A `nest new` app with one of the adoption fixtures' sources over it (ESM, or CommonJS on NestJS 11). */
function fixtureApp(name: string, esm = true) {
  const tree = nestApp(esm ? {} : { esm: false, nestMajor: 11, runner: 'jest' });
  for (const [file, text] of adoptionSources(name)) {
    const path = `src/${file}`;
    const source = esm ? text : text.replace(/(from '\.{1,2}\/[^']*)\.js'/g, "$1'");
    if (tree.exists(path)) tree.overwrite(path, source);
    else tree.create(path, source);
  }
  const pkg = JSON.parse(tree.readText('package.json'));
  Object.assign(pkg.dependencies, { '@nestjs/jwt': '^11.0.0', '@nestjs/passport': '^11.0.0', '@nestjs/config': '^4.0.0', passport: '^0.7.0', 'passport-jwt': '^4.0.1', 'passport-local': '^1.0.0' });
  tree.overwrite('package.json', JSON.stringify(pkg, null, 2) + '\n');
  return tree;
}

/** The window `init` sets today (the test may straddle midnight UTC). */
function windowEnds(): string[] {
  return [0, 1].map((d) => {
    const now = new Date(Date.now() + d * 60_000);
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 30)).toISOString().replace('.000Z', 'Z');
  });
}

/** Type-checks the app's sources after init with the stub packages (Nest, passport, @nestjs/config, @bastion/nest). */
function typecheck(files: Record<string, string>): string[] {
  const all = stubFiles();
  for (const [path, text] of Object.entries(files)) if (path.startsWith('src/') && path.endsWith('.ts')) all.set(`/app/${path}`, text);
  // The docs recipe destructures `password` away without using it.
  return diagnose(ts, all, { ...STRICT_OPTIONS, noUnusedLocals: false });
}

/** An API-key strategy (passport-headerapikey, header `X-Api-Key`) guarding one controller. */
const API_KEY_FILES: Record<string, string> = {
  'src/api-key.strategy.ts': "import { Injectable } from '@nestjs/common';\nimport { PassportStrategy } from '@nestjs/passport';\nimport { HeaderAPIKeyStrategy } from 'passport-headerapikey';\n\n@Injectable()\nexport class ApiKeyStrategy extends PassportStrategy(HeaderAPIKeyStrategy, 'api-key') {\n  constructor() {\n    super({ header: 'X-Api-Key', prefix: '' }, false);\n  }\n\n  validate(key: string) {\n    return key === process.env.IMPORT_KEY;\n  }\n}\n",
  'src/imports.controller.ts': "import { Controller, Get, UseGuards } from '@nestjs/common';\nimport { AuthGuard } from '@nestjs/passport';\n\n@Controller('imports')\nexport class ImportsController {\n  @UseGuards(AuthGuard('api-key'))\n  @Get()\n  list() {\n    return [];\n  }\n}\n",
};

function withApiKey(name: string) {
  const tree = fixtureApp(name);
  for (const [path, text] of Object.entries(API_KEY_FILES)) tree.create(path, text);
  return tree;
}

describe('init on an app with its own authentication', () => {
  it('the NestJS docs recipe: Bastion verifies the app’s own tokens; the secret written in the source moves to the environment, loudly', async () => {
    const { runner: r, logs } = runner();
    const tree = fixtureApp('docs-recipe');
    const before = snapshot(tree);
    const after = snapshot(await r.runSchematic('init', { skipInstall: true }, tree));
    expect(changed(before, after)).toEqual([
      '.env.example', 'bastion.json', 'package.json', 'src/app.controller.ts', 'src/app.module.ts', 'src/auth/auth.module.ts', 'src/auth/constants.ts', 'src/bastion.config.ts', 'src/main.ts',
    ]);
    const until = windowEnds().map((u) => `until: '${u}'`);
    expect(until.some((u) => after['src/bastion.config.ts']!.includes(u))).toBe(true);
    expect(after['src/bastion.config.ts']!.replace(/until: '[^']+'/, "until: '(30 days)'")).toBe(`import type { ConfigService } from '@nestjs/config';
import type { BastionOptions } from '@bastion/nest';

/** \`iss\` of the tokens this app signs (its sign options set it; Bastion requires it). Changing it invalidates the tokens already out. */
export const TOKEN_ISSUER = 'shop';

/** \`aud\` of the tokens this app signs (its sign options set it; Bastion requires it). */
export const TOKEN_AUDIENCE = 'shop-api';

/**
 * Bastion verifies the tokens this app signs itself (@nestjs/jwt, HS256) with the same secret, read from
 * the same place the app reads it: JWT_SECRET. The app does not start without it.
 */
export function bastionOptions(_config: ConfigService): BastionOptions {
  const key = process.env.JWT_SECRET;
  if (!key) throw new Error('Bastion: JWT_SECRET is not set (the secret the app signs its tokens with)');
  return {
    jwt: {
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      secret: key,
      algorithms: ['HS256'],
      // The app signs \`sub\` as a number (a numeric user id).
      claims: { acceptNumericSubject: true },
      // Tokens signed before their sign options set iss and aud: accepted until then, each acceptance audited (token.legacy_accepted).
      legacy: { acceptMissing: ['iss', 'aud'], until: '(30 days)' },
    },
  };
}
`);
    expect(after['src/auth/constants.ts']).toBe('export const jwtConstants = {\n  secret: process.env.JWT_SECRET as string,\n};\n');
    expect(after['src/auth/auth.module.ts']).toContain("signOptions: { expiresIn: '60s', issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE },");
    expect(after['src/auth/auth.module.ts']).toContain("import { TOKEN_ISSUER, TOKEN_AUDIENCE } from '../bastion.config.js';");
    expect(after['src/app.controller.ts']).toContain("  @Post('auth/login')\n  @Public()\n");
    expect(after['src/app.controller.ts']).toContain("  @Get('profile')\n  @Authenticated()\n");
    expect(after['src/app.controller.ts']).toContain("  @Get('health')\n  @Public()\n");
    expect(JSON.parse(after['bastion.json']!)).toMatchObject({ tokensCarryScopes: false, migrationWindowDays: 30 });
    expect(after['.env.example']).toContain('\nJWT_SECRET=\n');
    expect(after['.env.example']).not.toContain('JWT_JWKS_URI');
    const log = logs.join('\n');
    expect(log).toContain("warn: !!! THE JWT SECRET WAS WRITTEN IN THE SOURCE (src/auth/constants.ts:2): it is now read from process.env.JWT_SECRET.");
    expect(log).toContain("passport strategy 'local' = LocalStrategy (passport-local (username and password), src/auth/local.strategy.ts:6)");
    expect(log).toContain('JwtModule.register (src/auth/auth.module.ts:14) signs them');
    expect(log).toMatch(/Route decisions \(3; every caller keeps its access\):\n {2}- POST \/auth\/login \(AppController\.login, src\/app\.controller\.ts:\d+\): authenticated by LocalAuthGuard \(method\) → public by design: login entry point/);
    for (const text of [log, ...Object.values(after)]) expect(text).not.toContain(DOCS_SECRET);
    expect(typecheck(after)).toEqual([]);
  });

  it('the docs’ global-guard variant: the app’s own @Public() routes stay public, the rest is @Authenticated(); Bastion’s Public is aliased', async () => {
    const { runner: r } = runner();
    const out = snapshot(await r.runSchematic('init', { skipInstall: true }, fixtureApp('docs-global-guard')));
    const controller = out['src/app.controller.ts']!;
    expect(controller).toContain("import { Public as BastionPublic, Authenticated } from '@bastion/nest';");
    expect(controller).toContain("  @Public()\n  @UseGuards(LocalAuthGuard)\n  @Post('auth/login')\n  @BastionPublic()\n");
    expect(controller).toContain("  @Get('profile')\n  @Authenticated()\n");
    expect(controller).toContain("  @Public()\n  @Get('health')\n  @BastionPublic()\n");
    expect(typecheck(out)).toEqual([]);
  });

  it('an existing CommonJS NestJS 11 app (ConfigService secrets, refresh strategy, class guards, webhook): every route decided, same callers', async () => {
    const { runner: r, logs } = runner();
    const out = snapshot(await r.runSchematic('init', { skipInstall: true }, fixtureApp('existing-app', false)));
    const config = out['src/bastion.config.ts']!;
    expect(config).toContain('export function bastionOptions(config: ConfigService): BastionOptions {');
    expect(config).toContain("  const key = config.get<string>('JWT_SECRET');");
    expect(config).toContain("throw new Error('Bastion: ConfigService key \\'JWT_SECRET\\' is not set");
    expect(config).toContain('    tokens: { maxLifetime: 86400 },');
    expect(out['src/auth/auth.module.ts']).toContain("import { TOKEN_ISSUER, TOKEN_AUDIENCE } from '../bastion.config';");
    expect(out['src/auth/auth.module.ts']).toContain("signOptions: { expiresIn: '1d', issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE },");
    expect(out['src/auth/auth.controller.ts']).toContain("  @Post('login')\n  @Public()\n");
    expect(out['src/auth/auth.controller.ts']).toContain("  @Post('refresh')\n  @Public({ ownCredential: true })\n");
    expect(out['src/admin/admin.controller.ts']).toContain("  @Get('stats')\n  @Authenticated()\n");
    expect(out['src/admin/admin.controller.ts']).toContain("  @Post('reindex')\n  @Authenticated()\n");
    expect(out['src/webhooks/webhooks.controller.ts']).toContain('  @HttpCode(204)\n  @Public()\n');
    expect(out['src/health/health.controller.ts']).toContain('  @Get()\n  @Public()\n');
    expect(out['src/articles/articles.controller.ts']).toContain('  @Get()\n  @Public({ baseline: true })\n');
    expect(out['src/users/users.controller.ts']).toContain("  @Get('me')\n  @Authenticated()\n");
    expect(out['.env.example'] ?? '').not.toContain('JWT_JWKS_URI');
    expect(logs.join('\n')).toContain("ConfigService key 'JWT_SECRET' must hold at least 32 bytes: Bastion refuses a shorter HS256 secret at boot");
    expect(typecheck(out)).toEqual([]);
  });

  it('an API-key passport strategy: wired as passportAuthenticator in bastion.config.ts, its route @Authenticated(), printed; a second run changes nothing', async () => {
    const { runner: r, logs } = runner();
    const once = await r.runSchematic('init', { skipInstall: true }, withApiKey('docs-recipe'));
    const out = snapshot(once);
    const config = out['src/bastion.config.ts']!;
    expect(config).toContain("import { defaultPassportPrincipal, passportAuthenticator, type BastionOptions } from '@bastion/nest';");
    expect(config).toContain("    authenticators: [\n      passportAuthenticator('api-key', {\n        isPresented: { header: 'x-api-key' },\n");
    expect(out['src/imports.controller.ts']).toContain("  @UseGuards(AuthGuard('api-key'))\n  @Get()\n  @Authenticated()\n");
    expect(logs.join('\n')).toMatch(/src\/bastion\.config\.ts: authenticators: passportAuthenticator\('api-key'\) \(src\/api-key\.strategy\.ts:\d+\), its credential in X-Api-Key/);
    expect(typecheck(out)).toEqual([]);
    expect(snapshot(await runner().runner.runSchematic('init', { skipInstall: true }, once))).toEqual(out);
  });

  it('is idempotent: a second run changes nothing', async () => {
    for (const [name, esm] of [['docs-recipe', true], ['existing-app', false]] as const) {
      const once = await runner().runner.runSchematic('init', { skipInstall: true }, fixtureApp(name, esm));
      const before = snapshot(once);
      const { runner: r2, logs } = runner();
      expect(snapshot(await r2.runSchematic('init', { skipInstall: true }, once))).toEqual(before);
      expect(logs.join('\n')).toContain("Bastion already verifies the app's own tokens");
    }
  });
});
