import { Body, Controller, Injectable, Module, Param, Post, type DynamicModule } from '@nestjs/common';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BastionModule, RequireScopes, UsePolicy, type Policy, type PolicyContext } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';

class TransferDto {
  @IsString()
  to!: string;

  @IsInt()
  @Min(1)
  @Max(1_000_000)
  amount!: number;
}

/** Allows transfers up to the caller's `transfer_limit` claim; decides on the validated DTO. */
@Injectable()
class TransferLimitPolicy implements Policy {
  readonly needsValidatedBody = true;
  readonly seen: unknown[] = [];
  evaluate({ principal, body }: PolicyContext): boolean {
    this.seen.push(body);
    const limit = principal.claims.transfer_limit;
    return body instanceof TransferDto && typeof limit === 'number' && body.amount <= limit;
  }
}

@Controller('accounts')
class AccountsController {
  @Post(':id/transfers')
  @RequireScopes('payments:write')
  @UsePolicy(TransferLimitPolicy)
  transfer(@Param('id') id: string, @Body() dto: TransferDto) {
    return { id, to: dto.to, amount: dto.amount, dto: dto instanceof TransferDto };
  }
}

function appModule(issuer: TestIssuer): new () => unknown {
  @Module({
    imports: [BastionModule.forRoot({ realm: 'orders', jwt: issuer.options() }) as DynamicModule],
    controllers: [AccountsController],
    providers: [TransferLimitPolicy],
  })
  class AppModule {}
  return AppModule;
}

describe.each(ADAPTERS)('authorization: policies on the validated body (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  let token: string;
  let policy: TransferLimitPolicy;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    running = await startApp(appModule(issuer), adapter);
    policy = running.app.get(TransferLimitPolicy);
    token = await issuer.sign({ sub: 'alice', scope: 'payments:write', transfer_limit: 100 });
  });
  afterAll(async () => {
    await running?.close();
    await issuer?.close();
  });

  const post = (body: unknown, bearer = token) =>
    fetch(`${running.url}/accounts/a1/transfers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('gives the policy the validated DTO instance and lets an allowed request through', async () => {
    policy.seen.length = 0;
    const res = await post({ to: 'bob', amount: 50 });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id: 'a1', to: 'bob', amount: 50, dto: true });
    expect(policy.seen).toHaveLength(1);
    expect(policy.seen[0]).toBeInstanceOf(TransferDto);
  });

  it('denies on a validated field (403 ERR_POLICY_DENIED)', async () => {
    const res = await post({ to: 'bob', amount: 500 });
    const body = await res.text();
    expect(res.status).toBe(403);
    expect(problemInvariants(res, body)).toEqual([]);
    expect(JSON.parse(body).code).toBe('ERR_POLICY_DENIED');
    expect(body).not.toContain('500');
  });

  it('answers an invalid body with the validation 400 and never shows it to the policy', async () => {
    policy.seen.length = 0;
    for (const invalid of [{ to: 'bob', amount: '50' }, { to: 'bob' }, [{ to: 'bob', amount: 50 }]]) {
      const res = await post(invalid);
      const body = await res.text();
      expect(res.status).toBe(400);
      expect(problemInvariants(res, body)).toEqual([]);
    }
    expect(policy.seen).toEqual([]);
  });

  it('still checks scopes first, in the guard', async () => {
    policy.seen.length = 0;
    const noScope = await issuer.sign({ sub: 'alice', transfer_limit: 100 });
    const res = await post({ to: 'bob', amount: 50 }, noScope);
    expect(res.status).toBe(403);
    expect(JSON.parse(await res.text()).code).toBe('ERR_SCOPE_MISSING');
    expect(policy.seen).toEqual([]);
  });
});
