import { ArgumentMetadata, Injectable, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { BastionException } from '../errors/bastion.exception.js';
import type { StepTracer } from '../telemetry/step-tracer.js';
import { toFieldErrors, type ValidationErrorLike } from './validation-errors.js';

/** 400 `ERR_VALIDATION` with `errors: [{ field, constraint }]`; the values stay out of the response. */
export function validationException(errors: ValidationErrorLike[]): BastionException {
  const fieldErrors = toFieldErrors(errors);
  return new BastionException('ERR_VALIDATION', {
    reason: `validation failed: ${fieldErrors.map((e) => `${e.field}:${e.constraint}`).join(',')}`,
    extensions: { errors: fieldErrors },
  });
}

/** Bastion's strict defaults: unknown properties are an error, nothing is converted implicitly. */
export function strictValidationOptions(overrides: ValidationPipeOptions = {}): ValidationPipeOptions {
  return {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationException(errors as ValidationErrorLike[]),
    ...overrides,
  };
}

const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/**
 * The global pipe (APP_PIPE). Nest's `ValidationPipe` with `transform` turns a `number` route or query
 * parameter into `+value` (so `"abc"` silently becomes `NaN`), any `boolean` into `value === 'true'`, and
 * a repeated `string` query parameter into `"a,b"`. Here a scalar parameter converts only when its text
 * is exactly a number or `true`/`false`, and an array where one value is expected is refused (HTTP
 * parameter pollution).
 */
@Injectable()
export class StrictValidationPipe extends ValidationPipe {
  constructor(
    options: ValidationPipeOptions = {},
    /** Spans of the `validate` step, when the app traces. */
    private readonly tracer?: StepTracer,
  ) {
    super(strictValidationOptions(options));
  }

  /** Validates as Nest's pipe does; an argument that is validated against a class gets a `validate` span. */
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (!this.tracer || !this.toValidate(metadata)) return super.transform(value, metadata);
    return this.tracer.trace('validate', () => super.transform(value, metadata), () => ({ 'bastion.validation.target': metadata.type }));
  }

  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    if (!metadata.data || (metadata.type !== 'param' && metadata.type !== 'query') || value === undefined) return value;
    const { metatype } = metadata;
    if (metatype !== Number && metatype !== Boolean && metatype !== String) return value;
    const invalid = (constraint: string) => validationException([{ property: metadata.data!, constraints: { [constraint]: '' } }]);
    if (typeof value !== 'string') throw invalid(metatype === Number ? 'isNumber' : metatype === Boolean ? 'isBoolean' : 'isString');
    if (metatype === Number) {
      if (!DECIMAL.test(value)) throw invalid('isNumber');
      return Number(value);
    }
    if (metatype === Boolean) {
      if (value !== 'true' && value !== 'false') throw invalid('isBoolean');
      return value === 'true';
    }
    return value;
  }
}
