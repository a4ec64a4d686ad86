import { Query, type Type } from '@nestjs/common';
import { StrictValidationPipe } from './strict-validation.pipe.js';

/**
 * Validates the whole query string against a DTO: unknown parameters are rejected (400), values stay
 * strings unless the DTO converts them explicitly (`@Type(() => Number)`), and a repeated parameter
 * arrives as an array, which a scalar rule refuses. Use it where the parameter's type cannot carry the
 * DTO (an interface, a union) or to validate even when the global pipe is disabled.
 *
 * @example
 * ```ts
 * class Page { @Type(() => Number) @IsInt() @Min(1) @Max(100) limit!: number; }
 * @Get() list(@ValidatedQuery(Page) page: Page) { … }
 * ```
 */
export function ValidatedQuery(dto: Type<unknown>): ParameterDecorator {
  return Query(new StrictValidationPipe({ expectedType: dto }));
}
