import { describe, expect, it } from 'vitest';
import { AppRateLimiter, WINDOW_MS } from './appRateLimiter.ts';

function limiter() {
  let now = 1_000_000;
  const l = new AppRateLimiter(() => now);
  return { l, advance: (ms: number) => (now += ms) };
}

describe('AppRateLimiter', () => {
  it('admits up to the request limit per sliding minute, then says when to retry', () => {
    const { l, advance } = limiter();
    const limits = { requestsPerMinute: 3, keysPerMinute: 100 };
    expect(l.admit('a', limits, []).admitted).toBe(true);
    advance(10_000);
    expect(l.admit('a', limits, []).admitted).toBe(true);
    expect(l.admit('a', limits, []).admitted).toBe(true);
    const refused = l.admit('a', limits, []);
    expect(refused).toMatchObject({ admitted: false, limit: 'requests', perMinute: 3, used: 3, retryAfterSeconds: 50 });
    // Another app is counted apart.
    expect(l.admit('b', limits, []).admitted).toBe(true);
    advance(50_000);
    expect(l.admit('a', limits, []).admitted).toBe(true);
  });

  it('counts distinct keys: the same key again is free, a sweep of new ones is refused', () => {
    const { l, advance } = limiter();
    const limits = { requestsPerMinute: 100, keysPerMinute: 5 };
    expect(l.admit('a', limits, ['1', '2', '3']).admitted).toBe(true);
    advance(1000);
    expect(l.admit('a', limits, ['1', '2', '3', '4']).admitted).toBe(true);
    expect(l.admit('a', limits, ['1', '4']).admitted).toBe(true);
    const refused = l.admit('a', limits, ['6', '7']);
    // Every key was last used at +1000 ms; one must expire to make room: at +1000 ms + 60 s.
    expect(refused).toMatchObject({ admitted: false, limit: 'keys', perMinute: 5, used: 6, retryAfterSeconds: 60 });
    advance(WINDOW_MS);
    expect(l.admit('a', limits, ['6', '7']).admitted).toBe(true);
  });

  it('refuses an operation naming more keys than the limit outright, retry after a minute', () => {
    const { l } = limiter();
    const refused = l.admit('a', { requestsPerMinute: 100, keysPerMinute: 2 }, ['1', '2', '3']);
    expect(refused).toMatchObject({ admitted: false, limit: 'keys', retryAfterSeconds: 60 });
  });

  it('a refused request does not count', () => {
    const { l } = limiter();
    const limits = { requestsPerMinute: 100, keysPerMinute: 2 };
    expect(l.admit('a', limits, ['1', '2', '3']).admitted).toBe(false);
    expect(l.admit('a', limits, ['1', '2']).admitted).toBe(true);
  });

  it('sweep forgets idle apps', () => {
    const { l, advance } = limiter();
    l.admit('a', { requestsPerMinute: 1, keysPerMinute: 1 }, ['x']);
    advance(WINDOW_MS + 1);
    l.sweep();
    expect(l.admit('a', { requestsPerMinute: 1, keysPerMinute: 1 }, ['y']).admitted).toBe(true);
  });
});
