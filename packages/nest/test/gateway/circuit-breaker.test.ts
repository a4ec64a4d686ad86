import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/gateway/circuit-breaker.js';

describe('CircuitBreaker', () => {
  const clock = () => {
    let t = 1_000;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it('opens after the consecutive failures and refuses until its time is up', () => {
    const c = clock();
    const breaker = new CircuitBreaker(3, 10_000, c.now);
    for (let i = 0; i < 2; i++) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.onFailure();
    }
    expect(breaker.current).toBe('closed');
    breaker.tryAcquire();
    breaker.onFailure();
    expect(breaker.current).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.retryAfterMs()).toBe(10_000);
    c.advance(9_999);
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('lets exactly one probe through when half-open; its success closes the circuit', () => {
    const c = clock();
    const breaker = new CircuitBreaker(1, 5_000, c.now);
    breaker.onFailure();
    c.advance(5_000);
    expect(breaker.current).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.onSuccess();
    expect(breaker.current).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('opens again when the probe fails, for a full period', () => {
    const c = clock();
    const breaker = new CircuitBreaker(2, 5_000, c.now);
    breaker.onFailure();
    breaker.onFailure();
    c.advance(5_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure();
    expect(breaker.current).toBe('open');
    c.advance(4_000);
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('a success resets the count; a released probe frees the slot without closing', () => {
    const c = clock();
    const breaker = new CircuitBreaker(2, 5_000, c.now);
    breaker.onFailure();
    breaker.onSuccess();
    breaker.onFailure();
    expect(breaker.current).toBe('closed');
    breaker.onFailure();
    c.advance(5_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.release();
    expect(breaker.current).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
  });
});
