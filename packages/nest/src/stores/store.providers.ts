import type { Provider } from '@nestjs/common';
import { SecurityEvents } from '../audit/security-events.service.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { securityStateAlarm } from './security-state-alarm.js';
import { BASTION_SECURITY_STATE } from './security-state.interface.js';
import { StoreLifecycle, createSecurityStateStore, createStore } from './store.factory.js';
import { BASTION_STORE, type BastionStore } from './store.interface.js';
import { BastionTelemetry } from '../telemetry/bastion-telemetry.js';
import { uninstrumented } from '../telemetry/instrumented-store.js';

/** The two stores (counters, security state) and their shutdown, as `BastionModule` registers them. */
export const STORE_PROVIDERS: Provider[] = [
  { provide: BASTION_STORE, useFactory: async (c: BastionConfig, t: BastionTelemetry) => t.instrumentStore(await createStore(c.store)), inject: [BASTION_CONFIG, BastionTelemetry] },
  {
    provide: BASTION_SECURITY_STATE,
    useFactory: async (c: BastionConfig, events: SecurityEvents, counters: BastionStore, t: BastionTelemetry) =>
      t.instrumentSecurityState(await createSecurityStateStore(c.store, { counters: uninstrumented(counters), onFull: securityStateAlarm(events) })),
    inject: [BASTION_CONFIG, SecurityEvents, BASTION_STORE, BastionTelemetry],
  },
  StoreLifecycle,
];
