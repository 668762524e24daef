import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './databaseFaults.ts';

describe('database faults a client should retry', () => {
  it('knows a terminated backend, a refused connection, a starting server and a full SQLite disk', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: '08006' }) }))).toBe(true);
  });

  it('leaves bugs and the caller\'s mistakes alone (they stay 500s or 4xx)', () => {
    expect(isDatabaseUnavailable(new TypeError('cannot read properties of undefined'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});

describe('a database fault inside a resolver', () => {
  it('is answered DATABASE_UNAVAILABLE with a retry hint, the database\'s words kept for the operators', async () => {
    const { maskUnexpectedError } = await import('./errors.ts');
    const logged: string[] = [];
    const fault = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const masked = maskUnexpectedError({ message: fault.message, path: ['setFieldPolicy'] }, fault, 'the management API', (m) => logged.push(m));
    expect(masked.extensions).toMatchObject({ code: 'DATABASE_UNAVAILABLE', retryAfterSeconds: 1 });
    expect(masked.message).toMatch(/^the database of the management API is unavailable for a moment; retry in 1 s \(incident [0-9a-f-]+\)$/);
    expect(logged[0]).toContain('terminating connection');
    // Positive control: any other failure stays an internal error.
    const other = maskUnexpectedError({ message: 'x' }, new TypeError('undefined is not a function'), 'the management API', () => {});
    expect(other.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  });
});
