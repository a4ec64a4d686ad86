import { ArgumentsHost, Catch, ExceptionFilter, Inject, type LoggerService } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { bastionLogger } from '../audit/redacting-logger.js';
import { httpContextOf } from '../contexts/http/http-context.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { toProblem } from '../errors/problem-details.js';
import { authenticateHeader } from '../authentication/dpop/dpop-challenge.js';

/**
 * Turns every error on an HTTP route — Bastion's, Nest's, the adapter's and unknown ones — into an
 * RFC 9457 `application/problem+json` response. No stack, no internal message, ever; 5xx are logged.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  // Redacted: an unknown error's message and stack may quote a credential or a connection string.
  private readonly logger: LoggerService = bastionLogger('Bastion');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(BASTION_CONFIG) private readonly config: BastionConfig,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const res = http.getResponse<unknown>();
    const adapter = this.adapterHost.httpAdapter;
    // The request's one id (built by the first Bastion layer; here when an error came before any).
    const ctx = httpContextOf(http.getRequest<object>(), this.config);
    const requestId = ctx.id;
    const problem = toProblem(exception, requestId, this.config.typeBaseUri);
    if (problem.document.status >= 500) {
      const err = exception instanceof Error ? exception : undefined;
      this.logger.error(`requestId=${requestId} unhandled ${err?.name ?? typeof exception}`, err?.stack);
    }
    if (adapter.isHeadersSent?.(res)) return;
    adapter.setHeader(res, 'Content-Type', 'application/problem+json; charset=utf-8');
    adapter.setHeader(res, 'X-Request-Id', requestId);
    adapter.setHeader(res, 'Cache-Control', 'no-store');
    for (const [name, value] of Object.entries(problem.headers)) adapter.setHeader(res, name, value);
    if (problem.challenge) adapter.setHeader(res, 'WWW-Authenticate', authenticateHeader(this.config, ctx, problem.challenge));
    adapter.reply(res, JSON.stringify(problem.document), problem.document.status);
  }
}
