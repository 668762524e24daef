/**
 * The demo world's platform state (DESIGN.md "Demo world"): departments and purposes, one
 * admin token and one app per department, the platform administrator's token, the demo
 * policies (SDL defaults plus a jurisdiction condition on personal data) and the demo grants.
 */
import { replaceHosts } from '../control/registry/ownershipStore.ts';
import { LOOPBACK_HOSTS } from '../control/store/migrations.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_DEPARTMENTS, DEMO_PURPOSES } from '../demo/departments.ts';
import type { PolicyOverride } from '../policies/model.ts';
import type { TokenSource } from './credentials.ts';
import { hashToken, type CredentialKind, type Identity, type PlatformStore } from '../control/store/platformStore.ts';
import type { PolicyState } from '../control/policies/policyState.ts';
import type { ApplicationService } from '../control/applications/applicationService.ts';
import { acceptUndertaking } from '../control/applications/undertakings.ts';

export const DEMO_GRANTS: readonly { consumer: string; coordinate: string; purpose: string }[] = [
  { consumer: 'mca', coordinate: 'Person.householdAddress', purpose: 'ADMINISTRATIVE_BASIS' },
  { consumer: 'mca', coordinate: 'Person.maritalStatus', purpose: 'ADMINISTRATIVE_BASIS' },
  { consumer: 'mca', coordinate: 'Person.realEstate', purpose: 'ADMINISTRATIVE_BASIS' },
  // A marriage certificate reveals marital status: granted with it (R1 at row level).
  { consumer: 'mca', coordinate: 'Licence[kind=MARRIAGE_CERTIFICATE]', purpose: 'ADMINISTRATIVE_BASIS' },
  { consumer: 'tax', coordinate: 'LegalEntity.shareholders', purpose: 'ADMINISTRATIVE_BASIS' },
  { consumer: 'tax', coordinate: 'Person.realEstate', purpose: 'ADMINISTRATIVE_BASIS' },
  { consumer: 'thca', coordinate: 'Person.householdAddress', purpose: 'ADMINISTRATIVE_BASIS' },
];

/** Personal data a consumer sees only for residents of its jurisdiction (row-level condition). */
export const JURISDICTION_LIMITED: readonly string[] = ['Person.householdAddress', 'Person.maritalStatus', 'Person.household'];

const SYSTEM = 'system:demo-seed';

/**
 * Seeds the demo platform. Grants come only from approvals (R5), so the demo grants are made
 * the way a department would make them: each consumer applies, each provider approves; the
 * hrss application is left pending in the psb inbox.
 */
export async function seedDemoDepartments(store: PlatformStore): Promise<void> {
  for (const d of DEMO_DEPARTMENTS) await store.upsertDepartment({ code: d.code, name: d.name, nameEn: d.nameEn, role: d.role, jurisdiction: d.jurisdiction });
  // The demo's subgraphs run on this machine: every department may register at loopback only.
  for (const d of DEMO_DEPARTMENTS) await replaceHosts(store.db, d.code, LOOPBACK_HOSTS, SYSTEM);
  for (const p of DEMO_PURPOSES) await store.upsertPurpose(p.code, p.name, null);
}

export async function seedDemoPlatform(store: PlatformStore, policy: PolicyState, applications: ApplicationService): Promise<void> {
  const overrides: PolicyOverride[] = JURISDICTION_LIMITED.flatMap((coordinate) => {
    const field = policy.fields.find((f) => f.coordinate === coordinate);
    if (!field?.sharing) return [];
    return [{ coordinate, ...field.sharing, condition: { kind: 'CONSUMER_JURISDICTION' as const, attribute: 'Person.householdDivision' } }];
  });
  await store.appendVersion('SEED', 'demo world: SDL defaults and a jurisdiction condition on personal data', SYSTEM, async () => overrides);
  await policy.refresh();

  const seedIdentity = (department: string): Identity => ({ credentialId: 'demo-seed', kind: 'DEPARTMENT_ADMIN', department, name: `${department} (demo seed)` });
  const until = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const groups = new Map<string, { consumer: string; purpose: string; coordinates: string[] }>();
  for (const g of DEMO_GRANTS) {
    const key = `${g.consumer}/${g.purpose}`;
    const group = groups.get(key) ?? { consumer: g.consumer, purpose: g.purpose, coordinates: [] };
    group.coordinates.push(g.coordinate);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    const made = await applications.apply(seedIdentity(group.consumer), {
      coordinates: group.coordinates, purpose: group.purpose, requestedUntil: until,
      justification: DEMO_JUSTIFICATIONS[group.consumer] ?? 'demo', legalBasis: DEMO_BASES[group.consumer] ?? 'demo',
    });
    for (const application of made) {
      await applications.approve(seedIdentity(application.provider), application.id, { reason: 'meets the conditions of the sharing catalogue' });
      // Issue 21: the consumer's use undertaking puts the grants in force (003 ××市 art. 12).
      await acceptUndertaking(store, seedIdentity(group.consumer), application.id, {
        purpose: DEMO_JUSTIFICATIONS[group.consumer] ?? 'demo', noOnwardTransfer: true, retentionDays: 365,
      }, new Date(), { actor: SYSTEM });
    }
  }
  await policy.refresh();
  await applications.apply(seedIdentity('hrss'), {
    coordinates: ['Person.householdAddress'], purpose: 'DATA_VERIFICATION', requestedUntil: until,
    justification: '核验社会保险参保人员户籍地址，防止重复参保', legalBasis: '《社会保险法》第五十八条',
  });
}

const DEMO_JUSTIFICATIONS: Readonly<Record<string, string>> = {
  mca: '最低生活保障对象家庭经济状况核对',
  tax: '个人所得税及房产税征管中核实纳税人财产与股权信息',
  thca: '辖区内社会救助对象户籍核实',
};

const DEMO_BASES: Readonly<Record<string, string>> = {
  mca: '《社会救助暂行办法》第十一条',
  tax: '《税收征收管理法》第五条、第六条',
  thca: '《社会救助暂行办法》第十一条',
};

/**
 * The demo tokens: those already in credentials.json when they are still valid (so clients
 * keep working across restarts), new ones otherwise. Tokens are stored only hashed, so the
 * file is the one place a demo token can be read back.
 */
export async function ensureDemoTokens(store: PlatformStore, dataDir: string): Promise<TokenSource> {
  const file = join(dataDir, 'demo', 'credentials.json');
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as {
    platformAdminToken?: string;
    departments?: { code: string; adminToken?: string; apps?: { id: string; token: string }[] }[];
  }) : {};
  const valid = async (token: string | undefined, department: string, kind: CredentialKind) => {
    if (!token) return false;
    const identity = await store.identityByToken(token);
    return identity !== null && identity.department === department && identity.kind === kind && hashToken(token).length === 64;
  };
  const platformAdmin = (await valid(previous.platformAdminToken, 'dgo', 'PLATFORM_ADMIN'))
    ? previous.platformAdminToken!
    : (await store.issueCredential('PLATFORM_ADMIN', 'dgo', 'demo platform administrator', SYSTEM)).token;
  const admins = new Map<string, string>();
  const apps = new Map<string, { id: string; token: string }[]>();
  for (const d of DEMO_DEPARTMENTS) {
    const before = previous.departments?.find((p) => p.code === d.code);
    admins.set(d.code, (await valid(before?.adminToken, d.code, 'DEPARTMENT_ADMIN'))
      ? before!.adminToken!
      : (await store.issueCredential('DEPARTMENT_ADMIN', d.code, `${d.code} demo administrator`, SYSTEM)).token);
    const app = before?.apps?.[0];
    apps.set(d.code, [(await valid(app?.token, d.code, 'APP')) ? app! : await store.issueCredential('APP', d.code, `${d.code} demo app`, SYSTEM)]);
  }
  return {
    platformAdmin: () => platformAdmin,
    departmentAdmin: (code) => admins.get(code) ?? '',
    apps: (code) => apps.get(code) ?? [],
  };
}
