import { SkipThrottle, Throttle } from '@nestjs/throttler';
import { describe, expect, it } from 'vitest';
import { describeRoute, readThrottle } from '../../src/authorization/route-security.js';

@Throttle({ default: { limit: 10, ttl: 60_000 } })
class Ctrl {
  @Throttle({ burst: { limit: 3, ttl: 1000 } })
  limited() {}

  @SkipThrottle()
  skipped() {}
}
class None {
  m() {}
}

describe('readThrottle', () => {
  it('reads class and method throttler metadata by name', () => {
    expect(readThrottle(Ctrl.prototype.limited, Ctrl)).toEqual({ default: { limit: 10, ttl: 60_000 }, burst: { limit: 3, ttl: 1000 } });
    expect(readThrottle(Ctrl.prototype.skipped, Ctrl)).toEqual({ default: { limit: 10, ttl: 60_000, skip: true } });
    expect(readThrottle(None.prototype.m, None)).toBeUndefined();
  });
});

describe('describeRoute', () => {
  it('names a route as Controller.method (METHOD /path)', () => {
    expect(describeRoute({ controller: 'Orders', handler: 'find', method: 'GET', path: '/orders/:id' })).toBe('Orders.find (GET /orders/:id)');
  });
});
