import { Inject, Injectable, Optional, type OnModuleInit, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EffectiveBoundary } from '../authorization/boundaries.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { AUTHENTICATORS, type Authenticator } from '../core/authenticator.js';
import type { CredentialType } from '../core/principal.js';
import { BastionConfigError } from '../options/assert.js';
import { assertAuthenticator } from './authenticator-entries.js';
import { CREDENTIAL_COMBINATIONS, sameCredentials, type CombinedAuthenticator, type WaysIn } from './credential-combinations.js';

/**
 * The authenticators a route's boundary lets through (alone or in a combination), those whose credential
 * it refuses outright, and its ways in: the types it accepts alone and the combinations it accepts.
 */
export interface BoundaryAuthenticators extends WaysIn {
  readonly accepted: readonly Authenticator[];
  readonly refused: readonly Authenticator[];
}

/**
 * Every enabled authenticator: the built-ins configuration turns on, then the `authenticators` option
 * in order (classes taken from the app's providers, else instantiated by Nest). Checked once: a
 * credential name claimed twice, or a boundary accepting a credential no authenticator provides, stops
 * the app naming the option.
 */
@Injectable()
export class AuthenticatorRegistry implements OnModuleInit {
  private list: readonly Authenticator[] | undefined;
  private readonly perBoundary = new Map<string, BoundaryAuthenticators>();

  constructor(
    @Inject(BASTION_CONFIG) private readonly config: BastionConfig,
    @Inject(AUTHENTICATORS) private readonly builtIns: readonly Authenticator[],
    private readonly moduleRef: ModuleRef,
    /** Built-in authenticators of credentials presented together (API key + signature). */
    @Optional() @Inject(CREDENTIAL_COMBINATIONS) private readonly combinations: readonly CombinedAuthenticator[] = [],
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.list) return;
    const instances: Authenticator[] = [];
    for (const entry of this.config.authenticators) {
      instances.push(typeof entry === 'function' ? (this.fromProviders(entry) ?? (await this.moduleRef.create(entry))) : entry);
    }
    this.list = this.check(instances);
  }

  /** Every enabled authenticator, built-ins first. */
  all(): readonly Authenticator[] {
    // Before init (an OpenAPI document built before `app.init()`), classes must already be providers.
    this.list ??= this.check(
      this.config.authenticators.map((entry) => {
        if (typeof entry !== 'function') return entry;
        const instance = this.fromProviders(entry);
        if (!instance) throw new Error(`Bastion: authenticator ${entry.name} is not instantiated yet; call app.init() first or list it in a module's providers`);
        return instance;
      }),
    );
    return this.list;
  }

  /** The credential types that have an authenticator. */
  credentials(): CredentialType[] {
    return this.all().map((a) => a.credential);
  }

  /** The authenticators of a boundary (all of them without one), computed once per boundary. */
  forBoundary(boundary: EffectiveBoundary | undefined): BoundaryAuthenticators {
    const key = boundary?.name ?? '';
    let entry = this.perBoundary.get(key);
    if (!entry) {
      const all = this.all();
      const ways = boundary?.options.accept;
      const named = ways && new Set(ways.flat());
      const accepted = named ? all.filter((a) => named.has(a.credential)) : all;
      const alone = new Set(ways ? ways.filter((w) => typeof w === 'string') : all.map((a) => a.credential));
      // Without a boundary every credential is accepted alone, and every combination together.
      const combinations = ways ? this.combinations.filter((c) => ways.some((w) => typeof w !== 'string' && sameCredentials(w, c.credentials))) : this.combinations;
      entry = { accepted, refused: all.filter((a) => !accepted.includes(a)), alone, combinations };
      this.perBoundary.set(key, entry);
    }
    return entry;
  }

  private fromProviders(type: Type<Authenticator>): Authenticator | undefined {
    try {
      return this.moduleRef.get(type, { strict: false });
    } catch {
      return undefined;
    }
  }

  private check(custom: readonly Authenticator[]): readonly Authenticator[] {
    const claimedBy = new Map<string, string>();
    for (const builtIn of this.builtIns) claimedBy.set(builtIn.credential, `the built-in "${builtIn.credential}" option`);
    custom.forEach((authenticator, i) => {
      const path = `authenticators[${i}]`;
      assertAuthenticator(authenticator, path);
      const previous = claimedBy.get(authenticator.credential);
      if (previous) throw new BastionConfigError(`${path}.credential`, `"${authenticator.credential}" is already provided by ${previous}: one authenticator per credential type`);
      claimedBy.set(authenticator.credential, path);
    });
    // A boundary naming a credential nothing can verify would advertise a way in that does not exist.
    for (const [name, boundary] of Object.entries(this.config.boundaries)) {
      boundary.accept.forEach((way, i) => {
        const path = `boundaries.${name}.accept[${i}]`;
        if (typeof way !== 'string') {
          if (this.combinations.some((c) => sameCredentials(c.credentials, way))) return;
          const missing = way.findIndex((credential) => !claimedBy.has(credential));
          if (missing !== -1) throw unprovided(`${path}[${missing}]`, way[missing]!);
          throw new BastionConfigError(path, `names credentials ${way.map((c) => `"${c}"`).join(' + ')} together, but nothing verifies them together (built in: ["api-key", "signature"] with apiKey and signature configured)`);
        }
        if (!claimedBy.has(way)) throw unprovided(path, way);
      });
    }
    return [...this.builtIns, ...custom];
  }
}

/** The option that turns on each built-in credential. */
const BUILT_IN_OPTIONS: Readonly<Record<string, string>> = { jwt: '"jwt" or "issuers"', introspection: '"issuers"', signature: '"signature"', 'api-key': '"apiKey"', dpop: '"dpop"', mtls: '"mtls"' };

function unprovided(path: string, credential: string): BastionConfigError {
  const option = Object.hasOwn(BUILT_IN_OPTIONS, credential) ? `set the ${BUILT_IN_OPTIONS[credential]} option` : 'configure the built-in option';
  return new BastionConfigError(path, `names credential "${credential}", but no authenticator provides it (${option}, or add one to "authenticators")`);
}
