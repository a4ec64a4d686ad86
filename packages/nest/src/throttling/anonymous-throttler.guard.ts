import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectThrottlerOptions, InjectThrottlerStorage, type ThrottlerModuleOptions, type ThrottlerStorage } from '@nestjs/throttler';
import { SecurityEvents } from '../audit/security-events.service.js';
import { AUTHENTICATORS, type Authenticator } from '../core/authenticator.js';
import { BASTION_OPTIONS } from '../core/constants.js';
import { httpRequestOf } from '../core/http-request.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { BastionThrottlerGuard } from './bastion-throttler.guard.js';

/**
 * The anonymous half of throttling, registered BEFORE authentication: a request that carries no credential
 * at all is counted against its client IP here, so anonymous floods of protected routes (which
 * authentication answers with 401) are limited too. Requests with a credential are left to the
 * post-authentication guard, which counts them per principal once the credential is verified.
 */
@Injectable()
export class AnonymousThrottlerGuard extends BastionThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(BASTION_OPTIONS) bastionOptions: BastionOptions,
    events: SecurityEvents,
    @Inject(AUTHENTICATORS) protected readonly authenticators: Authenticator[],
  ) {
    super(options, storage, reflector, bastionOptions, events);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (!this.throttle.enabled || context.getType() !== 'http') return true;
    const req = httpRequestOf(context);
    return this.authenticators.some((authenticator) => authenticator.isPresented(req));
  }
}
