import { Node, type Project } from 'ts-morph';
import { constantString, constInitializer, unwrap } from './literals.js';

const UNITS: ReadonlyArray<[RegExp, number]> = [
  [/^(ms|msecs?|milliseconds?)$/, 0.001],
  [/^(s|secs?|seconds?)$/, 1],
  [/^(m|mins?|minutes?)$/, 60],
  [/^(h|hrs?|hours?)$/, 3_600],
  [/^(d|days?)$/, 86_400],
  [/^(w|weeks?)$/, 604_800],
  [/^(y|yrs?|years?)$/, 31_557_600],
];

/**
 * Seconds of a `jsonwebtoken` `expiresIn` (what `@nestjs/jwt` passes on): a number counts seconds; a string
 * is `ms` syntax (`'60s'`, `'1d'`, `'2 hours'`), and a string of digits alone counts milliseconds.
 */
export function lifetimeSeconds(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const m = /^\s*(-?\d*\.?\d+)\s*([a-z]*)\s*$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[2] === '') return n / 1000;
  const unit = UNITS.find(([re]) => re.test(m[2]!.toLowerCase()));
  return unit ? n * unit[1] : undefined;
}

/** A number written in the code: a literal, `60 * 60 * 24`, or a `const` holding one. */
function numberOf(project: Project, node: Node | undefined, depth = 0): number | undefined {
  const inner = unwrap(node);
  if (!inner || depth > 4) return undefined;
  if (Node.isNumericLiteral(inner)) return inner.getLiteralValue();
  if (Node.isBinaryExpression(inner) && ['*', '+'].includes(inner.getOperatorToken().getText())) {
    const [a, b] = [numberOf(project, inner.getLeft(), depth + 1), numberOf(project, inner.getRight(), depth + 1)];
    if (a === undefined || b === undefined) return undefined;
    return inner.getOperatorToken().getText() === '*' ? a * b : a + b;
  }
  if (Node.isIdentifier(inner)) return numberOf(project, constInitializer(project, inner), depth + 1);
  return undefined;
}

/** The seconds an `expiresIn` expression stands for, when the code states it (undefined when read at runtime). */
export function expiresInSeconds(project: Project, node: Node | undefined): number | undefined {
  const n = numberOf(project, node);
  if (n !== undefined) return lifetimeSeconds(n);
  const s = constantString(project, node);
  return s === undefined ? undefined : lifetimeSeconds(s);
}
