/**
 * Boot failure: routes whose security is missing or misdeclared (no access decision in strict mode,
 * empty requirement lists, unknown boundary, policy that is not a provider). The message lists every
 * offending handler as `Controller.method (GET /path): problem`.
 */
export class RouteSecurityError extends Error {
  readonly code = 'ERR_ROUTE_SECURITY';
  constructor(readonly problems: readonly string[]) {
    super(`Bastion: ${problems.length} route(s) with missing or invalid security:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'RouteSecurityError';
  }
}
