/** The apps of the peer benchmark, by name: the three compared by default, and Bastion with telemetry. */
import type { INestApplication } from '@nestjs/common';
import { createBareApp } from './bare.app.js';
import { createBastionApp } from './bastion.app.js';
import { createHandWiredApp } from './hand-wired.app.js';
import type { TelemetryMode } from './telemetry.js';

export type Adapter = 'express' | 'fastify';
export type AppKind = 'bare' | 'hand-wired' | 'bastion' | `bastion-${TelemetryMode}`;

export const ADAPTERS: readonly Adapter[] = ['express', 'fastify'];
export const APP_KINDS: readonly AppKind[] = ['bare', 'hand-wired', 'bastion'];
/** Bastion with an OpenTelemetry SDK (run with `--apps bastion,bastion-metrics,bastion-sdk-traced,bastion-traced`). */
export const TELEMETRY_APP_KINDS: readonly AppKind[] = ['bastion-metrics', 'bastion-sdk-traced', 'bastion-traced'];

/** The trusted issuer every app is given (one `TestIssuer`, its JWKS on loopback). */
export interface PeerJwt {
  issuer: string;
  audience: string;
  jwksUri: string;
}

/** `throttlerTtl`: the hand-wired app's throttler window, ms (default 60,000, as in the NestJS docs). */
export function createApp(kind: AppKind, adapter: Adapter, jwt: PeerJwt, throttlerTtl?: number): Promise<INestApplication> {
  if (kind === 'bare') return createBareApp(adapter);
  if (kind === 'hand-wired') return createHandWiredApp(adapter, jwt, throttlerTtl);
  return createBastionApp(adapter, jwt, kind === 'bastion' ? undefined : (kind.slice('bastion-'.length) as TelemetryMode));
}
