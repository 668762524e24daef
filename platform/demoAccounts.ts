/**
 * The demo's local accounts (issue 14): one person per role — drafter (经办人), approver
 * (审批人), department administrator — in the public security department (`psb`) and in the
 * coordinating office (`dgo`), each with a password and a TOTP secret, so that `npm start`
 * shows a newcomer how a person signs in. Written to `<DATA_DIR>/demo/accounts.json` (0600),
 * the one place a demo password can be read back; kept across restarts while the file and the
 * accounts agree.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ensurePrivateDir, writePrivateFile } from '../lib/privateFiles.ts';
import { personById, type PersonRole } from '../control/people/people.ts';
import type { PlatformStore } from '../control/store/platformStore.ts';
import type { SignInService } from '../control/signIn/signInService.ts';
import { totpUri } from '../control/signIn/totp.ts';

export interface DemoAccount {
  readonly department: string;
  readonly role: PersonRole;
  readonly name: string;
  readonly personId: string;
  readonly username: string;
  readonly password: string;
  /** Base32; enter it in an authenticator app, or use `totpUri`. */
  readonly totpSecret: string;
  readonly totpUri: string;
}

/**
 * One local account per role in psb (a provider) and dgo (the coordinating office), on the demo's
 * people (platform/demoPeople.ts: fixed ids, so the accounts and the members' pages name the same
 * person).
 */
const DEMO_ACCOUNTS: readonly { personId: string; username: string }[] = ['psb', 'dgo'].flatMap((department) =>
  (['DRAFTER', 'APPROVER', 'ADMINISTRATOR'] as const).map((role) => ({
    personId: `person-demo-${department}-${role.toLowerCase()}`,
    username: `${department}-${role === 'ADMINISTRATOR' ? 'admin' : role.toLowerCase()}`,
  })));

const SYSTEM = 'system:demo-seed';

export function demoAccountsFile(dataDir: string): string {
  return join(dataDir, 'demo', 'accounts.json');
}

/** Creates what is missing (people, accounts), idempotently, and writes the file. */
export async function ensureDemoAccounts(store: PlatformStore, signIn: SignInService, dataDir: string, origin: string): Promise<DemoAccount[]> {
  const file = demoAccountsFile(dataDir);
  const previous = existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { accounts?: DemoAccount[] }).accounts ?? []) : [];
  const now = signIn.clock();
  // The demo people are seeded before (seedDemoPeople); a store without them (another world) gets no accounts.
  const people = await Promise.all(DEMO_ACCOUNTS.map((a) => personById(store.db, a.personId)));
  if (people.some((p) => !p || p.deactivatedAt)) return [];
  // The accounts at once: scrypt runs on libuv's thread pool, so six hashes cost about two.
  const accounts = await Promise.all(DEMO_ACCOUNTS.map(async (spec, i): Promise<DemoAccount> => {
    const person = people[i]!;
    const role = person.roles[0]!;
    const existing = await signIn.accounts.ofPerson(person.id);
    const known = previous.find((a) => a.username === spec.username && a.personId === person.id);
    if (existing && known) return known;
    let password: string;
    let totpSecret: string;
    if (existing) {
      // The file was lost: new credentials, as an administrator's reset would give (but ready to use).
      password = randomBytes(12).toString('base64url');
      await signIn.accounts.setPassword(existing.username, password, now);
      totpSecret = await signIn.accounts.totpSecret(existing.username);
    } else {
      ({ password, totpSecret } = await signIn.accounts.create({ personId: person.id, username: spec.username, password: randomBytes(12).toString('base64url') }, SYSTEM, now));
    }
    const username = existing?.username ?? spec.username;
    return { department: person.department, role, name: person.name, personId: person.id, username, password, totpSecret, totpUri: totpUri(totpSecret, username) };
  }));
  ensurePrivateDir(join(dataDir, 'demo'));
  writePrivateFile(file, JSON.stringify({ console: `${origin}/console`, note: 'demo local accounts: username, password, then the TOTP code of the secret (add totpUri to an authenticator app)', accounts }, null, 2) + '\n');
  return accounts;
}
