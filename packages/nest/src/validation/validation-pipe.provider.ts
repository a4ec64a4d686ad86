import type { PipeTransform } from '@nestjs/common';
import type { BastionConfig } from '../core/bastion-config.js';
import type { BastionTelemetry } from '../telemetry/bastion-telemetry.js';
import { StrictValidationPipe } from './strict-validation.pipe.js';

const passThrough: PipeTransform = { transform: (value: unknown) => value };

/** The APP_PIPE: the strict pipe (with `validate` spans when the app traces), or a pass-through when `validation.enabled` is `false`. */
export function validationPipeFor(config: BastionConfig, telemetry?: BastionTelemetry): PipeTransform {
  return config.validation ? new StrictValidationPipe({}, telemetry?.tracer) : passThrough;
}
