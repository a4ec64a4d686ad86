import { timed } from '../../telemetry/timed.js';

/** How one verification went: whether a cache answered, and the rejection when it failed. */
export interface VerificationPath {
  /** `hit`: answered from the verified-token cache (or a remembered refusal); `miss`: verified afresh. */
  cache: 'hit' | 'miss';
}

/**
 * Told after each verification (metrics): its duration in seconds, the path it took and, when it was
 * refused, the error. Called synchronously; must not throw.
 */
export type VerificationObserver = (seconds: number, path: Readonly<VerificationPath>, error: unknown) => void;

/**
 * Times `verify` for `observer`. `verify` marks the path `hit` when a cache answered. Only used
 * while an observer is set, so an uninstrumented verifier pays nothing for it.
 */
export function observeVerification<T>(observer: VerificationObserver, verify: (path: VerificationPath) => Promise<T>): Promise<T> {
  const path: VerificationPath = { cache: 'miss' };
  return timed(
    () => verify(path),
    (seconds, error) => observer(seconds, path, error),
  );
}
