/**
 * Bastion with its defaults (security headers, HTTPS rule, transport limits, strict validation, audit,
 * alerts, brute-force blocking, revocation checks), throttling on with budgets high enough never to
 * trigger for one load generator, and `configureBastion(app)`. Imports the built package
 * (`packages/nest/dist`), as an app would. With `telemetry`, the same app with an OpenTelemetry SDK (peer/telemetry.ts).
 */
import { Module, type INestApplication, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Authenticated, BastionModule, Public, configureBastion } from '@bastion/nest';
import type { Adapter, PeerJwt } from './apps.js';
import { itemsController } from './items.js';
import { telemetrySetUp, type TelemetryMode } from './telemetry.js';

const NEVER: { limit: number; ttl: number } = { limit: 1_000_000_000, ttl: 60_000 };

export async function createBastionApp(adapter: Adapter, jwt: PeerJwt, telemetryMode?: TelemetryMode): Promise<INestApplication> {
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
