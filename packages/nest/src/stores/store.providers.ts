import type { Provider } from '@nestjs/common';
import { SecurityEvents } from '../audit/security-events.service.js';
import { BASTION_OPTIONS } from '../core/constants.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { securityStateAlarm } from './security-state-alarm.js';
import { BASTION_SECURITY_STATE } from './security-state.interface.js';
import { StoreLifecycle, createSecurityStateStore, createStore } from './store.factory.js';
import { BASTION_STORE, type BastionStore } from './store.interface.js';

/** The two stores (counters, security state) and their shutdown, as `BastionModule` registers them. */
export const STORE_PROVIDERS: Provider[] = [
  { provide: BASTION_STORE, useFactory: (o: BastionOptions) => createStore(o.store), inject: [BASTION_OPTIONS] },
  {
    provide: BASTION_SECURITY_STATE,
    useFactory: (o: BastionOptions, events: SecurityEvents, counters: BastionStore) =>
      createSecurityStateStore(o.store, { counters, onFull: securityStateAlarm(events) }),
    inject: [BASTION_OPTIONS, SecurityEvents, BASTION_STORE],
  },
  StoreLifecycle,
];
