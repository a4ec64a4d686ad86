/**
 * An error the codemod cannot recover from, tied to the place in the user's code that caused it.
 *
 * @example
 * throw new CodemodError('ERR_EDIT_OVERLAP', 'two edits overlap', 'src/orders.controller.ts', 12);
 */
export class CodemodError extends Error {
  override readonly name = 'CodemodError';

  constructor(
    /** Stable machine-readable code, e.g. `ERR_PROJECT_NOT_FOUND`. */
    readonly code: string,
    message: string,
    /** File the error is about (relative to the working directory when known). */
    readonly file?: string,
    /** 1-based line in `file`. */
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(file ? `${file}${line ? `:${line}` : ''}: ${message}` : message, options);
  }
}
