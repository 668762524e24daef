/**
 * The issuer seal-key registry (R12; 004 art. 22–23): every issuing authority's SM2 seal keys,
 * which department keeps them, when each is valid, and which are revoked and why. Licences are
 * sealed here with the issuer's current key, and seals are verified against these rows
 * (verifySealedDocument.ts) — never against a key a document carries.
 *
 * Glossary:
 * - issuer: an issuing authority (发证机关), by code (e.g. SAMR440305, a county's market
 *   supervision bureau), kept by one platform department (samr).
 * - current key: the issuer's newest key valid now and not revoked; it seals new documents.
 * - rotation: a new current key; the previous one stops sealing (valid_until = the rotation
 *   time) and its seals keep verifying.
 * - revocation: a key withdrawn from a time on (revoked_at, which may be dated back to when a
 *   compromise began); seals made from then on fail, seals made before still verify.
 *
 * Private keys are `gg1:` envelopes under the platform key (R10, lib/secretSealer.ts), bound to
 * their row (a ciphertext copied into another key's row does not decrypt), read only to seal.
 */
import type { Kysely } from 'kysely';
import { GraphQLError } from 'graphql';
import { sealDocument, SEAL_ALGORITHM, type DocumentSealer, type ElectronicSealRecord, type SealingKey, type SealRequest } from '../../lib/electronicSeal.ts';
import { ErrorCode } from '../../lib/errors.ts';
import { generateSm2KeyPair, sm2PublicKeyDer } from '../../lib/sm2Signature.ts';
import { resealed, type SecretSealer } from '../../lib/secretSealer.ts';
import { createHash } from 'node:crypto';
import type { PlatformDatabase } from '../store/platformStore.ts';

export interface IssuerSealKeysTable {
  issuer_seal_keys: {
    key_id: string;
    department: string;
    issuer_code: string;
    issuer_name: string;
    algorithm: string;
    /** Uncompressed SM2 point, hex `04‖x‖y`. */
    public_key: string;
    /** `gg1:` envelope of the private key's hex, bound to `sealKeyBinding(key_id)`. */
    private_key: string;
    valid_from: string;
    valid_until: string | null;
    revoked_at: string | null;
    revocation_reason: string | null;
    revoked_by: string | null;
    created_at: string;
    created_by: string;
    creation_reason: string;
  };
}

type Row = IssuerSealKeysTable['issuer_seal_keys'];

/** A registered key as anyone may see it: never the private half. */
export interface SealKey {
  readonly keyId: string;
  readonly department: string;
  readonly issuerCode: string;
  readonly issuerName: string;
  readonly algorithm: string;
  /** hex `04‖x‖y`. */
  readonly publicKey: string;
  /** base64 DER SubjectPublicKeyInfo (what `openssl pkey -pubin` reads). */
  readonly publicKeySpki: string;
  readonly validFrom: string;
  readonly validUntil: string | null;
  readonly revokedAt: string | null;
  readonly revocationReason: string | null;
  readonly revokedBy: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly creationReason: string;
}

/** Who changes the registry, as the management API knows them. */
export interface SealKeyActor {
  readonly kind: string;
  readonly department: string;
  readonly credentialId: string;
}

/** Issuing authorities' codes: capitals and digits, beginning with the keeping department's code (SAMR440305 → samr). */
const ISSUER_CODE = /^[A-Z][A-Z0-9]{1,31}$/;
const MAX_REASON = 2000;

/** What an issuer's encrypted private key is bound to (AAD). */
export function sealKeyBinding(keyId: string): string {
  return `issuer_seal_keys.private_key:${keyId}`;
}

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}
function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
}

function toSealKey(row: Row): SealKey {
  return {
    keyId: row.key_id, department: row.department, issuerCode: row.issuer_code, issuerName: row.issuer_name,
    algorithm: row.algorithm, publicKey: row.public_key, publicKeySpki: sm2PublicKeyDer(row.public_key).toString('base64'),
    validFrom: row.valid_from, validUntil: row.valid_until,
    revokedAt: row.revoked_at, revocationReason: row.revocation_reason, revokedBy: row.revoked_by,
    createdAt: row.created_at, createdBy: row.created_by, creationReason: row.creation_reason,
  };
}

/** Whether the key may seal at `at`: valid then and not revoked by then. */
export function keyUsableAt(key: Pick<SealKey, 'validFrom' | 'validUntil' | 'revokedAt'>, at: string): boolean {
  return key.validFrom <= at && (key.validUntil === null || at < key.validUntil) && (key.revokedAt === null || at < key.revokedAt);
}

/** The department that keeps an issuer by the demo's convention: its code's lower-case prefix (SAMR440305 → samr). */
export function issuerCodeBelongsTo(issuerCode: string, department: string): boolean {
  return issuerCode.startsWith(department.toUpperCase()) && /^[0-9]/.test(issuerCode.slice(department.length) || '0');
}

function checkedReason(reason: string): string {
  const trimmed = reason.trim();
  if (!trimmed || trimmed.length > MAX_REASON) throw badInput(`a reason is required (1–${MAX_REASON} characters): it is recorded with the key and in the audit trail`);
  return trimmed;
}

export class SealKeyRegistry {
  private readonly db: Kysely<PlatformDatabase & IssuerSealKeysTable>;

  constructor(db: Kysely<PlatformDatabase> | Kysely<any>, private readonly secrets: SecretSealer, private readonly clock: () => Date = () => new Date()) {
    this.db = db as Kysely<PlatformDatabase & IssuerSealKeysTable>;
  }

  async keys(filter: { readonly issuerCode?: string | null; readonly department?: string | null } = {}): Promise<SealKey[]> {
    let query = this.db.selectFrom('issuer_seal_keys').selectAll();
    if (filter.issuerCode) query = query.where('issuer_code', '=', filter.issuerCode);
    if (filter.department) query = query.where('department', '=', filter.department);
    const rows = await query.orderBy('issuer_code').orderBy('valid_from').orderBy('key_id').execute();
    return rows.map(toSealKey);
  }

  /** The key an issuer's seal names: by issuer and key id together, so a key id cannot be borrowed from another issuer. */
  async key(issuerCode: string, keyId: string): Promise<SealKey | null> {
    const row = await this.db.selectFrom('issuer_seal_keys').selectAll().where('key_id', '=', keyId).where('issuer_code', '=', issuerCode).executeTakeFirst();
    return row ? toSealKey(row) : null;
  }

  async keyById(keyId: string): Promise<SealKey | null> {
    const row = await this.db.selectFrom('issuer_seal_keys').selectAll().where('key_id', '=', keyId).executeTakeFirst();
    return row ? toSealKey(row) : null;
  }

  /** The issuer's current key: newest valid now and not revoked; null when it has none. */
  async currentKey(issuerCode: string, at = this.clock().toISOString()): Promise<SealKey | null> {
    const keys = (await this.keys({ issuerCode })).filter((k) => keyUsableAt(k, at));
    return keys.at(-1) ?? null;
  }

  /**
   * A new current key for the issuer (its first, or a rotation): the current one, if any,
   * stops sealing now and its seals keep verifying. A department administrator for an issuer
   * its department keeps; the first key of an issuer by the department whose code begins the
   * issuer's (SAMR440305: samr), so that no department can make seals in another's name.
   */
  async rotate(actor: SealKeyActor, input: { readonly issuerCode: string; readonly issuerName?: string | null; readonly reason: string }): Promise<SealKey> {
    const reason = checkedReason(input.reason);
    if (!ISSUER_CODE.test(input.issuerCode)) throw badInput(`issuerCode ${JSON.stringify(input.issuerCode)} is not an issuing authority's code: expected 2–32 capital letters and digits, e.g. SAMR440305`);
    const existing = await this.keys({ issuerCode: input.issuerCode });
    const department = existing[0]?.department ?? (actor.kind === 'DEPARTMENT_ADMIN' ? actor.department : null);
    if (actor.kind !== 'DEPARTMENT_ADMIN' || department !== actor.department) {
      throw forbidden(`only an administrator of the department that keeps issuer ${input.issuerCode}${department ? ` (${department})` : ''} makes its seal keys (R12); your token is a ${actor.kind} of ${actor.department}`);
    }
    if (existing.length === 0 && !issuerCodeBelongsTo(input.issuerCode, actor.department)) {
      throw forbidden(`issuer ${input.issuerCode} is not one of ${actor.department}'s: an issuing authority's code begins with its department's (e.g. ${actor.department.toUpperCase()}440305)`);
    }
    const issuerName = input.issuerName?.trim() || existing.at(-1)?.issuerName;
    if (!issuerName || issuerName.length > 200) throw badInput(`issuerName is required for an issuer's first seal key (the authority's name as on its seal, at most 200 characters), received ${JSON.stringify(input.issuerName ?? null)}`);
    return this.addKey({ department: actor.department, issuerCode: input.issuerCode, issuerName, createdBy: `${actor.department}:${actor.credentialId}`, reason });
  }

  /**
   * Revokes a key from `from` (default now; may be earlier, down to its valid_from, when a
   * compromise began before it was found): its seals made from then on fail verification,
   * earlier ones still verify. A key is revoked once. The keeping department's administrator,
   * or the platform administrator (the coordinating office, for incident response, R10).
   */
  async revoke(actor: SealKeyActor, input: { readonly keyId: string; readonly reason: string; readonly from?: string | null }): Promise<SealKey> {
    const reason = checkedReason(input.reason);
    const key = await this.keyById(input.keyId);
    if (!key) throw badInput(`no seal key ${JSON.stringify(input.keyId)} in the registry; list them with sealKeys`);
    const allowed = actor.kind === 'PLATFORM_ADMIN' || (actor.kind === 'DEPARTMENT_ADMIN' && actor.department === key.department);
    if (!allowed) throw forbidden(`only an administrator of ${key.department} (which keeps issuer ${key.issuerCode}) or the platform administrator revokes its seal keys; your token is a ${actor.kind} of ${actor.department}`);
    if (key.revokedAt) throw badInput(`seal key ${key.keyId} was revoked already, from ${key.revokedAt} (${key.revocationReason ?? ''})`);
    const now = this.clock().toISOString();
    let from = now;
    if (input.from) {
      const parsed = new Date(input.from);
      if (Number.isNaN(parsed.getTime())) throw badInput(`from ${JSON.stringify(input.from)} is not a time: expected ISO 8601, e.g. 2026-03-01T00:00:00Z`);
      from = parsed.toISOString();
      if (from > now) throw badInput(`from ${from} is in the future: a revocation takes effect now or from a past time (when a compromise began)`);
      if (from < key.validFrom) from = key.validFrom;
    }
    const result = await this.db.updateTable('issuer_seal_keys')
      .set({ revoked_at: from, revocation_reason: reason, revoked_by: `${actor.department}:${actor.credentialId}` })
      .where('key_id', '=', key.keyId).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw badInput(`seal key ${key.keyId} was revoked meanwhile; nothing changed`);
    return (await this.keyById(key.keyId))!;
  }

  /** Adds a key and retires the issuer's open ones (valid_until = now), in one transaction. */
  private async addKey(input: { department: string; issuerCode: string; issuerName: string; createdBy: string; reason: string }): Promise<SealKey> {
    const pair = generateSm2KeyPair();
    const fingerprint = createHash('sha256').update(sm2PublicKeyDer(pair.publicKey)).digest('hex').slice(0, 16);
    const keyId = `${input.issuerCode}-${fingerprint}`;
    const now = this.clock().toISOString();
    const privateKey = await this.secrets.encrypt(pair.privateKey, sealKeyBinding(keyId));
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('issuer_seal_keys').set({ valid_until: now })
        .where('issuer_code', '=', input.issuerCode).where('valid_until', 'is', null).execute();
      await trx.insertInto('issuer_seal_keys').values({
        key_id: keyId, department: input.department, issuer_code: input.issuerCode, issuer_name: input.issuerName,
        algorithm: SEAL_ALGORITHM, public_key: pair.publicKey, private_key: privateKey,
        valid_from: now, valid_until: null, revoked_at: null, revocation_reason: null, revoked_by: null,
        created_at: now, created_by: input.createdBy, creation_reason: input.reason,
      }).execute();
    });
    return (await this.keyById(keyId))!;
  }

  /**
   * Re-encrypts private keys made under a previous platform key (after `govgraph keys rotate`)
   * under the current one (R10); called at every platform start. Idempotent; returns rows rewritten.
   */
  async sealAtRest(): Promise<number> {
    const rows = await this.db.selectFrom('issuer_seal_keys').select(['key_id', 'private_key']).execute();
    let rewritten = 0;
    for (const row of rows) {
      const next = await resealed(this.secrets, row.private_key, sealKeyBinding(row.key_id));
      if (next === null) continue;
      const result = await this.db.updateTable('issuer_seal_keys').set({ private_key: next })
        .where('key_id', '=', row.key_id).where('private_key', '=', row.private_key).executeTakeFirst();
      rewritten += Number(result.numUpdatedRows);
    }
    return rewritten;
  }

  /** Seals a document with the issuer's current key; an issuer without one is an error naming what to do. */
  async seal(request: Omit<SealRequest, 'signedAt'>): Promise<ElectronicSealRecord> {
    const signedAt = this.clock();
    return sealDocument({ ...request, signedAt }, await this.sealingKey(request.issuer.code, signedAt.toISOString()));
  }

  /** The issuer's current key with its private half decrypted: read for sealing only. */
  private async sealingKey(issuerCode: string, at: string): Promise<SealingKey> {
    const key = await this.currentKey(issuerCode, at);
    if (!key) throw new Error(`issuer ${issuerCode} has no valid seal key: its department's administrator makes one (rotateSealKey)`);
    const row = await this.db.selectFrom('issuer_seal_keys').select('private_key').where('key_id', '=', key.keyId).executeTakeFirstOrThrow();
    const privateKey = (await this.secrets.decrypt(row.private_key, sealKeyBinding(key.keyId))).toString('utf8');
    return { keyId: key.keyId, privateKey, publicKey: key.publicKey };
  }

  /**
   * The demo seed's sealer: an issuer seen for the first time gets a key kept by the department
   * its code names (SAMR440305 → samr), made by the platform's start-up, not by a request; its
   * key is read once for the whole seed.
   */
  demoSealer(): DocumentSealer {
    const keys = new Map<string, Promise<SealingKey>>();
    return {
      seal: async (request) => {
        const code = request.issuer.code;
        let key = keys.get(code);
        if (!key) {
          key = (async () => {
            const at = this.clock().toISOString();
            if (!(await this.currentKey(code, at))) {
              const department = /^[A-Z]+/.exec(code)?.[0]?.toLowerCase() ?? code.toLowerCase();
              await this.addKey({ department, issuerCode: code, issuerName: request.issuer.name, createdBy: 'system:demo-seed', reason: 'demo seed: the issuing authority\'s first seal key' });
            }
            return this.sealingKey(code, this.clock().toISOString());
          })();
          keys.set(code, key);
        }
        // The key first: a seal is dated after its key's valid_from, never before.
        const sealingKey = await key;
        return sealDocument({ ...request, signedAt: this.clock() }, sealingKey);
      },
    };
  }
}
