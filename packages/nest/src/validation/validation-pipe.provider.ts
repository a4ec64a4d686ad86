import type { PipeTransform } from '@nestjs/common';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import type { BastionTelemetry } from '../telemetry/bastion-telemetry.js';
import { StrictValidationPipe } from './strict-validation.pipe.js';

const passThrough: PipeTransform = { transform: (value: unknown) => value };

/** The APP_PIPE: the strict pipe (with `validate` spans when the app traces), or a pass-through when `validation.enabled` is `false`. */
export function validationPipeFor(options: BastionOptions, telemetry?: BastionTelemetry): PipeTransform {
  return options.validation?.enabled === false ? passThrough : new StrictValidationPipe({}, telemetry?.tracer);
}
