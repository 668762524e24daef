/**
 * The platform's member departments (issue 14), managed by the coordinating office: code,
 * names in Chinese and English, whether it provides and/or consumes data, its jurisdiction
 * (GB/T 2260), its webhook and its registered subgraph hosts. A deactivated department keeps
 * its row and history; its tokens and people are refused (control/directory/authenticator.ts,
 * personStanding.ts).
 */
import type { Kysely } from 'kysely';
import type { PlatformDatabase } from '../store/platformStore.ts';

/** The department role column: what it does on the platform. COORDINATOR is the office itself. */
export type DepartmentKind = 'PROVIDER' | 'CONSUMER' | 'PROVIDER_AND_CONSUMER' | 'COORDINATOR';

export function departmentKind(provider: boolean, consumer: boolean): DepartmentKind | null {
  if (provider && consumer) return 'PROVIDER_AND_CONSUMER';
  if (provider) return 'PROVIDER';
  if (consumer) return 'CONSUMER';
  return null;
}

export const DEPARTMENT_CODE = /^[a-z][a-z0-9-]{1,31}$/;
/** GB/T 2260: six digits, a province (xx0000), city (xxxx00) or county. */
export const DIVISION_CODE = /^[1-9]\d{5}$/;

export interface DepartmentRow {
  readonly code: string; readonly name: string; readonly nameEn: string; readonly role: string; readonly jurisdiction: string | null;
  readonly createdAt: string; readonly webhookUrl: string | null;
  readonly deactivatedAt: string | null; readonly deactivatedBy: string | null; readonly deactivationReason: string | null;
  readonly language: string;
}

export async function departmentByCode(db: Kysely<PlatformDatabase>, code: string): Promise<DepartmentRow | null> {
  const r = await db.selectFrom('departments').selectAll().where('code', '=', code).executeTakeFirst();
  return r ? {
    code: r.code, name: r.name, nameEn: r.name_en, role: r.role, jurisdiction: r.jurisdiction, createdAt: r.created_at, webhookUrl: r.webhook_url,
    deactivatedAt: r.deactivated_at ?? null, deactivatedBy: r.deactivated_by ?? null, deactivationReason: r.deactivation_reason ?? null,
    language: r.language ?? 'zh',
  } : null;
}

export async function insertDepartment(db: Kysely<PlatformDatabase>, d: { code: string; name: string; nameEn: string; role: DepartmentKind; jurisdiction: string | null; webhookUrl: string | null }, at: Date): Promise<void> {
  await db.insertInto('departments').values({
    code: d.code, name: d.name, name_en: d.nameEn, role: d.role, jurisdiction: d.jurisdiction, created_at: at.toISOString(), webhook_url: d.webhookUrl, webhook_secret: null,
  }).execute();
}

export async function updateDepartment(db: Kysely<PlatformDatabase>, code: string, change: Partial<{ name: string; name_en: string; role: DepartmentKind; jurisdiction: string | null; webhook_url: string | null; language: string }>): Promise<void> {
  if (Object.keys(change).length) await db.updateTable('departments').set(change).where('code', '=', code).execute();
}

/** False when it was already deactivated. */
export async function deactivateDepartment(db: Kysely<PlatformDatabase>, code: string, actor: string, reason: string, at: Date): Promise<boolean> {
  const result = await db.updateTable('departments').set({ deactivated_at: at.toISOString(), deactivated_by: actor, deactivation_reason: reason })
    .where('code', '=', code).where('deactivated_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
