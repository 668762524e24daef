/** Writes government services' part of the demo world: every licence, sealed by its issuer (R12). */
import type { Kysely } from 'kysely';
import type { DemoWorld, LicenceRecord } from '../../demo/world.ts';
import { flag, hasRows, insertRows } from '../runtime/seeding.ts';
import type { SeedContext, SeedReport } from '../runtime/definition.ts';
import { canonicalJson } from '../../lib/canonicalJson.ts';
import type { LicencesDatabase } from './store.ts';

/** What the seal covers: the licence as issued. Status is left out: it changes without reissue. */
export function licenceDocumentContent(licence: LicenceRecord): string {
  return canonicalJson({
    licenceNo: licence.licenceNo,
    kind: licence.kind,
    name: licence.name,
    holder: licence.holderKind === 'PERSON'
      ? { kind: licence.holderKind, idNumber: licence.holderKey, name: licence.holderName }
      : { kind: licence.holderKind, creditCode: licence.holderKey, name: licence.holderName },
    issuer: { name: licence.issuer, code: licence.issuerCode },
    issueDate: licence.issueDate,
    validUntil: licence.validUntil,
    particulars: licence.particulars,
  });
}

/** What a licence's seal says it is (GB/T 38540 propertyInfo). */
export function licencePropertyInfo(licenceNo: string): string {
  return `licence:${licenceNo};application/json`;
}

/**
 * Every licence of the world, each sealed by its issuer through the platform's issuer seal-key
 * registry (R12, `context.seals`). Resumable: on a database holding licences already (sealed by
 * an older version with Ed25519, or a seed interrupted while re-sealing), only those without an
 * SM2 seal are sealed, in place; their content, as issued, is unchanged.
 */
export async function seedLicences(db: Kysely<LicencesDatabase>, world: DemoWorld, context: SeedContext = {}): Promise<SeedReport> {
  const { seals } = context;
  // Refused before anything is written: a licence without its issuer's seal is no licence (R12).
  if (!seals) {
    throw new Error('the licences seed seals every licence through the platform\'s issuer seal-key registry (R12) and needs it: pass `seals` (a DocumentSealer, e.g. SealKeyRegistry.demoSealer()) to seed(); the platform does so itself (npm start, npm run seed)');
  }
  const sealOf = (licenceNo: string, content: string, issuer: { code: string; name: string }) =>
    seals.seal({ content, propertyInfo: licencePropertyInfo(licenceNo), issuer });
  if (await hasRows(db, 'licences')) {
    const unsealed = await db.selectFrom('licences').select(['licence_no', 'content', 'issuer', 'issuer_code']).where('seal', 'is', null).execute();
    const now = new Date().toISOString();
    for (const row of unsealed) {
      const seal = await sealOf(row.licence_no, row.content, { code: row.issuer_code, name: row.issuer });
      await db.updateTable('licences').set({ seal: JSON.stringify(seal), seal_key_id: seal.signerKeyId, signature: seal.signature, updated_at: now })
        .where('licence_no', '=', row.licence_no).where('seal', 'is', null).execute();
    }
    return { rows: { licences: unsealed.length } };
  }
  const now = new Date().toISOString();
  const sealed = async (licence: LicenceRecord): Promise<LicencesDatabase['licences']> => {
    const content = licenceDocumentContent(licence);
    const seal = await sealOf(licence.licenceNo, content, { code: licence.issuerCode, name: licence.issuer });
    return {
      licence_no: licence.licenceNo,
      kind: licence.kind,
      name: licence.name,
      holder_kind: licence.holderKind,
      holder_key: licence.holderKey,
      holder_name: licence.holderName,
      issuer: licence.issuer,
      issuer_code: licence.issuerCode,
      issue_date: licence.issueDate,
      valid_until: licence.validUntil,
      revoked: flag(licence.revoked),
      content,
      seal_key_id: seal.signerKeyId,
      signature: seal.signature,
      seal: JSON.stringify(seal),
      updated_at: now,
    };
  };
  const rows: LicencesDatabase['licences'][] = [];
  for (let j = 0; j < world.size.legalEntities; j++) for (const licence of world.licencesOfEntity(j)) rows.push(await sealed(licence));
  for (let i = 0; i < world.size.persons; i++) for (const licence of world.licencesOfPerson(i)) rows.push(await sealed(licence));
  // One transaction: a seed interrupted before it commits leaves no licence behind.
  return { rows: { licences: await insertRows(db, 'licences', rows) } };
}

/** Seeded when there are licences and each has its SM2 seal (rows sealed by an older version are re-sealed). */
export async function isLicencesSeeded(db: Kysely<LicencesDatabase>): Promise<boolean> {
  if (!(await hasRows(db, 'licences'))) return false;
  const unsealed = await db.selectFrom('licences').select('licence_no').where('seal', 'is', null).limit(1).executeTakeFirst();
  return unsealed === undefined;
}
