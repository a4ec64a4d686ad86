import { createHash } from 'node:crypto';

/** A Lua script run atomically by Redis, addressed by its SHA-1 (EVALSHA, with EVAL on NOSCRIPT). */
export interface LuaScript {
  source: string;
  sha: string;
}

/** A script and its SHA-1, ready for EVALSHA. */
export function script(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * Fixed window: INCR, start the window on the first hit, and repair a key that lost its TTL.
 * KEYS[1] counter; ARGV[1] window ms. Returns { count, ms until reset }.
 */
export const INCREMENT = script(`
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }
`);

/**
 * Sliding window on a sorted set scored by time: drop hits older than the window, add this one, trim to
 * the cap, count. KEYS[1] set; ARGV[1] now ms, ARGV[2] window ms, ARGV[3] unique member, ARGV[4] cap.
 */
export const HIT_SLIDING = script(`
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZADD', KEYS[1], now, ARGV[3])
local cap = tonumber(ARGV[4])
local size = redis.call('ZCARD', KEYS[1])
if size > cap then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, size - cap - 1)
  size = cap
end
redis.call('PEXPIRE', KEYS[1], window)
return size
`);
