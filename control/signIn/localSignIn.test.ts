/**
 * Local sign-in on a real store (SQLite, and PostgreSQL when DATABASE_URL is set): password then
 * TOTP, the lockout, a one-time password changed at first sign-in, and the audit records each
 * step leaves. Every refusal is paired with the same person signing in rightly.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryAudit } from '../../audit/queries.ts';
import { HttpError } from '../../lib/http.ts';
import { testDialects } from '../../storage/testing.ts';
import type { Person } from '../people/people.ts';
import { openSignInBench, type SignInBench } from './testing.ts';
import { totpCode } from './totp.ts';
import type { SignInStep } from './localSignIn.ts';

const PASSWORD = 'correct horse battery staple';

async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe.each(testDialects())('local sign-in (%s)', (dialect) => {
  let bench: SignInBench;
  let alice: Person;
  let secret: string;

  beforeEach(async () => {
    bench = await openSignInBench(dialect);
    alice = await bench.person('psb', '张经办', ['DRAFTER']);
    ({ totpSecret: secret } = await bench.accounts.create({ personId: alice.id, username: 'psb-zhang', password: PASSWORD }, 'test', bench.now));
  });
  afterEach(async () => bench.cleanup());

  const code = () => totpCode(secret, bench.now);
  const adminRecords = async () => (await queryAudit(bench.audit.log, { kind: 'platform' }, { kind: 'ADMIN' })).records;

  it('signs in with password and TOTP code; the session is the person, as a department administrator of psb', async () => {
    const first = await bench.signIn.password('PSB-Zhang ', PASSWORD);
    expect(first.next).toBe('TOTP');
    const done = await bench.signIn.totp((first as { challenge: string }).challenge, await code());
    expect(done.next).toBe('SIGNED_IN');
    const session = await bench.sessions.resolve((done as Extract<SignInStep, { next: 'SIGNED_IN' }>).sessionId, bench.now);
    expect(session).toMatchObject({ live: true, identity: { kind: 'DEPARTMENT_ADMIN', department: 'psb', credentialId: `session:${alice.id}`, name: '张经办', person: { id: alice.id, roles: ['DRAFTER'] } } });
    const records = await adminRecords();
    expect(records.map((r) => [r.action, r.credentialId, r.department])).toEqual([['SIGN_IN', `session:${alice.id}`, 'psb']]);
  });

  it('refuses a wrong password and an unknown username alike, and a wrong or replayed TOTP code; each failure audited', async () => {
    const wrong = await refusal(bench.signIn.password('psb-zhang', 'not the password'));
    const unknown = await refusal(bench.signIn.password('nobody', PASSWORD));
    expect(wrong).toEqual(unknown);
    expect(wrong).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });

    const first = (await bench.signIn.password('psb-zhang', PASSWORD)) as { challenge: string };
    const right = await code();
    const wrongCode = right === '000000' ? '111111' : '000000';
    expect(await refusal(bench.signIn.totp(first.challenge, wrongCode))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await refusal(bench.signIn.totp('made-up-challenge', right))).toMatchObject({ status: 401 });
    // The same challenge, now with the right code: signed in.
    expect((await bench.signIn.totp(first.challenge, right)).next).toBe('SIGNED_IN');
    // The code just used, presented again with a new challenge: refused (replay).
    const again = (await bench.signIn.password('psb-zhang', PASSWORD)) as { challenge: string };
    expect(await refusal(bench.signIn.totp(again.challenge, right))).toMatchObject({ status: 401 });
    bench.advance(30_000);
    expect((await bench.signIn.totp(again.challenge, await code())).next).toBe('SIGNED_IN');

    const records = await adminRecords();
    expect(records.filter((r) => r.action === 'SIGN_IN_FAILED').map((r) => [r.credentialId, r.reason, (r.details as { step: string }).step])).toEqual([
      [`session:${alice.id}`, 'wrong password', 'PASSWORD'],
      ['sign-in:nobody', 'no such account', 'PASSWORD'],
      [`session:${alice.id}`, 'wrong or reused code', 'TOTP'],
      [`session:${alice.id}`, 'wrong or reused code', 'TOTP'],
    ]);
    expect(records.filter((r) => r.action === 'SIGN_IN')).toHaveLength(2);
  });

  it('locks the account after 5 failures in 15 minutes, even against the right password, until the lock ends', async () => {
    for (let i = 0; i < 4; i++) {
      expect(await refusal(bench.signIn.password('psb-zhang', `wrong ${i}`))).toMatchObject({ code: 'UNAUTHENTICATED' });
      bench.advance(60_000);
    }
    // Positive control: four failures do not lock.
    const before = (await bench.signIn.password('psb-zhang', PASSWORD)) as { challenge: string };
    expect(before.challenge).toBeTruthy();
    // A wrong code is the fifth failure.
    expect(await refusal(bench.signIn.totp(before.challenge, 'abcdef'))).toMatchObject({ status: 403, code: 'ACCOUNT_LOCKED' });
    expect(await refusal(bench.signIn.password('psb-zhang', PASSWORD))).toMatchObject({ status: 403, code: 'ACCOUNT_LOCKED' });
    bench.advance(14 * 60_000);
    expect(await refusal(bench.signIn.password('psb-zhang', PASSWORD))).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    bench.advance(60_000);
    const after = (await bench.signIn.password('psb-zhang', PASSWORD)) as { challenge: string };
    expect((await bench.signIn.totp(after.challenge, await code())).next).toBe('SIGNED_IN');
    const locked = (await adminRecords()).filter((r) => r.action === 'ACCOUNT_LOCKOUT');
    expect(locked).toHaveLength(1);
    expect(locked[0]).toMatchObject({ credentialId: `session:${alice.id}`, department: 'psb', target: 'psb-zhang' });
  });

  it('failures spread over more than the window do not lock', async () => {
    for (let i = 0; i < 6; i++) {
      expect(await refusal(bench.signIn.password('psb-zhang', `wrong ${i}`))).toMatchObject({ code: 'UNAUTHENTICATED' });
      bench.advance(4 * 60_000);
    }
    expect((await bench.signIn.password('psb-zhang', PASSWORD)).next).toBe('TOTP');
  });

  it('a one-time password from a reset must be changed at first sign-in; the reset lifts a lock', async () => {
    for (let i = 0; i < 5; i++) await refusal(bench.signIn.password('psb-zhang', `wrong ${i}`));
    expect(await refusal(bench.signIn.password('psb-zhang', PASSWORD))).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    const oneTime = await bench.accounts.resetPassword('psb-zhang', bench.now);
    expect(await refusal(bench.signIn.password('psb-zhang', PASSWORD))).toMatchObject({ code: 'UNAUTHENTICATED' });
    const first = (await bench.signIn.password('psb-zhang', oneTime)) as { challenge: string };
    const change = await bench.signIn.totp(first.challenge, await code());
    expect(change.next).toBe('CHANGE_PASSWORD');
    const challenge = (change as { challenge: string }).challenge;
    expect(await refusal(bench.signIn.changePassword(challenge, 'short'))).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
    expect(await refusal(bench.signIn.changePassword(challenge, oneTime))).toMatchObject({ status: 400 });
    const done = await bench.signIn.changePassword(challenge, 'a new password of mine');
    expect(done.next).toBe('SIGNED_IN');
    bench.advance(30_000);
    expect(await refusal(bench.signIn.password('psb-zhang', oneTime))).toMatchObject({ code: 'UNAUTHENTICATED' });
    const next = (await bench.signIn.password('psb-zhang', 'a new password of mine')) as { challenge: string };
    expect((await bench.signIn.totp(next.challenge, await code())).next).toBe('SIGNED_IN');
    expect((await adminRecords()).filter((r) => r.action === 'PASSWORD_CHANGED')).toHaveLength(1);
  });

  it('a deactivated person signs in no more', async () => {
    await bench.store.db.updateTable('people').set({ deactivated_at: bench.now.toISOString(), deactivated_by: 'test', deactivation_reason: 'left' }).where('id', '=', alice.id).execute();
    expect(await refusal(bench.signIn.password('psb-zhang', PASSWORD))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });
});
