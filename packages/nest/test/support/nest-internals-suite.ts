/**
 * The checks of `src/nest-internals.ts`, run against whichever NestJS packages are passed in: NestJS 12
 * (test/nest-internals.test.ts) and NestJS 11 (test/interop/nest-internals.test.ts at the repository
 * root, through aliased packages). Nothing here imports a Nest package itself.
 */
import { describe, expect, it } from 'vitest';
import {
  EXPRESS_PARSER_NAMES,
  NEST_METADATA,
  applicationConfigOf,
  applicationConfigOfApp,
  hostModuleOf,
  markFastifyParsersRegistered,
  modulePathOf,
  throttleDecorators,
  throttlerNamesOn,
  wholeBodyArgument,
} from '../../src/nest-internals.js';

type Any = any;

/** The NestJS packages of one major version. */
export interface NestPackages {
  major: number;
  common: Any;
  core: Any;
  express: { ExpressAdapter: new () => Any };
  fastify: { FastifyAdapter: new () => Any };
  throttler: { Throttle: (options: Any) => Any; SkipThrottle: (options?: Any) => Any };
}

export function describeNestInternals(nest: NestPackages): void {
  const { common, core, throttler } = nest;
  const { Controller, Get, Post, Version, Body, Param, Module, Injectable, RequestMethod, VersioningType } = common;

  class Trim {
    transform(value: unknown) {
      return value;
    }
  }

  @Controller('orders')
  @throttler.SkipThrottle()
  class OrdersController {
    @Get(':id')
    @Version('2')
    @throttler.Throttle({ default: { limit: 5, ttl: 1000 }, burst: { limit: 2, ttl: 100 } })
    findOne(@Param('id') id: string) {
      return { id };
    }

    @Post()
    create(@Param('x') _x: string, @Body(new Trim()) body: unknown) {
      return body;
    }

    @Post('field')
    field(@Body('name') name: string) {
      return name;
    }
  }

  @Injectable()
  class Probe {
    constructor(
      readonly moduleRef: InstanceType<typeof core.ModuleRef>,
      readonly modules: InstanceType<typeof core.ModulesContainer>,
      readonly discovery: InstanceType<typeof core.DiscoveryService>,
    ) {}
  }
  Reflect.defineMetadata('design:paramtypes', [core.ModuleRef, core.ModulesContainer, core.DiscoveryService], Probe);

  @Module({ controllers: [OrdersController] })
  class AdminModule {}

  @Module({ imports: [AdminModule, core.DiscoveryModule, core.RouterModule.register([{ path: 'admin', module: AdminModule }])], providers: [Probe] })
  class AppModule {}

  describe(`nest-internals against NestJS ${nest.major}`, () => {
    it('reads route metadata written by @Controller, @Get, @Post and @Version', () => {
      const handler = OrdersController.prototype.findOne;
      expect(Reflect.getMetadata(NEST_METADATA.path, OrdersController)).toBe('orders');
      expect(Reflect.getMetadata(NEST_METADATA.path, handler)).toBe(':id');
      expect(Reflect.getMetadata(NEST_METADATA.method, handler)).toBe(RequestMethod.GET);
      expect(Reflect.getMetadata(NEST_METADATA.method, OrdersController.prototype.create)).toBe(RequestMethod.POST);
      expect(Reflect.getMetadata(NEST_METADATA.version, handler)).toBe('2');
    });

    it("finds the whole-body @Body() argument and its pipes, not @Body('field')", () => {
      const arg = wholeBodyArgument(OrdersController, 'create');
      expect(arg?.index).toBe(1);
      expect(arg?.pipes).toHaveLength(1);
      expect(arg?.pipes[0]).toBeInstanceOf(Trim);
      expect(wholeBodyArgument(OrdersController, 'field')).toBeUndefined();
      expect(wholeBodyArgument(OrdersController, 'findOne')).toBeUndefined();
    });

    it('reads @Throttle() and @SkipThrottle() per throttler, method before class', () => {
      const handler = OrdersController.prototype.findOne;
      expect(throttleDecorators(handler, OrdersController, 'default')).toEqual({ skip: true, limit: 5, ttl: 1000, blockDuration: undefined });
      expect(throttleDecorators(handler, OrdersController, 'burst')).toMatchObject({ limit: 2, ttl: 100 });
      expect(throttleDecorators(OrdersController.prototype.create, OrdersController, 'default')).toEqual({ skip: true, limit: undefined, ttl: undefined, blockDuration: undefined });
      expect(throttlerNamesOn(handler).sort()).toEqual(['burst', 'default']);
      expect(throttlerNamesOn(OrdersController)).toEqual(['default']);
    });

    it('reaches the application config, the RouterModule path and the host module of a controller', async () => {
      const app = await core.NestFactory.create(AppModule, new nest.express.ExpressAdapter(), { logger: false });
      try {
        app.setGlobalPrefix('api');
        app.enableVersioning({ type: VersioningType.URI });
        const pipe = new Trim();
        app.useGlobalPipes(pipe);
        const probe = app.get(Probe);
        const config = applicationConfigOf(probe.moduleRef);
        expect(config?.getGlobalPrefix?.()).toBe('api');
        expect(config?.getVersioning?.()).toMatchObject({ type: VersioningType.URI });
        expect(config?.getGlobalPipes?.()).toContain(pipe);
        expect(modulePathOf(probe.modules, AdminModule)).toBe('/admin');
        const wrapper = probe.discovery.getControllers().find((w: Any) => w.metatype === OrdersController);
        expect(hostModuleOf(wrapper)).toBe(AdminModule);
      } finally {
        await app.close();
      }
    });

    it("reaches the app's global guards, the root module's first, as the live array Nest runs", async () => {
      @Injectable()
      class RootGuard {
        canActivate() {
          return true;
        }
      }
      @Injectable()
      class ImportedGuard {
        canActivate() {
          return true;
        }
      }
      @Module({ providers: [{ provide: core.APP_GUARD, useClass: ImportedGuard }] })
      class GuardedModule {}
      @Module({ imports: [GuardedModule], providers: [{ provide: core.APP_GUARD, useClass: RootGuard }] })
      class GuardedApp {}
      const app = await core.NestFactory.create(GuardedApp, new nest.express.ExpressAdapter(), { logger: false });
      try {
        const guards = applicationConfigOfApp(app)?.getGlobalGuards?.();
        expect(guards?.map((g) => (g as object).constructor)).toEqual([RootGuard, ImportedGuard]);
        expect(applicationConfigOfApp(app)?.getGlobalGuards?.()).toBe(guards);
      } finally {
        await app.close();
      }
    });

    it("keeps Nest's Express adapter from adding its body parsers when middleware carries their names", async () => {
      const app = await core.NestFactory.create(AppModule, new nest.express.ExpressAdapter(), { logger: false });
      try {
        const ours = Object.assign(Object.defineProperty((_req: unknown, _res: unknown, next: () => void) => next(), 'name', { value: EXPRESS_PARSER_NAMES.json }), { bastion: true });
        const form = Object.assign(Object.defineProperty((_req: unknown, _res: unknown, next: () => void) => next(), 'name', { value: EXPRESS_PARSER_NAMES.urlencoded }), { bastion: true });
        app.use(ours);
        app.use(form);
        await app.init();
        const instance = app.getHttpAdapter().getInstance();
        const stack: Any[] = (instance.router ?? instance._router).stack;
        const parsers = stack.filter((layer) => Object.values(EXPRESS_PARSER_NAMES).includes(layer.handle?.name));
        expect(parsers).toHaveLength(2);
        expect(parsers.every((layer) => layer.handle.bastion === true)).toBe(true);
      } finally {
        await app.close();
      }
    });

    it("keeps Nest's Fastify adapter from adding a second JSON parser once Bastion's are registered", async () => {
      const adapter = new nest.fastify.FastifyAdapter();
      const app = await core.NestFactory.create(AppModule, adapter, { logger: false, abortOnError: false });
      try {
        adapter.useBodyParser(['application/json', 'text/plain', 'application/x-www-form-urlencoded', '*'], true, { bodyLimit: 1024 }, (_req: unknown, body: Buffer, done: (e: unknown, b?: unknown) => void) => done(null, body));
        markFastifyParsersRegistered(adapter);
        // What Nest checks before adding its own parsers: the '*' parser (12) or the private flag (11).
        expect(typeof adapter.hasCustomBodyParser === 'function' ? adapter.hasCustomBodyParser('application/json') : adapter._isParserRegistered).toBe(true);
        await expect(app.init()).resolves.toBe(app);
      } finally {
        await app.close().catch(() => undefined);
      }
    });
  });
}
