import { SetMetadata } from '@nestjs/common';
import type { SecurityHeadersOptions } from './transport-options.js';

export const SECURITY_HEADERS_KEY = 'bastion:security-headers';

/**
 * Overrides response headers of the API preset for one route or controller (`false` removes one).
 * Applies to the route's successful responses; errors keep the preset.
 *
 * @example
 * ```ts
 * @Get('report.html')
 * @Public()
 * @SecurityHeaders({ 'Content-Security-Policy': "default-src 'self'", 'Cache-Control': 'private, max-age=60' })
 * report() { … }
 * ```
 */
export const SecurityHeaders = (headers: SecurityHeadersOptions): ClassDecorator & MethodDecorator => SetMetadata(SECURITY_HEADERS_KEY, headers);
