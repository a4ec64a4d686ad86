import { ConsoleLogger, Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { createRedactor, type RedactionOptions, type Redactor } from './redactor.js';

/**
 * A Nest `LoggerService` that redacts every message and parameter (secrets by key name and by value
 * pattern, see {@link createRedactor}) before handing them to another logger. Use it as the app's
 * logger so that the app's own logs are redacted too.
 *
 * @example
 * ```ts
 * const app = await NestFactory.create(AppModule, { logger: new RedactingLogger(new ConsoleLogger({ json: true })) });
 * // or: app.useLogger(new RedactingLogger(app.get(MyLogger), { pii: true }));
 * ```
 */
export class RedactingLogger implements LoggerService {
  private readonly redact: Redactor;

  constructor(
    private readonly inner: LoggerService = new ConsoleLogger(),
    options: RedactionOptions | Redactor = {},
  ) {
    this.redact = typeof options === 'function' ? options : createRedactor(options);
  }

  log(message: any, ...params: any[]): any {
    this.inner.log(this.redact(message), ...this.params(params));
  }
  error(message: any, ...params: any[]): any {
    this.inner.error(this.redact(message), ...this.params(params));
  }
  warn(message: any, ...params: any[]): any {
    this.inner.warn(this.redact(message), ...this.params(params));
  }
  debug(message: any, ...params: any[]): any {
    this.inner.debug?.(this.redact(message), ...this.params(params));
  }
  verbose(message: any, ...params: any[]): any {
    this.inner.verbose?.(this.redact(message), ...this.params(params));
  }
  fatal(message: any, ...params: any[]): any {
    this.inner.fatal?.(this.redact(message), ...this.params(params));
  }
  setLogLevels(levels: LogLevel[]): any {
    this.inner.setLogLevels?.(levels);
  }

  // Nest passes (stack?, context?) as trailing strings: redacting them is safe (patterns only).
  private params(params: any[]): any[] {
    return params.map((p) => this.redact(p));
  }
}

/**
 * The logger Bastion's own code uses: a Nest `Logger` (so it follows the app's logger and log levels)
 * behind redaction, so nothing Bastion logs can carry a secret even when the app's logger does not redact.
 */
export function bastionLogger(context: string, redact?: Redactor): LoggerService {
  return new RedactingLogger(new Logger(context), redact ?? {});
}
