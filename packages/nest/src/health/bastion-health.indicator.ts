import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { AccessTokenVerifier } from '../authentication/issuers/access-token-verifier.js';
import { BASTION_SECURITY_STATE, type SecurityStateStore } from '../stores/security-state.interface.js';
import { BASTION_STORE, type BastionStore } from '../stores/store.interface.js';
import { checkDependencies, type DependencyCheckOptions } from './dependency-health.js';

/**
 * A `@nestjs/terminus` health indicator for what Bastion depends on: each issuer's key set (last
 * successful refresh, last failure, stale or expired), each introspection endpoint, and the stores
 * (counters, security state). `down`
 * when requests that need one of them would be refused. Provide it next to `TerminusModule`.
 *
 * The result names issuers and carries operator messages (`HTTP 503`): serve the probe to the
 * orchestrator only, not to the internet.
 *
 * @example
 * ```ts
 * @Controller('health')
 * export class HealthController {
 *   constructor(private readonly health: HealthCheckService, private readonly bastion: BastionHealthIndicator) {}
 *
 *   @Get('ready') @Public() @HealthCheck()
 *   ready() {
 *     return this.health.check([() => this.bastion.isHealthy('bastion')]);
 *   }
 * }
 * ```
 */
@Injectable()
export class BastionHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(BASTION_STORE) private readonly store: BastionStore,
    @Optional() @Inject(AccessTokenVerifier) private readonly tokens?: AccessTokenVerifier | null,
    @Optional() @Inject(BASTION_SECURITY_STATE) private readonly securityState?: SecurityStateStore | null,
  ) {}

  /** Checks the dependencies (all by default) and reports them under `key`. */
  async isHealthy<const Key extends string = 'bastion'>(key: Key = 'bastion' as Key, options: DependencyCheckOptions = {}): Promise<HealthIndicatorResult<Key>> {
    const report = await checkDependencies({ jwt: this.tokens?.jwt, introspection: this.tokens?.introspection, store: this.store, securityState: this.securityState }, options);
    const session = this.health.check(key);
    const details = { issuers: report.issuers, ...(report.stores ? { stores: report.stores } : {}) };
    return report.status === 'up' ? session.up(details) : session.down(details);
  }
}
