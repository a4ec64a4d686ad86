import { Body, Controller, Get, Logger, Module, Post } from '@nestjs/common';
import { IsString } from 'class-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, Public, RevocationService, generateApiKey, generateHmacSecret } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { capturedLines, dropCaptured, findAuditViolations, findLeaks, findTelemetryLeaks } from '../support/log-capture.js';
import { knownSecrets, recordSecret } from '../support/secrets.js';

class LoginDto {
  @IsString()
  username!: string;

  @IsString()
  password!: string;
}

@Controller('lc')
class LeakyController {
  private readonly logger = new Logger('LeakyController');

  @Get('me')
  @Authenticated()
  me() {
    return { ok: true };
  }

  @Post('login')
  @Public()
  login(@Body() body: LoginDto) {
    // What careless app code does; Bastion's validation and logs must still not leak it.
    this.logger.debug?.(`login attempt for ${body.username}`);
    return { ok: true };
  }
}

describe('the log-capture check itself', () => {
  it('is installed for this file and knows the tokens TestIssuer minted', async () => {
    const issuer = await TestIssuer.start();
    try {
      const token = await issuer.sign({ sub: 'probe' });
      expect(knownSecrets()).toContain(token);
    } finally {
      await issuer.close();
    }
  });

  it('finds a recorded secret in every stream, and unrecorded secret shapes', () => {
    const secret = recordSecret(`probe-secret-${generateHmacSecret()}`);
    const apiKey = generateApiKey().key; // not recorded: caught by its shape
    process.stdout.write(`stdout ${secret}\n`);
    process.stderr.write(`stderr ${secret}\n`);
    console.log('console', secret);
    new Logger('Probe').log(`nest ${apiKey}`);
    const leaks = findLeaks();
    expect(leaks.map((l) => l.stream).sort()).toEqual(['console', 'stderr', 'stdout', 'stdout']);
    expect(leaks.some((l) => l.what === 'Bastion API key')).toBe(true);
    // The report masks what it found.
    expect(JSON.stringify(leaks)).not.toContain(secret);
    dropCaptured((l) => l.text.includes(secret) || l.text.includes(apiKey));
    expect(findLeaks()).toEqual([]);
  });
});

describe('the audit check of the setup file', () => {
  it('flags a request with two rejection events or a rejection without a reason code, and nothing else', () => {
    const ev = (requestId: string, type: string, outcome: string, reason?: string) => ({ requestId, type, outcome, reason });
    expect(findAuditViolations([
      ev('r1', 'authentication.succeeded', 'success'),
      ev('r1', 'authorization.denied', 'denied', 'ERR_SCOPE_MISSING'),
      ev('r2', 'authentication.failed', 'failure', 'ERR_TOKEN_EXPIRED'),
      ev('r2', 'client.blocked', 'denied', 'ERR_TOO_MANY_FAILED_AUTHENTICATIONS'),
      ev('r2', 'alert.raised', 'info', 'ALERT_AUTH_FAILURES_PER_IP'),
    ])).toEqual([]);
    expect(findAuditViolations([
      ev('r3', 'authentication.failed', 'failure', 'ERR_TOKEN_EXPIRED'),
      ev('r3', 'authorization.denied', 'denied', 'ERR_SCOPE_MISSING'),
      ev('r4', 'request.throttled', 'denied'),
    ])).toEqual([
      'request.throttled without a reason code (request r4)',
      'request r3: 2 rejection events (authentication.failed/ERR_TOKEN_EXPIRED, authorization.denied/ERR_SCOPE_MISSING)',
    ]);
  });
});

describe('the telemetry check of the setup file', () => {
  it('flags a secret, a token shape or an identity in a metric label or span attribute, and nothing else', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const values = [
      { where: 'bastion.authentication.attempts http.route', value: '/orders/:id' },
      { where: 'bastion.key_set.age bastion.issuer', value: 'http://127.0.0.1:4000' },
      { where: 'bastion.authenticate bastion.reason', value: 'ERR_TOKEN_EXPIRED' },
      { where: 'bastion.authorize http.route', value: '/users/subject-7f3a' },
      { where: 'bastion.authenticate client.address', value: '127.0.0.1' },
      { where: 'bastion.authenticate token', value: `Bearer ${token}` },
      { where: 'bastion.store.errors error.type', value: 'probe-secret-value' },
    ];
    const leaks = findTelemetryLeaks(values, ['probe-secret-value'], [['subject-7f3a', false], ['127.0.0.1', true]]);
    expect(leaks.map((l) => `${l.where}: ${l.what.split(' ')[0]}`)).toEqual([
      'bastion.authorize http.route: identity',
      'bastion.authenticate client.address: identity',
      'bastion.authenticate token: JWT',
      'bastion.store.errors error.type: secret',
    ]);
    // The report masks what it found.
    expect(JSON.stringify(leaks)).not.toContain('probe-secret-value');
  });
});

describe.each(ADAPTERS)('no secret reaches any log (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  const webhookSecret = recordSecret(generateHmacSecret());
  const password = recordSecret('correct horse battery staple 42');
  const apiKey = recordSecret(generateApiKey().key);

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    @Module({
      imports: [BastionModule.forRoot({ jwt: issuer.options(), alerts: { webhook: { url: 'http://127.0.0.1:9/unreachable', secret: webhookSecret, retries: 0 } } })],
      controllers: [LeakyController],
    })
    class AppModule {}
    running = await startApp(AppModule, adapter);
  });
  afterAll(async () => {
    await running.close();
    await issuer.close();
  });

  it('after valid, invalid, revoked, query-string and API-key credentials and a password body', async () => {
    const url = `${running.url}/lc/me`;
    const good = await issuer.sign({ sub: 'alice' });
    const revoked = await issuer.sign({ sub: 'alice', jti: `lc-${adapter}` });
    await running.app.get(RevocationService).revokeToken(`lc-${adapter}`);
    const responses = await Promise.all([
      fetch(url, { headers: { authorization: `Bearer ${good}` } }),
      fetch(url, { headers: { authorization: `Bearer ${good.slice(0, -3)}abc` } }),
      fetch(url, { headers: { authorization: `Bearer ${revoked}` } }),
      fetch(`${url}?access_token=${good}`),
      fetch(url, { headers: { 'x-api-key': apiKey, cookie: `session=${good}` } }),
      fetch(url, { headers: { authorization: `Basic ${Buffer.from(`alice:${password}`).toString('base64')}` } }),
      fetch(`${running.url}/lc/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice', password }) }),
      fetch(`${running.url}/lc/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice', password, extra: apiKey }) }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 401, 401, 400, 401, 401, 201, 400]);
    recordSecret(Buffer.from(`alice:${password}`).toString('base64'));
    expect(capturedLines().length).toBeGreaterThan(0);
    expect(findLeaks()).toEqual([]);
  });
});
