/** One failed constraint, as sent to clients: where and which rule — never the rejected value. */
export interface FieldError {
  field: string;
  constraint: string;
}

/** The parts of a class-validator `ValidationError` read here (structural, so this file stays pure). */
export interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

// An unknown property's name is written by the client: only plain names are sent back, so an error
// body never carries markup, control characters or a payload smuggled in as a key.
const PLAIN_NAME = /^[A-Za-z0-9_-]{1,64}$/;

function safeName(property: string): string {
  return PLAIN_NAME.test(property) ? property : '(invalid name)';
}

/** Upper bound on the errors listed in one response, so a hostile body cannot make it huge. */
export const MAX_FIELD_ERRORS = 50;

/**
 * Flattens nested validation errors to `{ field, constraint }` with dotted paths (`items.0.name`).
 * Only constraint names are kept: class-validator's messages can quote the value (`$value`) or the
 * rules, and neither belongs in a response. A root-level error (e.g. a non-object body) has field `''`.
 */
export function toFieldErrors(errors: readonly ValidationErrorLike[], max = MAX_FIELD_ERRORS): FieldError[] {
  const out: FieldError[] = [];
  const stack: Array<[ValidationErrorLike, string]> = [...errors].reverse().map((e) => [e, '']);
  while (stack.length > 0 && out.length < max) {
    const [error, parent] = stack.pop()!;
    const name = error.property === undefined || error.property === '' ? '' : safeName(String(error.property));
    const field = name === '' ? parent : parent ? `${parent}.${name}` : name;
    for (const constraint of Object.keys(error.constraints ?? {})) {
      if (out.length < max) out.push({ field, constraint });
    }
    for (const child of [...(error.children ?? [])].reverse()) stack.push([child, field]);
  }
  return out;
}
