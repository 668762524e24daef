import { describe, expect, it } from 'vitest';
import { CircuitBreaker, CircuitOpenError } from './circuitBreaker.ts';

const fail = () => Promise.reject(new Error('timed out'));
const ok = () => Promise.resolve('answer');

describe('the circuit breaker', () => {
  it('lets calls through while they succeed, and a failure below the threshold changes nothing (positive control)', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 1000, now: () => 0 });
    await expect(breaker.run(fail)).rejects.toThrow('timed out');
    await expect(breaker.run(fail)).rejects.toThrow('timed out');
    expect(await breaker.run(ok)).toBe('answer');
    // The count restarts after a success.
    await expect(breaker.run(fail)).rejects.toThrow('timed out');
    await expect(breaker.run(fail)).rejects.toThrow('timed out');
    expect(breaker.state).toBe('closed');
  });

  it('opens after the threshold of failures in a row and then fails fast without calling', async () => {
    let t = 0;
    let calls = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 1000, now: () => t });
    for (let i = 0; i < 3; i++) await expect(breaker.run(fail)).rejects.toThrow('timed out');
    expect(breaker.state).toBe('open');
    t = 400;
    const error = await breaker.run(() => { calls++; return ok(); }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(error).toMatchObject({ failures: 3, retryInMs: 600 });
    expect(calls).toBe(0);
  });

  it('lets one probe through after openMs: success closes, failure re-opens; calls during the probe fail fast', async () => {
    let t = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 1000, now: () => t });
    for (let i = 0; i < 2; i++) await expect(breaker.run(fail)).rejects.toThrow();
    t = 1000;
    // A failing probe: open again for another openMs.
    await expect(breaker.run(fail)).rejects.toThrow('timed out');
    expect(breaker.state).toBe('open');
    t = 1500;
    await expect(breaker.run(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    t = 2000;
    let release!: (v: string) => void;
    const probe = breaker.run(() => new Promise<string>((r) => { release = r; }));
    expect(breaker.state).toBe('half-open');
    await expect(breaker.run(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    release('answer');
    expect(await probe).toBe('answer');
    expect(breaker.state).toBe('closed');
    expect(await breaker.run(ok)).toBe('answer');
  });

  it('counts only the errors it is told are failures', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, now: () => 0 });
    await expect(breaker.run(() => Promise.reject(new Error('HTTP 400')), () => false)).rejects.toThrow('HTTP 400');
    expect(breaker.state).toBe('closed');
  });

  it('refuses a threshold below 1', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).toThrow(RangeError);
  });
});
