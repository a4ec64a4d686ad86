import type { Provider } from '@nestjs/common';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { BastionTelemetry } from './bastion-telemetry.js';
import { TelemetryWiring } from './telemetry-wiring.js';

/** Metrics and traces (`telemetry`), as `BastionModule` registers them. */
export const TELEMETRY_PROVIDERS: Provider[] = [
  { provide: BastionTelemetry, useFactory: (c: BastionConfig) => BastionTelemetry.create(c.options.telemetry), inject: [BASTION_CONFIG] },
  TelemetryWiring,
];
