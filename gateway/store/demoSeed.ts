/**
 * The demo world's platform state (DESIGN.md "Demo world"): departments and purposes, one
 * admin token and one app per department, the platform administrator's token, the demo
 * policies (SDL defaults plus a jurisdiction condition on personal data) and the demo grants.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_DEPARTMENTS, DEMO_PURPOSES } from '../../demo/departments.ts';
import type { CatalogueField } from '../../policies/fieldCatalog.ts';
import type { PolicyOverride } from '../../policies/model.ts';
import type { TokenSource } from '../credentials.ts';
import { hashToken, type CredentialKind, type PlatformStore } from './platformStore.ts';

export const DEMO_GRANTS: readonly { consumer: string; coordinate: string; purpose: string }[] = [
  { consumer: 'mca', coordinate: 'Person.householdAddress', purpose: 'ADMINISTRATIVE_BASIS' },
  { consumer: 'mca', coordinate: 'Person.maritalStatus', purpose: 'ADMINISTRATIVE_BASIS' },
  { consumer: 'mca', coordinate: 'Person.realEstate', purpose: 'ADMINISTRATIVE_BASIS' },
  { consumer: 'tax', coordinate: 'LegalEntity.shareholders', purpose: 'ADMINISTRATIVE_BASIS' },
  { consumer: 'tax', coordinate: 'Person.realEstate', purpose: 'ADMINISTRATIVE_BASIS' },
  { consumer: 'thca', coordinate: 'Person.householdAddress', purpose: 'ADMINISTRATIVE_BASIS' },
];

/** Personal data a consumer sees only for residents of its jurisdiction (row-level condition). */
export const JURISDICTION_LIMITED: readonly string[] = ['Person.householdAddress', 'Person.maritalStatus', 'Person.household'];

const SYSTEM = 'system:demo-seed';

export async function seedDemoPlatform(store: PlatformStore, fields: readonly CatalogueField[]): Promise<void> {
  for (const d of DEMO_DEPARTMENTS) await store.upsertDepartment({ code: d.code, name: d.name, nameEn: d.nameEn, role: d.role, jurisdiction: d.jurisdiction });
  for (const p of DEMO_PURPOSES) await store.upsertPurpose(p.code, p.name, null);
  const overrides: PolicyOverride[] = JURISDICTION_LIMITED.flatMap((coordinate) => {
    const field = fields.find((f) => f.coordinate === coordinate);
    if (!field?.sharing) return [];
    return [{ coordinate, ...field.sharing, condition: { kind: 'CONSUMER_JURISDICTION' as const, attribute: 'Person.householdDivision' } }];
  });
  const now = new Date();
  const validUntil = new Date(now.getTime() + 365 * 86_400_000).toISOString();
  await store.appendVersion('SEED', 'demo world: SDL defaults, jurisdiction condition on personal data, demo grants', SYSTEM, async (trx) => {
    for (const g of DEMO_GRANTS) {
      await store.insertGrant(trx, { ...g, validFrom: now.toISOString(), validUntil, applicationId: null }, SYSTEM);
    }
    return overrides;
  });
}

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
