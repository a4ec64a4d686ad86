/** Startup error for a bad or insecure option; the message always starts with the option's path. */
export class BastionConfigError extends Error {
  constructor(path: string, problem: string) {
    super(`Bastion configuration: "${path}" ${problem}`);
    this.name = 'BastionConfigError';
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function assertNonEmptyString(value: unknown, path: string): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '') throw new BastionConfigError(path, 'must be a non-empty string');
}

export function assertOptionalObject(value: unknown, path: string): asserts value is Record<string, unknown> | undefined {
  if (value !== undefined && !isPlainObject(value)) throw new BastionConfigError(path, 'must be an object');
}

export function assertPositiveNumber(value: unknown, path: string, optional = true): asserts value is number | undefined {
  if (value === undefined && optional) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new BastionConfigError(path, 'must be a positive number');
}

export function assertNonNegativeNumber(value: unknown, path: string): asserts value is number | undefined {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new BastionConfigError(path, 'must be a number ≥ 0');
}

export function assertOptionalBoolean(value: unknown, path: string): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new BastionConfigError(path, 'must be a boolean');
}

export function assertOneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): asserts value is T {
  if (!allowed.includes(value as T)) throw new BastionConfigError(path, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
}
