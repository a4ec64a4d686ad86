import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { BastionConfigError } from '../options/assert.js';
import { isConfigured } from './configured-marker.js';

const PROBLEM =
  'was not called before app.init()/app.listen(): request bodies are then parsed by the adapter without size, depth, duplicate-key or prototype-key checks, ' +
  'the raw body is not kept, queries use the adapter parser and server timeouts are not set. Call configureBastion(app) right after NestFactory.create() ' +
  '(in tests, right after createNestApplication())';

/**
 * Refuses to start an HTTP app on which `configureBastion(app)` was not applied (strict mode), or warns
 * (`strict: false`, where the module middleware still applies the request-level rules). Apps without an
 * HTTP server (microservices, application contexts) are not concerned.
 */
@Injectable()
export class ConfigureBastionCheck implements OnModuleInit {
  private readonly logger = new Logger('Bastion');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(BASTION_CONFIG) private readonly config: BastionConfig,
  ) {}

  onModuleInit(): void {
    // No HTTP server (application context, microservice): undefined or null depending on how it was made.
    const adapter = this.adapterHost.httpAdapter as object | null | undefined;
    if (adapter == null || isConfigured(adapter)) return;
    const error = new BastionConfigError('configureBastion(app)', PROBLEM);
    if (this.config.strict) throw error;
    this.logger.warn(`${error.message}. (strict: false: starting anyway.)`);
  }
}
