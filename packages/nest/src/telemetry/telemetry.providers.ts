import type { Provider } from '@nestjs/common';
import { BASTION_OPTIONS } from '../core/constants.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { BastionTelemetry } from './bastion-telemetry.js';
import { RequestTelemetry } from './request-telemetry.js';
import { TelemetryWiring } from './telemetry-wiring.js';

/** Metrics and traces (`telemetry`), as `BastionModule` registers them. */
export const TELEMETRY_PROVIDERS: Provider[] = [
  { provide: BastionTelemetry, useFactory: (o: BastionOptions) => BastionTelemetry.create(o.telemetry), inject: [BASTION_OPTIONS] },
  TelemetryWiring,
  RequestTelemetry,
];
