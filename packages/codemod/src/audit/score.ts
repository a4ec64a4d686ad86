import type { AuditReport, PostureScore, ProtectionKind, RuleId } from '../report/types.js';

/** Access credit per protection kind: 1 decided or authenticated, ½ pending a person's decision, 0 open to anyone. */
const ACCESS_CREDIT: Readonly<Record<ProtectionKind, number>> = {
  public: 1, authenticated: 1, requirement: 1, 'method-guard': 1, 'class-guard': 1, composite: 1, 'global-guard': 1, middleware: 1,
  'public-by-design': 1, 'baseline-public': 0.5, unknown: 0.5, 'bastion-default': 0.5, none: 0,
};

const DTO_RULES: ReadonlySet<RuleId> = new Set(['nested-without-validation', 'array-without-each']);
const CONFIG_ERRORS: ReadonlySet<RuleId> = new Set(['cors-credentials-any-origin', 'hardcoded-jwt-secret']);
const CONFIG_WARNINGS: ReadonlySet<RuleId> = new Set(['validation-whitelist-off', 'validation-forbid-unknown-off']);

const clamp = (x: number) => Math.min(1, Math.max(0, x));
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The 0–100 posture score (docs/codemod.md, "Posture score"):
 * `round(60·access + 25·validation + 15·configuration)`, where
 * access = mean access credit over routes (one per handler, whatever its paths),
 * validation = share of validated `@Body`/`@Query` parameters − 0.05 per nested/array finding,
 * configuration = 1 − 0.25 per CORS/secret error − 0.1 per ValidationPipe warning; each part clamped to 0–1.
 */
export function postureScore(report: Pick<AuditReport, 'routes' | 'findings'>): PostureScore {
  const handlers = new Map<string, ProtectionKind>();
  for (const r of report.routes) handlers.set(`${r.file}:${r.line}:${r.method}`, r.protection.kind);
  const credits = [...handlers.values()].map((k) => ACCESS_CREDIT[k]);
  const access = credits.length ? credits.reduce((a, b) => a + b, 0) / credits.length : 1;
  const inputs = new Map<string, boolean>();
  for (const r of report.routes) {
    for (const i of r.inputs) if (i.kind !== 'param') inputs.set(`${r.file}:${r.line}:${i.kind}:${i.name}`, i.validated);
  }
  const validatedShare = inputs.size ? [...inputs.values()].filter(Boolean).length / inputs.size : 1;
  const count = (rules: ReadonlySet<RuleId>) => report.findings.filter((f) => rules.has(f.rule)).length;
  const validation = clamp(validatedShare - 0.05 * count(DTO_RULES));
  const configuration = clamp(1 - 0.25 * count(CONFIG_ERRORS) - 0.1 * count(CONFIG_WARNINGS));
  return {
    score: Math.round(60 * clamp(access) + 25 * validation + 15 * configuration),
    access: round2(clamp(access)), validation: round2(validation), configuration: round2(configuration),
  };
}
