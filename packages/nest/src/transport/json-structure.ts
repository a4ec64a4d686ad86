import { isForbiddenKey } from './forbidden-keys.js';
import { InputRejected } from './input-rejected.js';

/** Bounds on a parsed JSON document. */
export interface JsonStructureLimits {
  /** Deepest nesting of objects/arrays (the top-level value is depth 1). */
  maxDepth: number;
  /** Object members in the whole document. */
  maxKeys: number;
  /** Elements of any one array. */
  maxArrayLength: number;
}

/**
 * Walks a parsed JSON value iteratively (no recursion, so no stack overflow on hostile nesting) and
 * rejects forbidden keys anywhere, excessive depth, key count and array length. Every later consumer
 * (class-transformer, validators, deep merges) recurses, so the bound must hold before they run.
 */
export function assertJsonStructure(value: unknown, limits: JsonStructureLimits): void {
  let keys = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limits.maxDepth) throw new InputRejected('ERR_BAD_REQUEST', `json depth over ${limits.maxDepth}`);
    if (Array.isArray(node)) {
      if (node.length > limits.maxArrayLength) throw new InputRejected('ERR_BAD_REQUEST', `json array over ${limits.maxArrayLength} items`);
      for (const item of node) stack.push([item, depth + 1]);
      continue;
    }
    for (const key of Object.keys(node)) {
      if (isForbiddenKey(key)) throw new InputRejected('ERR_BAD_REQUEST', `forbidden key ${key}`);
      if (++keys > limits.maxKeys) throw new InputRejected('ERR_BAD_REQUEST', `json over ${limits.maxKeys} keys`);
      stack.push([(node as Record<string, unknown>)[key], depth + 1]);
    }
  }
}
