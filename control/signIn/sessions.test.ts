/**
 * Server-side sessions on a real store: idle and absolute timeouts on the injected clock,
 * sign-out, and a deactivated person's session refused on its next resolution — each with
 * the live session beside it as the positive control.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDialects } from '../../storage/testing.ts';
import { csrfTokenMatches, csrfTokenOf } from './sessions.ts';
import { openSignInBench, type SignInBench } from './testing.ts';

const MINUTE = 60_000;

describe.each(testDialects())('sessions (%s)', (dialect) => {
  let bench: SignInBench;
  beforeEach(async () => {
    bench = await openSignInBench(dialect);
  });
  afterEach(async () => bench.cleanup());

  it('ends after 30 minutes unused, not while used', async () => {
    const person = await bench.person('psb', '李审批', ['APPROVER']);
    const { id } = await bench.sessions.open(person.id, 'LOCAL', bench.now);
    for (let i = 0; i < 4; i++) {
      bench.advance(29 * MINUTE);
      expect((await bench.sessions.resolve(id, bench.now)).live).toBe(true);
    }
    bench.advance(30 * MINUTE);
    expect(await bench.sessions.resolve(id, bench.now)).toEqual({ live: false, end: 'IDLE_TIMEOUT' });
    // Over is over: going back in time does not revive it.
    bench.advance(-30 * MINUTE);
    expect(await bench.sessions.resolve(id, bench.now)).toEqual({ live: false, end: 'IDLE_TIMEOUT' });
  });

  it('ends 12 hours after sign-in however busy', async () => {
    const person = await bench.person('psb', '李审批', ['APPROVER']);
    const { id } = await bench.sessions.open(person.id, 'LOCAL', bench.now);
    for (let i = 0; i < 12 * 60 / 20 - 1; i++) {
      bench.advance(20 * MINUTE);
      expect((await bench.sessions.resolve(id, bench.now)).live).toBe(true);
    }
    bench.advance(20 * MINUTE);
    expect(await bench.sessions.resolve(id, bench.now)).toEqual({ live: false, end: 'ABSOLUTE_TIMEOUT' });
  });

  it('signs out one session, leaving the person\'s other session live', async () => {
    const person = await bench.person('psb', '李审批', ['APPROVER']);
    const a = await bench.sessions.open(person.id, 'LOCAL', bench.now);
    const b = await bench.sessions.open(person.id, 'LOCAL', bench.now);
    expect(await bench.sessions.end(a.id, 'SIGNED_OUT', bench.now)).toBe(true);
    expect(await bench.sessions.resolve(a.id, bench.now)).toEqual({ live: false, end: 'SIGNED_OUT' });
    expect((await bench.sessions.resolve(b.id, bench.now)).live).toBe(true);
    expect(await bench.sessions.resolve('no-such-session', bench.now)).toEqual({ live: false, end: 'UNKNOWN' });
  });

  it('a deactivated person\'s session is refused on its next resolution; a colleague\'s is not', async () => {
    const leaver = await bench.person('psb', '王离职', ['DRAFTER']);
    const colleague = await bench.person('psb', '赵在职', ['DRAFTER']);
    const s1 = await bench.sessions.open(leaver.id, 'LOCAL', bench.now);
    const s2 = await bench.sessions.open(colleague.id, 'LOCAL', bench.now);
    expect((await bench.sessions.resolve(s1.id, bench.now)).live).toBe(true);
    await bench.store.db.updateTable('people').set({ deactivated_at: bench.now.toISOString(), deactivated_by: 'test', deactivation_reason: 'left the department' }).where('id', '=', leaver.id).execute();
    expect(await bench.sessions.resolve(s1.id, bench.now)).toEqual({ live: false, end: 'PERSON_DEACTIVATED' });
    expect((await bench.sessions.resolve(s2.id, bench.now)).live).toBe(true);
  });

  it('a person of the coordinating office is the platform administrator, anyone else a department administrator', async () => {
    const office = await bench.person('dgo', '陈协调', ['APPROVER', 'ADMINISTRATOR']);
    const psb = await bench.person('psb', '周管理', ['ADMINISTRATOR']);
    const a = await bench.sessions.resolve((await bench.sessions.open(office.id, 'OIDC', bench.now)).id, bench.now);
    const b = await bench.sessions.resolve((await bench.sessions.open(psb.id, 'LOCAL', bench.now)).id, bench.now);
    expect(a).toMatchObject({ live: true, method: 'OIDC', identity: { kind: 'PLATFORM_ADMIN', department: 'dgo', credentialId: `session:${office.id}` } });
    expect(b).toMatchObject({ live: true, identity: { kind: 'DEPARTMENT_ADMIN', department: 'psb' } });
  });

  it('the CSRF token is the session\'s own', async () => {
    expect(csrfTokenMatches('session-a', csrfTokenOf('session-a'))).toBe(true);
    expect(csrfTokenMatches('session-a', csrfTokenOf('session-b'))).toBe(false);
    expect(csrfTokenMatches('session-a', undefined)).toBe(false);
    expect(csrfTokenMatches('session-a', '')).toBe(false);
  });
});
