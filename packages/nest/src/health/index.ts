export { BastionHealthIndicator } from './bastion-health.indicator.js';
export { checkDependencies } from './dependency-health.js';
export type {
  DependencyCheckOptions,
  DependencyReport,
  Dependencies,
  EndpointHealth,
  FetchHealth,
  HealthStatus,
  KeySetHealth,
  StoreHealth,
} from './dependency-health.js';
