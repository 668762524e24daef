/**
 * Per-app rate limits against enumeration (R10: access control; DESIGN: "nothing lets a
 * consumer enumerate the population"): requests per minute, and distinct keys per minute —
 * the identifiers an app looked up (citizen ID numbers, credit codes, unit numbers, licence
 * numbers, division codes). Asking for the same person again costs no key; sweeping guessable
 * keys 100 at a time runs into the key limit long before the request limit.
 *
 * Glossary
 * - window: the last 60 seconds, sliding (exact: every admitted request and every key's last
 *   use is remembered until it is 60 s old — at most the limit's worth per app).
 * - admitted: a request within both limits; only admitted requests and their keys count, so
 *   a refused client is not punished further for asking again.
 *
 * Counting is in this process's memory: each gateway replica counts on its own, so N
 * replicas behind a balancer admit up to N × the limit. Shared counting is issue 15's.
 */

import { DEFAULT_APP_RATE_LIMITS, MAX_LIMIT_PER_MINUTE, type AppRateLimits } from '../../control/directory/appRateLimits.ts';

export { DEFAULT_APP_RATE_LIMITS, MAX_LIMIT_PER_MINUTE, type AppRateLimits };

export const WINDOW_MS = 60_000;

export type Admission =
  | { readonly admitted: true }
  | {
      readonly admitted: false;
      /** Which limit refused the request. */
      readonly limit: 'requests' | 'keys';
      /** The limit per minute that was met. */
      readonly perMinute: number;
      /** How many the app used in the window (requests), or would use with this request (keys). */
      readonly used: number;
      /** Whole seconds until the request would be admitted; WINDOW_MS/1000 when it never fits (more keys than the limit). */
      readonly retryAfterSeconds: number;
    };

class AppWindow {
  /** Admission times, oldest first, from `head` on. */
  times: number[] = [];
  head = 0;
  /** Key → last use; a Map iterates in insertion order and keys are re-inserted on use, so oldest first. */
  readonly keys = new Map<string, number>();

  expire(now: number): void {
    const horizon = now - WINDOW_MS;
    while (this.head < this.times.length && this.times[this.head]! <= horizon) this.head++;
    // Compact now and then so the array does not grow with the app's lifetime.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    for (const [key, at] of this.keys) {
      if (at > horizon) break;
      this.keys.delete(key);
    }
  }

  get requests(): number {
    return this.times.length - this.head;
  }
}

export class AppRateLimiter {
  private readonly apps = new Map<string, AppWindow>();

  constructor(private readonly clock: () => number = Date.now) {}

  /**
   * Admits one request of `app` naming `keys`, or says which limit it meets and when to
   * retry. An admitted request counts at once (before it is answered), so concurrent
   * requests cannot slip past together.
   */
  admit(app: string, limits: AppRateLimits, keys: Iterable<string>): Admission {
    const now = this.clock();
    let window = this.apps.get(app);
    if (!window) {
      window = new AppWindow();
      this.apps.set(app, window);
    }
    window.expire(now);
    const requests = window.requests;
    if (requests + 1 > limits.requestsPerMinute) {
      // The request is admitted once enough of the oldest admissions are a minute old.
      const mustExpire = requests + 1 - limits.requestsPerMinute;
      const at = window.times[window.head + mustExpire - 1] ?? now;
      return { admitted: false, limit: 'requests', perMinute: limits.requestsPerMinute, used: requests, retryAfterSeconds: secondsUntil(at + WINDOW_MS, now) };
    }
    const fresh = new Set<string>();
    for (const key of keys) if (!window.keys.has(key)) fresh.add(key);
    const wouldUse = window.keys.size + fresh.size;
    if (wouldUse > limits.keysPerMinute) {
      let retryAfterSeconds = WINDOW_MS / 1000;
      if (fresh.size <= limits.keysPerMinute) {
        let mustExpire = wouldUse - limits.keysPerMinute;
        for (const at of window.keys.values()) {
          if (--mustExpire === 0) {
            retryAfterSeconds = secondsUntil(at + WINDOW_MS, now);
            break;
          }
        }
      }
      return { admitted: false, limit: 'keys', perMinute: limits.keysPerMinute, used: wouldUse, retryAfterSeconds };
    }
    window.times.push(now);
    for (const key of keys) {
      window.keys.delete(key);
      window.keys.set(key, now);
    }
    return { admitted: true };
  }

  /** Forgets windows that hold nothing any more (apps idle for a minute). */
  sweep(): void {
    const now = this.clock();
    for (const [app, window] of this.apps) {
      window.expire(now);
      if (window.requests === 0 && window.keys.size === 0) this.apps.delete(app);
    }
  }
}

function secondsUntil(at: number, now: number): number {
  return Math.max(1, Math.ceil((at - now) / 1000));
}
