import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { ApiKeys, configureBastion, createBastionDocument } from '@bastion/nest';
import { TestIssuer } from '@bastion/nest/testing';
import { AppModule } from './app.module.js';
import type { WorkerCredentials } from './signed-request.js';
import { startMetrics } from './metrics.js';

export const AUDIENCE = 'orders-api';

export interface Demo {
  app: INestApplication;
  issuer: TestIssuer;
  url: string;
  /** The back-office worker's API key and signing key (registered with the key, valid 24 h). */
  worker: WorkerCredentials;
  /** Prometheus scrape URL (its own port, on loopback). */
  metricsUrl: string;
  close(): Promise<void>;
}

/**
 * Starts the development issuer (its own key pair and JWKS on loopback, so no external IdP is needed)
 * and the orders API trusting it, on 127.0.0.1.
 */
export async function startDemo(options: { adapter?: 'express' | 'fastify'; port?: number; metricsPort?: number; logger?: boolean } = {}): Promise<Demo> {
  const issuer = await TestIssuer.start({ audience: AUDIENCE });
  const metrics = await startMetrics({ port: options.metricsPort ?? 0 });
  const adapter = options.adapter === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  // Discovery: keys and metadata from the issuer's OpenID configuration (the OpenAPI document points clients at it).
  const app = await NestFactory.create(AppModule.register(issuer.options({ discovery: true }), { meterProvider: metrics.meterProvider }), adapter, {
    logger: options.logger === false ? false : ['error', 'warn', 'log'],
  });
  configureBastion(app);
  // JSON only: the UI would need @fastify/static on Fastify, and an API needs no HTML pages.
  SwaggerModule.setup('docs', app, (await createBastionDocument(app, { title: 'Orders API', version: '1.0' })) as never, { ui: false, raw: ['json'] });
  await app.listen(options.port ?? 0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  // The worker's signing key pair: the API registers the public half with the worker's API key.
  const pair = generateKeyPairSync('ed25519');
  const issued = await app.get(ApiKeys).issue({
    owner: 'orders-worker',
    scopes: ['orders:export'],
    name: 'demo back-office worker',
    expiresIn: 86_400,
    signingKey: { alg: 'ed25519', key: pair.publicKey.export({ format: 'jwk' }) as JsonWebKey },
  });
  return {
    app,
    issuer,
    url: `http://127.0.0.1:${port}`,
    worker: { apiKey: issued.key, keyId: issued.id, signingKey: JSON.stringify(pair.privateKey.export({ format: 'jwk' })) },
    metricsUrl: metrics.url,
    close: async () => {
      await app.close();
      await metrics.close();
      await issuer.close();
    },
  };
}
