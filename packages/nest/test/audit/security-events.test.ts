import { describe, expect, it } from 'vitest';
import { FunctionAuditSink, JsonLinesAuditSink } from '../../src/audit/audit-sink.js';
import { createAuditSink } from '../../src/audit/audit-options.js';
import { RedactingLogger } from '../../src/audit/redacting-logger.js';
import { createRedactor } from '../../src/audit/redactor.js';
import type { SecurityEvent } from '../../src/audit/security-event.js';
import { SecurityEvents } from '../../src/audit/security-events.service.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('SecurityEvents', () => {
  it('writes each event to the sink, then to every subscriber, filling in the time', () => {
    const order: string[] = [];
    const events = new SecurityEvents({ write: (e) => void order.push(`sink:${e.type}`) });
    events.subscribe((e) => void order.push(`sub:${e.type}:${typeof e.time}`));
    events.emit({ type: 'authentication.failed', outcome: 'failure', reason: 'ERR_X' });
    expect(order).toEqual(['sink:authentication.failed', 'sub:authentication.failed:string']);
  });

  it('never throws when a sink or subscriber throws, and still reaches the others', () => {
    const seen: string[] = [];
    const events = new SecurityEvents({ write: () => { throw new Error('disk full'); } });
    events.subscribe(() => { throw new Error('boom'); });
    const unsubscribe = events.subscribe((e) => void seen.push(e.type));
    expect(() => events.emit({ type: 'request.throttled', outcome: 'denied' })).not.toThrow();
    expect(seen).toEqual(['request.throttled']);
    unsubscribe();
    events.emit({ type: 'request.throttled', outcome: 'denied' });
    expect(seen).toHaveLength(1);
  });

  it('gives a listener subscribed to some types only those', () => {
    const seen: string[] = [];
    const events = new SecurityEvents(null);
    events.subscribe((e) => void seen.push(e.type), { types: ['authentication.failed'] });
    events.emit({ type: 'authentication.succeeded', outcome: 'success' });
    events.emit({ type: 'authentication.failed', outcome: 'failure' });
    expect(seen).toEqual(['authentication.failed']);
  });

  it('wants a type when the sink writes it or a subscriber takes it, and only then', () => {
    // The default sink leaves successes out (audit.successes: false).
    const quiet = new SecurityEvents(createAuditSink({ sink: { write: () => undefined } }));
    expect(quiet.wants('authentication.succeeded')).toBe(false);
    expect(quiet.wants('authentication.failed')).toBe(true);
    const unsubscribe = quiet.subscribe(() => undefined, { types: ['alert.raised'] });
    expect(quiet.wants('authentication.succeeded')).toBe(false);
    quiet.subscribe(() => undefined, { types: ['authentication.succeeded'] });
    expect(quiet.wants('authentication.succeeded')).toBe(true);
    unsubscribe();
    const everything = new SecurityEvents(null);
    expect(everything.wants('authentication.succeeded')).toBe(false);
    everything.subscribe(() => undefined);
    expect(everything.wants('authentication.succeeded')).toBe(true);
    expect(new SecurityEvents(createAuditSink({ sink: { write: () => undefined }, successes: true })).wants('authentication.succeeded')).toBe(true);
    // Without DI (no sink injected) every event is logged when nobody listens.
    expect(new SecurityEvents().wants('authentication.succeeded')).toBe(true);
  });

  it('with the sink disabled (null) only subscribers get events', () => {
    const seen: SecurityEvent[] = [];
    const events = new SecurityEvents(null);
    events.subscribe((e) => void seen.push(e));
    events.emit({ type: 'token.revoked', outcome: 'info' });
    expect(seen).toHaveLength(1);
  });
});

describe('audit sinks', () => {
  it('JSON lines: one redacted line per event, newlines inside values escaped', () => {
    const out: string[] = [];
    const sink = new JsonLinesAuditSink(createRedactor(), () => ({ write: (s: string) => out.push(s) }));
    sink.write({ type: 'authentication.failed', outcome: 'failure', time: 't', details: { header: `Bearer ${JWT}`, note: 'a\nb' } });
    expect(out).toHaveLength(1);
    expect(out[0]!.endsWith('\n')).toBe(true);
    expect(out[0]!.slice(0, -1)).not.toContain('\n');
    expect(out[0]).not.toContain(JWT.split('.')[2]);
    expect(JSON.parse(out[0]!).details).toEqual({ header: 'Bearer [REDACTED]', note: 'a\nb' });
  });

  it('user sinks get redacted copies; createAuditSink honours false', () => {
    const seen: SecurityEvent[] = [];
    new FunctionAuditSink(createRedactor(), (e) => void seen.push(e)).write({ type: 'authentication.failed', outcome: 'failure', time: 't', details: { password: 'p' } });
    expect(seen[0]!.details).toEqual({ password: '[REDACTED]' });
    expect(createAuditSink({ sink: false })).toBeNull();
    const writes: SecurityEvent[] = [];
    createAuditSink({ sink: { write: (e) => void writes.push(e) } })!.write({ type: 'authentication.failed', outcome: 'failure', time: 't', details: { token: JWT } });
    expect(writes[0]!.details).toEqual({ token: '[REDACTED]' });
  });
});

describe('RedactingLogger', () => {
  it('redacts messages, objects, stacks and contexts before the inner logger sees them', () => {
    const calls: unknown[][] = [];
    const inner = {
      log: (...a: unknown[]) => void calls.push(['log', ...a]),
      error: (...a: unknown[]) => void calls.push(['error', ...a]),
      warn: (...a: unknown[]) => void calls.push(['warn', ...a]),
      debug: (...a: unknown[]) => void calls.push(['debug', ...a]),
    };
    const logger = new RedactingLogger(inner, { pii: true });
    logger.log(`user bob@example.com sent Bearer ${JWT}`, 'Ctx');
    logger.error(new Error(`bad token ${JWT}`), `Error: x\n    at f (token=${JWT})`, 'Ctx');
    logger.warn({ headers: { authorization: 'Basic abc' } });
    logger.debug('ok');
    logger.verbose('dropped quietly: the inner logger has no verbose');
    const text = JSON.stringify(calls);
    expect(text).not.toContain(JWT.split('.')[2]);
    expect(text).not.toContain('bob@example.com');
    expect(calls[0]).toEqual(['log', 'user [REDACTED] sent Bearer [REDACTED]', 'Ctx']);
    expect(calls[2]).toEqual(['warn', { headers: { authorization: '[REDACTED]' } }]);
    expect(calls[3]).toEqual(['debug', 'ok']);
  });
});
