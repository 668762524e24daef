/** Writes government services' part of the demo world: every licence, sealed by its issuer (R12). */
import type { Kysely } from 'kysely';
import type { DemoWorld, LicenceRecord } from '../../demo/world.ts';
import { flag, hasRows, insertRows } from '../runtime/seeding.ts';
import type { SeedContext, SeedReport } from '../runtime/definition.ts';
import { canonicalJson, generateSealKey, sealContent, SEAL_ALGORITHM, type SealKey } from './electronicSeal.ts';
import { sealKeyBinding, type LicencesDatabase } from './store.ts';

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

export async function seedLicences(db: Kysely<LicencesDatabase>, world: DemoWorld, context: SeedContext = {}): Promise<SeedReport> {
  const { secrets } = context;
  // Refused before anything is written: issuers' private keys are never stored in plain text.
  if (!secrets) {
    throw new Error('the licences seed stores issuers\' private seal keys encrypted (R10, R12) and needs the platform key: pass `secrets` (a SecretSealer) to startSubgraphServer or to seed()');
  }
  const now = new Date().toISOString();
  // Issuers are learnt while walking the world; each gets its key on its first licence.
  const keys = new Map<string, { readonly issuerName: string; readonly key: SealKey }>();
  const sealed = (licence: LicenceRecord): LicencesDatabase['licences'] => {
    let issuer = keys.get(licence.issuerCode);
    if (!issuer) {
      issuer = { issuerName: licence.issuer, key: generateSealKey(licence.issuerCode) };
      keys.set(licence.issuerCode, issuer);
    }
    const content = licenceDocumentContent(licence);
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
      seal_key_id: issuer.key.keyId,
      signature: sealContent(content, issuer.key.privateKey),
      updated_at: now,
    };
  };
  const ofEntities = await insertRows(db, 'licences', (function* () {
    for (let j = 0; j < world.size.legalEntities; j++) for (const licence of world.licencesOfEntity(j)) yield sealed(licence);
  })());
  const ofPersons = await insertRows(db, 'licences', (function* () {
    for (let i = 0; i < world.size.persons; i++) for (const licence of world.licencesOfPerson(i)) yield sealed(licence);
  })());
  const createdAt = new Date().toISOString();
  const rows: LicencesDatabase['seal_keys'][] = [];
  for (const [issuerCode, { issuerName, key }] of keys) {
    rows.push({
      key_id: key.keyId,
      issuer_code: issuerCode,
      issuer_name: issuerName,
      algorithm: SEAL_ALGORITHM,
      public_key: key.publicKey,
      // R10: encrypted under the platform key and bound to this key's row.
      private_key: await secrets.encrypt(key.privateKeyPem, sealKeyBinding(key.keyId)),
      created_at: createdAt,
    });
  }
  const sealKeys = await insertRows(db, 'seal_keys', rows);
  return { rows: { licences: ofEntities + ofPersons, seal_keys: sealKeys } };
}

// Seal keys are written last: a seed interrupted before them is not taken for a complete
// one (re-running it then fails loudly on the licences already written).
export const isLicencesSeeded = (db: Kysely<LicencesDatabase>) => hasRows(db, 'seal_keys');
