/**
 * Bastion with its defaults (security headers, HTTPS rule, transport limits, strict validation, audit,
 * alerts, brute-force blocking, revocation checks), throttling on with budgets high enough never to
 * trigger for one load generator, and `configureBastion(app)`. Imports the built package
 * (`packages/nest/dist`), as an app would, or another build of it (the `baseline` app). With `telemetryMode`,
 * the same app with an OpenTelemetry SDK (peer/telemetry.ts).
 */
import { Module, type INestApplication, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import * as built from '@bastion/nest';
import type { Adapter, PeerJwt } from './apps.js';
import { itemsController } from './items.js';
import { telemetrySetUp, type TelemetryMode } from './telemetry.js';

const NEVER: { limit: number; ttl: number } = { limit: 1_000_000_000, ttl: 60_000 };

/** What the app takes from a Bastion build. */
export type BastionModuleExports = Pick<typeof built, 'Authenticated' | 'BastionModule' | 'Public' | 'configureBastion'>;

/** `bastion`: the build to run (default: this repository's `packages/nest/dist`). */
export async function createBastionApp(
  adapter: Adapter,
  jwt: PeerJwt,
  { bastion = built, telemetryMode }: { bastion?: BastionModuleExports; telemetryMode?: TelemetryMode } = {},
): Promise<INestApplication> {
  const { Authenticated, BastionModule, Public, configureBastion } = bastion;
  const otel = telemetryMode && telemetrySetUp(telemetryMode);
  @Module({
    imports: [BastionModule.forRoot({ jwt: { issuer: jwt.issuer, audience: jwt.audience, jwksUri: jwt.jwksUri }, throttle: { principal: NEVER, anonymous: NEVER }, telemetry: otel?.telemetry })],
    controllers: [itemsController({ open: [Public()], secured: [Authenticated()], create: [Authenticated()] })],
  })
  class BastionBenchModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      if (otel?.requestSpans) consumer.apply(otel.requestSpans).forRoutes('*');
    }
  }

  const app = await NestFactory.create(BastionBenchModule, adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
  configureBastion(app);
  return app;
}
