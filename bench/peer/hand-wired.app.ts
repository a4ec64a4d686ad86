/**
 * The stack a careful team wires by hand, configured as the NestJS docs show: `@nestjs/passport` with
 * `passport-jwt` and `jwks-rsa` (key cache and rate limit on, as in the jwks-rsa README), a global
 * `JwtAuthGuard` with a `@Public()` opt-out (docs: "Enable authentication globally"), `helmet`
 * (Express) or `@fastify/helmet` (Fastify), a global `ValidationPipe` and `@nestjs/throttler` as a
 * global guard, its limit high enough never to trigger.
 */
import { ExecutionContext, Inject, Injectable, Module, SetMetadata, ValidationPipe, type INestApplication } from '@nestjs/common';
import { APP_GUARD, NestFactory, Reflector } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import fastifyHelmet from '@fastify/helmet';
import helmet from 'helmet';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { Adapter, PeerJwt } from './apps.js';
import { itemsController } from './items.js';

const IS_PUBLIC_KEY = 'isPublic';
const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
const JWT_CONFIG = Symbol('JWT_CONFIG');

@Injectable()
class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(@Inject(JWT_CONFIG) jwt: PeerJwt) {
    super({
      secretOrKeyProvider: passportJwtSecret({ cache: true, rateLimit: true, jwksRequestsPerMinute: 5, jwksUri: jwt.jwksUri }),
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      issuer: jwt.issuer,
      audience: jwt.audience,
      algorithms: ['RS256', 'ES256'],
    });
  }

  validate(payload: { sub: string; scope?: string }) {
    return { userId: payload.sub, scope: payload.scope };
  }
}

@Injectable()
class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    return super.canActivate(context);
  }
}

/**
 * `ttl` of the throttler, ms (the docs' 60,000 by default). Its default storage walks every hit of the
 * tracker within `ttl` on each request, so with one load generator (one tracker) a shorter window makes
 * that walk shorter; `peer.ts --throttler-ttl` sets it.
 */
export async function createHandWiredApp(adapter: Adapter, jwt: PeerJwt, throttlerTtl = 60_000): Promise<INestApplication> {
  @Module({
    imports: [PassportModule, ThrottlerModule.forRoot({ throttlers: [{ ttl: throttlerTtl, limit: 1_000_000_000 }] })],
    controllers: [itemsController({ open: [Public()] })],
    providers: [
      { provide: JWT_CONFIG, useValue: jwt },
      JwtStrategy,
      { provide: APP_GUARD, useClass: ThrottlerGuard },
      { provide: APP_GUARD, useClass: JwtAuthGuard },
    ],
  })
  class HandWiredModule {}

  if (adapter === 'express') {
    const app = await NestFactory.create(HandWiredModule, new ExpressAdapter(), { logger: false });
    app.use(helmet());
    app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
    return app;
  }
  const app = await NestFactory.create<NestFastifyApplication>(HandWiredModule, new FastifyAdapter(), { logger: false });
  // The plugin's types come from whichever `fastify` the workspace hoists (the NestJS 11 cross suite brings an
  // older one); at run time it is a plain plugin function for the app's own Fastify.
  await app.register(fastifyHelmet as unknown as Parameters<typeof app.register>[0]);
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  return app;
}
