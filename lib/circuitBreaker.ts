/**
 * A circuit breaker (issue 15): after `failureThreshold` failures in a row a call fails at once
 * (CircuitOpenError) instead of waiting for a dependency that is not answering; after `openMs`
 * one call is let through as a probe (half-open) — success closes the circuit, failure opens
 * it for another `openMs`. Calls arriving while the probe is in flight fail fast too.
 *
 * Small and dependency-free because no breaker library is installed here; cockatiel's
 * `circuitBreaker(handleAll, { halfOpenAfter, breaker: new ConsecutiveBreaker(n) })` has the
 * same semantics and can replace it.
 */

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Failures in a row that open the circuit. @default 5 */
  readonly failureThreshold?: number;
  /** How long the circuit stays open before a probe is let through. @default 5000 ms */
  readonly openMs?: number;
  /** Monotonic milliseconds; tests inject one. @default performance.now */
  readonly now?: () => number;
  /** Told of every change of state. */
  readonly onStateChange?: (state: CircuitState) => void;
}

export const DEFAULT_FAILURE_THRESHOLD = 5;
export const DEFAULT_OPEN_MS = 5_000;

export class CircuitOpenError extends Error {
  constructor(
    /** Failures in a row that opened it. */
    readonly failures: number,
    /** Milliseconds until a probe is let through (0: a probe is in flight now). */
    readonly retryInMs: number,
  ) {
    super(`circuit open after ${failures} failures in a row; next probe in ${Math.ceil(retryInMs)} ms`);
    this.name = 'CircuitOpenError';
  }
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private current: CircuitState = 'closed';
  private readonly failureThreshold: number;
  private readonly openMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD;
    this.openMs = options.openMs ?? DEFAULT_OPEN_MS;
    this.now = options.now ?? (() => performance.now());
    if (!Number.isInteger(this.failureThreshold) || this.failureThreshold < 1) throw new RangeError(`failureThreshold must be an integer ≥ 1, received ${this.failureThreshold}`);
    if (!(this.openMs >= 0)) throw new RangeError(`openMs must be ≥ 0, received ${this.openMs}`);
  }

  get state(): CircuitState {
    return this.current;
  }

  /**
   * Runs `call` unless the circuit is open. `isFailure` says which errors count (default: all);
   * an error that does not count still rejects, but as a success for the circuit (the
   * dependency answered).
   */
  async run<T>(call: () => Promise<T>, isFailure: (error: unknown) => boolean = () => true): Promise<T> {
    this.admit();
    let result: T;
    try {
      result = await call();
    } catch (error) {
      if (isFailure(error)) this.failed();
      else this.succeeded();
      throw error;
    }
    this.succeeded();
    return result;
  }

  /** Throws CircuitOpenError unless a call may go now; marks the probe when half-open. */
  private admit(): void {
    if (this.current === 'closed') return;
    const waited = this.now() - this.openedAt;
    if (this.current === 'open' && waited >= this.openMs) this.setState('half-open');
    if (this.current === 'half-open' && !this.probing) {
      this.probing = true;
      return;
    }
    throw new CircuitOpenError(this.failures, this.current === 'open' ? this.openMs - waited : 0);
  }

  private succeeded(): void {
    this.failures = 0;
    this.probing = false;
    if (this.current !== 'closed') this.setState('closed');
  }

  private failed(): void {
    this.failures++;
    const probeFailed = this.current === 'half-open' && this.probing;
    this.probing = false;
    if (probeFailed || (this.current === 'closed' && this.failures >= this.failureThreshold)) {
      this.openedAt = this.now();
      this.setState('open');
    }
  }

  private setState(state: CircuitState): void {
    this.current = state;
    this.options.onStateChange?.(state);
  }
}
