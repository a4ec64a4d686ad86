import { describe, expect, it } from 'vitest';
import { changed, nestApp, runner, snapshot } from './support.js';

describe('policy', () => {
  it('writes an injectable policy and its unit test: exact files', async () => {
    const tree = nestApp();
    const before = snapshot(tree);
    const { runner: r } = runner();
    const after = snapshot(await r.runSchematic('policy', { name: 'account-owner', path: 'accounts' }, tree));
    expect(changed(before, after)).toEqual(['src/accounts/policies/account-owner.policy.spec.ts', 'src/accounts/policies/account-owner.policy.ts']);
    await expect(after['src/accounts/policies/account-owner.policy.ts']).toMatchFileSnapshot('./__snapshots__/policy/account-owner.policy.ts.snap');
    await expect(after['src/accounts/policies/account-owner.policy.spec.ts']).toMatchFileSnapshot('./__snapshots__/policy/account-owner.policy.spec.ts.snap');
    expect(after['src/accounts/policies/account-owner.policy.ts']).toContain('export class AccountOwnerPolicy implements Policy {');
    expect(after['src/accounts/policies/account-owner.policy.spec.ts']).toContain("import { AccountOwnerPolicy } from './account-owner.policy.js';");
  });

  it('follows CommonJS/jest, honours --flat and --spec false, and is idempotent', async () => {
    const { runner: r } = runner();
    const cjs = await r.runSchematic('policy', { name: 'tenant', flat: true }, nestApp({ esm: false, runner: 'jest', nestMajor: 11 }));
    const spec = cjs.readText('src/tenant.policy.spec.ts');
    expect(spec).toContain("import { TenantPolicy } from './tenant.policy';");
    expect(spec).not.toContain('vitest');
    const before = snapshot(cjs);
    expect(snapshot(await r.runSchematic('policy', { name: 'tenant', flat: true }, cjs))).toEqual(before);
    const noSpec = await r.runSchematic('policy', { name: 'tenant', spec: false }, nestApp());
    expect(noSpec.exists('src/policies/tenant.policy.ts')).toBe(true);
    expect(noSpec.exists('src/policies/tenant.policy.spec.ts')).toBe(false);
  });

  it('refuses a NestJS 7 project: the policy imports @bastion/nest, which cannot run there', async () => {
    const { runner: r } = runner();
    await expect(r.runSchematic('policy', { name: 'tenant' }, nestApp({ esm: false, runner: 'jest', nestMajor: 7 }))).rejects.toThrow(/^policy: @bastion\/nest cannot be used in this project yet: .*Upgrade path: 1\. upgrade NestJS/);
  });
});
