/**
 * An app's rate limits as the directory keeps them (R10: no enumeration): requests and
 * distinct keys per minute; an app without limits of its own has these defaults. The gateway's
 * rate-limit stage (gateway/limits/appRateLimiter.ts) counts against them.
 */

/** @default 600 requests per minute per app */
export const DEFAULT_REQUESTS_PER_MINUTE = 600;
/** @default 3000 distinct keys per minute per app */
export const DEFAULT_KEYS_PER_MINUTE = 3000;
/** The highest limit an administrator may set (a load-test app). */
export const MAX_LIMIT_PER_MINUTE = 10_000_000;

export interface AppRateLimits {
  readonly requestsPerMinute: number;
  readonly keysPerMinute: number;
}

export const DEFAULT_APP_RATE_LIMITS: AppRateLimits = Object.freeze({
  requestsPerMinute: DEFAULT_REQUESTS_PER_MINUTE,
  keysPerMinute: DEFAULT_KEYS_PER_MINUTE,
});
