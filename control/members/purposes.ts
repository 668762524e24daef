/**
 * Purposes of use (R6), managed by the coordinating office (issue 14): code, names, legal
 * basis. A deactivated purpose stays (history and old grants name it) but leaves the policy
 * snapshot, so it cannot be declared for new requests or applications.
 */
import type { Kysely } from 'kysely';
import type { PlatformDatabase } from '../store/platformStore.ts';

export const PURPOSE_CODE = /^[A-Z][A-Z0-9_]{2,63}$/;

export interface PurposeRow {
  readonly code: string; readonly name: string; readonly nameEn: string | null; readonly description: string | null; readonly legalBasis: string | null;
  readonly deactivatedAt: string | null; readonly deactivatedBy: string | null; readonly deactivationReason: string | null;
}

export function purposeView(r: PlatformDatabase['purposes']): PurposeRow {
  return {
    code: r.code, name: r.name, nameEn: r.name_en ?? null, description: r.description, legalBasis: r.legal_basis ?? null,
    deactivatedAt: r.deactivated_at ?? null, deactivatedBy: r.deactivated_by ?? null, deactivationReason: r.deactivation_reason ?? null,
  };
}

export async function purposeByCode(db: Kysely<PlatformDatabase>, code: string): Promise<PurposeRow | null> {
  const r = await db.selectFrom('purposes').selectAll().where('code', '=', code).executeTakeFirst();
  return r ? purposeView(r) : null;
}

export async function insertPurpose(db: Kysely<PlatformDatabase>, p: { code: string; name: string; nameEn: string | null; description: string | null; legalBasis: string }): Promise<void> {
  await db.insertInto('purposes').values({ code: p.code, name: p.name, name_en: p.nameEn, description: p.description, legal_basis: p.legalBasis }).execute();
}

export async function updatePurpose(db: Kysely<PlatformDatabase>, code: string, change: Partial<{ name: string; name_en: string | null; description: string | null; legal_basis: string }>): Promise<void> {
  if (Object.keys(change).length) await db.updateTable('purposes').set(change).where('code', '=', code).execute();
}

export async function deactivatePurpose(db: Kysely<PlatformDatabase>, code: string, actor: string, reason: string, at: Date): Promise<boolean> {
  const result = await db.updateTable('purposes').set({ deactivated_at: at.toISOString(), deactivated_by: actor, deactivation_reason: reason })
    .where('code', '=', code).where('deactivated_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
