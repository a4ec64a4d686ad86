import type { PipeTransform } from '@nestjs/common';
import type { BastionConfig } from '../core/bastion-config.js';
import { StrictValidationPipe } from './strict-validation.pipe.js';

const passThrough: PipeTransform = { transform: (value: unknown) => value };

/** The APP_PIPE: the strict pipe, or a pass-through when `validation.enabled` is `false`. */
export function validationPipeFor(config: BastionConfig): PipeTransform {
  return config.validation ? new StrictValidationPipe() : passThrough;
}
