/** A platform store with the sign-in pieces over it, for the sign-in tests: a fresh database per call, a real audit trail, a hand-turned clock. */
import { randomBytes } from 'node:crypto';
import { openTestAuditLog, type TestAuditLog } from '../../audit/testing.ts';
import { localSecretSealer } from '../../lib/secretSealer.ts';
import { openDatabase } from '../../storage/database.ts';
import { migrateToLatest } from '../../storage/migrate.ts';
import type { TestDialect } from '../../storage/testing.ts';
import { insertPerson, type Person, type PersonRole } from '../people/people.ts';
import { platformMigrations } from '../store/migrations.ts';
import { PlatformStore, type PlatformDatabase } from '../store/platformStore.ts';
import { SignInChallenges } from './challenges.ts';
import { LocalAccounts } from './localAccounts.ts';
import { LocalSignIn } from './localSignIn.ts';
import { Sessions } from './sessions.ts';
import { DEFAULT_SIGN_IN_SETTINGS, type SignInSettings } from './signInSettings.ts';

export interface SignInBench {
  readonly store: PlatformStore;
  readonly audit: TestAuditLog;
  readonly accounts: LocalAccounts;
  readonly sessions: Sessions;
  readonly signIn: LocalSignIn;
  readonly settings: SignInSettings;
  /** The clock every piece reads; `advance` turns it. */
  now: Date;
  advance(ms: number): void;
  person(department: string, name: string, roles: readonly PersonRole[]): Promise<Person>;
  cleanup(): Promise<void>;
}

export async function openSignInBench(dialect: TestDialect, settings: SignInSettings = DEFAULT_SIGN_IN_SETTINGS): Promise<SignInBench> {
  const audit = await openTestAuditLog(dialect);
  const opened = await openDatabase<PlatformDatabase>(audit.storage.config, 'platform');
  await migrateToLatest(opened.db, platformMigrations, 'platform', opened.schema);
  const secrets = localSecretSealer({ current: randomBytes(32) });
  const store = new PlatformStore(opened.db, secrets);
  await store.upsertDepartment({ code: 'psb', name: '省公安厅', nameEn: 'Public Security Department', role: 'PROVIDER', jurisdiction: '440000' });
  await store.upsertDepartment({ code: 'dgo', name: '省电子政务办公室', nameEn: 'E-Government Office', role: 'COORDINATOR', jurisdiction: null });
  const bench = {
    store, audit, settings,
    now: new Date('2026-03-02T01:00:00.000Z'),
    advance(ms: number) {
      bench.now = new Date(bench.now.getTime() + ms);
    },
  } as SignInBench;
  const clock = () => bench.now;
  const accounts = new LocalAccounts(store.db, secrets, settings.lockout);
  const sessions = new Sessions(store.db, settings.sessions);
  Object.assign(bench, {
    accounts, sessions,
    signIn: new LocalSignIn({ store, accounts, challenges: new SignInChallenges(store.db), sessions, audit: audit.log, clock }),
    person: (department: string, name: string, roles: readonly PersonRole[]) => insertPerson(store.db, { department, name, roles }, 'test', bench.now),
    async cleanup() {
      await opened.close();
      await audit.cleanup();
    },
  });
  return bench;
}
