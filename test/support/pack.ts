import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { PublishableName } from '../../scripts/pack.mjs';

export { ROOT } from '../../scripts/pack.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Tarball path of each publishable package, packed once by tarballs.setup.ts. */
    tarballs: Record<PublishableName, string>;
  }
}

/** The packed tarballs of `@bastion/nest`, `@bastion/codemod` and `@bastion/schematics`. */
export function tarballs(): Record<PublishableName, string> {
  return inject('tarballs');
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
