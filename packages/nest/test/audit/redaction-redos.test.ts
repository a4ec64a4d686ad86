import { check } from 'recheck';
import { describe, expect, it } from 'vitest';
import { REDACTION_REGEXPS } from '../../src/audit/redaction-patterns.js';

// recheck (https://makenowjust-labs.github.io/recheck/) decides, by automaton analysis with a fuzzing
// fallback, whether a backtracking matcher can take super-linear time on some input. The hand-written
// scanners (JWT, e-mail) are not regular expressions; their linear cost is timed in redaction-linear.test.ts.
describe('redaction patterns: static ReDoS check', () => {
  it.each(Object.entries(REDACTION_REGEXPS))('%s is safe (linear) for a backtracking matcher', async (_name, pattern) => {
    // A fixed seed: the fuzz checker (used for the bounded repeats) otherwise draws new strings each run, and
    // once called API_KEY_PATTERN vulnerable with a string V8 matches in linear time (kept in adversarial-inputs.ts,
    // timed by redaction-linear.test.ts).
    const diagnostics = await check(pattern.source, pattern.flags, { timeout: 20_000, randomSeed: 1 });
    expect(diagnostics.status === 'vulnerable' ? `vulnerable: ${diagnostics.attack.pattern}` : diagnostics.status).toBe('safe');
  }, 60_000);

  it('flags the JWT pattern this replaced (the check can fail)', async () => {
    const old = /\beyJ[A-Za-z0-9_-]{2,8192}(?:\.[A-Za-z0-9_-]{0,16384}){2,4}/g;
    expect((await check(old.source, old.flags, { timeout: 20_000 })).status).toBe('vulnerable');
  }, 60_000);
});
