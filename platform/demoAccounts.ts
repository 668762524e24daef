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
import { insertPerson, peopleOf, type Person, type PersonRole } from '../control/people/people.ts';
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

const DEMO_PEOPLE: readonly { department: string; role: PersonRole; name: string; username: string }[] = [
  { department: 'psb', role: 'DRAFTER', name: '张经办', username: 'psb-drafter' },
  { department: 'psb', role: 'APPROVER', name: '李审批', username: 'psb-approver' },
  { department: 'psb', role: 'ADMINISTRATOR', name: '王管理', username: 'psb-admin' },
  { department: 'dgo', role: 'DRAFTER', name: '陈经办', username: 'dgo-drafter' },
  { department: 'dgo', role: 'APPROVER', name: '刘审批', username: 'dgo-approver' },
  { department: 'dgo', role: 'ADMINISTRATOR', name: '赵管理', username: 'dgo-admin' },
];

const SYSTEM = 'system:demo-seed';

export function demoAccountsFile(dataDir: string): string {
  return join(dataDir, 'demo', 'accounts.json');
}

/** Creates what is missing (people, accounts), idempotently, and writes the file. */
export async function ensureDemoAccounts(store: PlatformStore, signIn: SignInService, dataDir: string, origin: string): Promise<DemoAccount[]> {
  const departments = new Set((await store.departments()).map((d) => d.code));
  if (!DEMO_PEOPLE.every((p) => departments.has(p.department))) return [];
  const file = demoAccountsFile(dataDir);
  const previous = existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { accounts?: DemoAccount[] }).accounts ?? []) : [];
  const now = signIn.clock();
  const people: Person[] = [];
  for (const spec of DEMO_PEOPLE) {
    people.push((await peopleOf(store.db, spec.department)).find((p) => p.name === spec.name && !p.deactivatedAt)
      ?? await insertPerson(store.db, { department: spec.department, name: spec.name, roles: [spec.role] }, SYSTEM, now));
  }
  // The accounts at once: scrypt runs on libuv's thread pool, so six hashes cost about two.
  const accounts = await Promise.all(DEMO_PEOPLE.map(async (spec, i): Promise<DemoAccount> => {
    const person = people[i]!;
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
    return { department: spec.department, role: spec.role, name: spec.name, personId: person.id, username, password, totpSecret, totpUri: totpUri(totpSecret, username) };
  }));
  ensurePrivateDir(join(dataDir, 'demo'));
  writePrivateFile(file, JSON.stringify({ console: `${origin}/console`, note: 'demo local accounts: username, password, then the TOTP code of the secret (add totpUri to an authenticator app)', accounts }, null, 2) + '\n');
  return accounts;
}
