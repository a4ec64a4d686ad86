// A registered symbol: the ESM and CommonJS builds of Bastion, if both are loaded, agree on it.
const CONFIGURED = Symbol.for('bastion.configureBastion');

/** Marks an HTTP adapter as hardened by `configureBastion(app)`. */
export function markConfigured(adapter: object): void {
  (adapter as { [CONFIGURED]?: true })[CONFIGURED] = true;
}

/** True when `configureBastion(app)` ran on this HTTP adapter. */
export function isConfigured(adapter: object | undefined): boolean {
  return (adapter as { [CONFIGURED]?: true } | undefined)?.[CONFIGURED] === true;
}
