import { createParamDecorator, type ExecutionContext, type Type } from '@nestjs/common';
import { StrictValidationPipe } from './strict-validation.pipe.js';

function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The request headers under both their lower-case names and camelCase (`x-tenant-id`, `xTenantId`). */
const headersOf = createParamDecorator((_data: unknown, ctx: ExecutionContext) => {
  const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = value;
    headers[camelCase(name)] = value;
  }
  return headers;
});

/**
 * Validates request headers against a class-validator DTO, as strictly as bodies, and injects the DTO.
 * Property names are the lower-case header name or its camelCase form (`xTenantId` for `X-Tenant-Id`).
 * Headers the DTO does not declare are dropped (every client sends many), not rejected.
 *
 * @example
 * ```ts
 * class TenantHeaders { @IsUUID() xTenantId!: string; }
 * @Get() list(@ValidatedHeaders(TenantHeaders) headers: TenantHeaders) { … }
 * ```
 */
export function ValidatedHeaders(dto: Type<unknown>): ParameterDecorator {
  return headersOf(undefined, new StrictValidationPipe({ expectedType: dto, forbidNonWhitelisted: false, validateCustomDecorators: true }));
}
