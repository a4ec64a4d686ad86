import { execFileSync } from 'node:child_process';

/**
 * True when the `openssl` binary is installed (the test CA needs it). Otherwise prints a loud notice and
 * returns false — or throws when `BASTION_REQUIRE_SERVICES=1`, so CI cannot skip the mTLS suites silently.
 */
export function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    if (process.env.BASTION_REQUIRE_SERVICES === '1') throw new Error('openssl not found on PATH (BASTION_REQUIRE_SERVICES=1)');
    console.warn('SKIPPED: mutual-TLS tests need the openssl binary to make their certificates; it is not installed.');
    return false;
  }
}
