import { SchematicsException } from '@angular-devkit/schematics';
import type * as Codemod from '@bastion/codemod';

/** `@bastion/codemod`: the one AST engine, DTO generator and `bastion.json` reader the schematics call. */
export type Engine = typeof Codemod;

let loaded: Engine | undefined;

/**
 * Loads the engine. The Angular devkit `require`s these CommonJS factories; `require` resolves the
 * engine's CommonJS build (its `exports` map), so loading it needs no `require(esm)`.
 */
export function engine(): Engine {
  if (!loaded) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS build, see above
      loaded = require('@bastion/codemod') as Engine;
    } catch (err) {
      throw new SchematicsException(`@bastion/codemod could not be loaded (${(err as Error).message}); reinstall @bastion/schematics, which depends on it`);
    }
  }
  return loaded;
}

/** Runs `fn` with the engine; its errors (a bad field list, a bad bastion.json) become `SchematicsException`s. */
export function withEngine<T>(fn: (e: Engine) => T): T {
  const e = engine();
  try {
    return fn(e);
  } catch (err) {
    if (err instanceof e.CodemodError) throw new SchematicsException(err.message);
    throw err;
  }
}
