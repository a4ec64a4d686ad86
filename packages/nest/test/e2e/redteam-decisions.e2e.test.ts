import { Controller, Get, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, configureBastion, Boundary, Public, RequireScopes, RouteSecurityError } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ServiceKeyAuthenticator } from '../support/service-key.authenticator.js';
import { ADAPTERS, type AdapterName } from '../support/app.js';

/** A class-level @Public() with a method that explicitly asks for a principal: the method is more specific. */
@Controller('docs')
@Public()
class DocsController {
  @Get()
  index() {
    return { page: 'index' };
  }

  @Get('drafts')
  @Authenticated()
  drafts() {
    return { secret: 'drafts' };
  }
}

/** @Public() and @Authenticated() on the same method contradict each other. */
@Controller('both')
class BothController {
  @Get()
  @Public()
  @Authenticated()
  both() {
    return { secret: 'both' };
  }
}

@Controller('ops')
@Boundary('internal')
@Authenticated()
class OpsController {
  @Get('status')
  @Public()
  status() {
    return { ok: true };
  }

  @Get('secret')
  secret() {
    return { secret: 'ops' };
  }
}

async function outcome(controllers: Type<unknown>[], adapter: AdapterName, issuer: TestIssuer): Promise<Error | Record<string, number>> {
  @Module({
    imports: [
      BastionModule.forRoot({
        jwt: issuer.options(),
        bruteForce: { enabled: false },
        strict: false,
        authenticators: [new ServiceKeyAuthenticator()],
        boundaries: { public: { accept: ['jwt'] }, internal: { accept: ['service-key'] } },
        defaultBoundary: 'public',
      }),
    ],
    controllers,
  })
  class AppModule {}
  const app = await NestFactory.create(AppModule, adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false, abortOnError: false });
  configureBastion(app);
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close().catch(() => undefined);
    return error as Error;
  }
  const { port } = app.getHttpServer().address() as { port: number };
  const statuses: Record<string, number> = {};
  for (const path of ['/docs', '/docs/drafts', '/both', '/ops/status', '/ops/secret']) statuses[path] = (await fetch(`http://127.0.0.1:${port}${path}`)).status;
  await app.close();
  return statuses;
}

describe.each(ADAPTERS)('red team: contradictory access decisions (%s)', (adapter) => {
  it('class @Public() with a method @Authenticated() never serves that method anonymously (refused at boot)', async () => {
    const issuer = await TestIssuer.start();
    try {
      const result = await outcome([DocsController], adapter, issuer);
      expect(result).toBeInstanceOf(RouteSecurityError);
      expect((result as Error).message).toContain('DocsController.drafts (GET /docs/drafts): @Public() cannot be combined with @Authenticated()');
      expect((result as Error).message).not.toContain('DocsController.index');
    } finally {
      await issuer.close();
    }
  });

  it('@Public() and @Authenticated() on one method are refused at boot, even with strict: false', async () => {
    const issuer = await TestIssuer.start();
    try {
      const result = await outcome([BothController], adapter, issuer);
      expect(result).toBeInstanceOf(RouteSecurityError);
      expect((result as Error).message).toContain('BothController.both (GET /both): @Public() cannot be combined with @Authenticated()');
    } finally {
      await issuer.close();
    }
  });

  it('a method @Public() in an @Authenticated() internal controller opts out that one route only', async () => {
    const issuer = await TestIssuer.start();
    try {
      expect(await outcome([OpsController], adapter, issuer)).toMatchObject({ '/ops/status': 200, '/ops/secret': 401 });
    } finally {
      await issuer.close();
    }
  });
});

describe.each(ADAPTERS)('red team: class @Public() with scoped methods (%s)', (adapter) => {
  it('is refused at boot rather than served open', async () => {
    @Controller('reports')
    @Public()
    class ReportsController {
      @Get()
      @RequireScopes('reports:read')
      list() {
        return { secret: 'reports' };
      }
    }
    const issuer = await TestIssuer.start();
    try {
      const result = await outcome([ReportsController], adapter, issuer);
      expect(result).toBeInstanceOf(RouteSecurityError);
      expect((result as Error).message).toContain('ReportsController.list (GET /reports): @Public() cannot be combined with scopes, roles or policies');
    } finally {
      await issuer.close();
    }
  });
});

