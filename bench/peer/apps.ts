/** The apps of the peer benchmark, by name: the three compared by default, another Bastion build, and Bastion with telemetry. */
import { pathToFileURL } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { createBareApp } from './bare.app.js';
import { createBastionApp, type BastionModuleExports } from './bastion.app.js';
import { createHandWiredApp } from './hand-wired.app.js';
import type { TelemetryMode } from './telemetry.js';

export type Adapter = 'express' | 'fastify';
/** `baseline`: the Bastion app on another build of Bastion (`--baseline`), for before/after figures from one run. */
export type AppKind = 'bare' | 'hand-wired' | 'bastion' | 'baseline' | `bastion-${TelemetryMode}`;

export const ADAPTERS: readonly Adapter[] = ['express', 'fastify'];
export const APP_KINDS: readonly AppKind[] = ['bare', 'hand-wired', 'bastion', 'baseline'];
/** Bastion with an OpenTelemetry SDK (run with `--apps bastion,bastion-metrics,bastion-sdk-traced,bastion-traced`). */
export const TELEMETRY_APP_KINDS: readonly AppKind[] = ['bastion-metrics', 'bastion-sdk-traced', 'bastion-traced'];

/** The trusted issuer every app is given (one `TestIssuer`, its JWKS on loopback). */
export interface PeerJwt {
  issuer: string;
  audience: string;
  jwksUri: string;
}

/**
 * `throttlerTtl`: the hand-wired app's throttler window, ms (default 60,000, as in the NestJS docs).
 * `baseline`: the `esm/index.js` of the Bastion build the `baseline` app runs.
 */
export async function createApp(kind: AppKind, adapter: Adapter, jwt: PeerJwt, options: { throttlerTtl?: number; baseline?: string } = {}): Promise<INestApplication> {
  if (kind === 'bare') return createBareApp(adapter);
  if (kind === 'hand-wired') return createHandWiredApp(adapter, jwt, options.throttlerTtl);
  if (kind === 'baseline') {
    if (options.baseline === undefined) throw new Error('the baseline app needs --baseline <path to a Bastion build\'s esm/index.js>');
    return createBastionApp(adapter, jwt, { bastion: (await import(pathToFileURL(options.baseline).href)) as BastionModuleExports });
  }
  return createBastionApp(adapter, jwt, { telemetryMode: kind === 'bastion' ? undefined : (kind.slice('bastion-'.length) as TelemetryMode) });
}
