import { describe, expect, it } from 'vitest';
import { createAuditSink } from '../../src/audit/audit-options.js';
import { validateOptions } from '../../src/options/validate-options.js';
import type { SecurityEvent } from '../../src/audit/security-event.js';

const event = (type: SecurityEvent['type']): SecurityEvent => ({ type, outcome: 'info', time: new Date(0).toISOString() });

describe('audit.successes', () => {
  it('writes authentication successes only when asked', () => {
    const written: string[] = [];
    createAuditSink({ sink: (e) => written.push(e.type), successes: true })!.write(event('authentication.succeeded'));
    expect(written).toEqual(['authentication.succeeded']);
  });

  it('drops authentication.succeeded by default, and keeps everything else', () => {
    const written: string[] = [];
    const sink = createAuditSink({ sink: (e) => written.push(e.type) })!;
    sink.write(event('authentication.succeeded'));
    sink.write(event('authentication.failed'));
    sink.write(event('authorization.denied'));
    expect(written).toEqual(['authentication.failed', 'authorization.denied']);
  });

  it('refuses a non-boolean at boot, naming the option', () => {
    expect(() => validateOptions({ audit: { successes: 'no' as never } })).toThrow(/"audit.successes" must be a boolean/);
  });
});
