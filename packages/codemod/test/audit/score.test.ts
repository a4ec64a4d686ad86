import { describe, expect, it } from 'vitest';
import { postureScore } from '../../src/audit/score.js';
import type { Finding, ProtectionKind, RouteRow } from '../../src/report/types.js';

function route(line: number, kind: ProtectionKind, validated?: boolean, path = `/r${line}`): RouteRow {
  return {
    method: 'GET', path, handler: `C.m${line}`, file: 'src/c.ts', line, throttling: 'none',
    protection: { kind, source: '', scopes: [], anyScopes: [], roles: [], policies: [], app: { status: 'open', mechanisms: [] } },
    inputs: validated === undefined ? [] : [{ kind: 'body', name: 'body', status: validated ? 'dto' : 'any', validated }],
  };
}
const finding = (rule: Finding['rule']): Finding => ({ rule, severity: 'warning', message: '', file: 'src/c.ts', line: 1 });

describe('posture score', () => {
  it('is 100 for a project with nothing to fault, and counts each handler once whatever its paths', () => {
    expect(postureScore({ routes: [], findings: [] })).toEqual({ score: 100, access: 1, validation: 1, configuration: 1 });
    const versions = [route(1, 'none', undefined, '/v1/a'), route(1, 'none', undefined, '/v2/a'), route(2, 'requirement')];
    expect(postureScore({ routes: versions, findings: [] }).access).toBe(0.5);
  });

  it('follows the documented formula: round(60·access + 25·validation + 15·configuration)', () => {
    const routes = [route(1, 'requirement', true), route(2, 'baseline-public', false), route(3, 'none'), route(4, 'public-by-design', true)];
    const findings = [finding('nested-without-validation'), finding('hardcoded-jwt-secret'), finding('validation-whitelist-off')];
    // access = (1 + 0.5 + 0 + 1) / 4 = 0.625; validation = 2/3 − 0.05 = 0.6167; configuration = 1 − 0.25 − 0.1 = 0.65
    expect(postureScore({ routes, findings })).toEqual({ score: Math.round(60 * 0.625 + 25 * (2 / 3 - 0.05) + 15 * 0.65), access: 0.63, validation: 0.62, configuration: 0.65 });
    expect(postureScore({ routes, findings }).score).toBe(63);
  });

  it('clamps each part to 0–1', () => {
    const many = Array.from({ length: 10 }, () => finding('cors-credentials-any-origin'));
    expect(postureScore({ routes: [route(1, 'none', false)], findings: many })).toEqual({ score: 0, access: 0, validation: 0, configuration: 0 });
  });
});
