import type { FieldSpec } from '@bastion/codemod';

/** A body that passes the create DTO's rules (used by the generated e2e spec). */
export function validSample(fields: FieldSpec[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.optional) continue;
    const one = sampleValue(f);
    out[f.name] = f.array ? [one] : one;
  }
  return out;
}

function sampleValue(f: FieldSpec): unknown {
  if (f.enum?.length) return f.enum[0];
  switch (f.type) {
    case 'string':
      return 'x'.repeat(Math.max(f.min ?? 1, 1));
    case 'uuid':
      return '3f0c6f6e-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
    case 'email':
      return 'alice@example.com';
    case 'date':
      return '2026-01-01T00:00:00Z';
    case 'int':
    case 'number':
      return f.min ?? (f.max !== undefined && f.max < 1 ? f.max : 1);
    case 'boolean':
      return true;
    case 'object':
      return validSample(f.fields ?? []);
    default:
      return undefined;
  }
}

/** A body the create DTO must reject: a string one character past its max, or a wrongly typed value, or an unknown field. */
export function invalidSample(fields: FieldSpec[], maxStringLength: number): Record<string, unknown> {
  const base = validSample(fields);
  const str = fields.find((f) => f.type === 'string' && !f.array && !f.enum);
  if (str) return { ...base, [str.name]: 'x'.repeat((str.max ?? maxStringLength) + 1) };
  const other = fields.find((f) => !f.array && f.type !== 'object');
  if (other) return { ...base, [other.name]: other.type === 'string' || other.type === 'uuid' || other.type === 'email' || other.type === 'date' ? 42 : 'not-a-' + other.type };
  return { ...base, unexpectedField: true };
}

/** A TypeScript literal for sample data: `{ item: 'x', tags: ['a'] }`, long runs as `'x'.repeat(101)`. */
export function literal(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length > 16 && new Set(value).size === 1) return `'${value[0]}'.repeat(${value.length})`;
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  }
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${literal(v)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return String(value);
}
