/**
 * What a CORRECTED objection changed (R9): the datum's value before and after the provider's
 * correction, stored with the objection, and the departments told of the resolution because
 * they had read that datum (the readers, from the audit trail).
 *
 * Who sees a correction: the objection's parties (the consumer who raised it, the provider
 * who corrected it), the coordinating office, and the readers the resolution notified — the
 * departments that may hold the wrong value in their own files. Nobody else.
 *
 * The values are the field's values (an address, a marital status): personal information.
 * They are kept here and read through the management API, where the caller is checked; they
 * are never put in a notification, which is POSTed to webhooks outside the platform (its
 * parameters included) — the notification names the objection, and the console fetches the
 * values with the reader's own credential.
 *
 * Glossary:
 * - correction: the value before and after, and when (the resolution's time).
 * - reader: a department the audit trail shows was returned the datum, told of its resolution.
 */
import { GraphQLError } from 'graphql';
import type { Kysely, Transaction } from 'kysely';
import { ErrorCode } from '../../lib/errors.ts';
import type { Identity, PlatformDatabase } from '../store/platformStore.ts';

export interface CorrectionValues {
  readonly valueBefore: string;
  readonly valueAfter: string;
}

export interface ObjectionCorrection extends CorrectionValues {
  readonly objectionId: string;
  readonly provider: string;
  readonly coordinate: string;
  readonly entityKey: string;
  readonly correctedAt: string;
  readonly note: string;
}

/** Longest value taken (a field's value, not a document). */
export const MAX_VALUE_LENGTH = 2000;

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

/**
 * The values a resolution must carry: CORRECTED needs the datum's value before and after (and
 * they differ); CONFIRMED changes nothing and takes none. Throws BAD_USER_INPUT otherwise.
 */
export function correctionValues(resolution: 'CORRECTED' | 'CONFIRMED', input: { valueBefore?: string | null; valueAfter?: string | null }): CorrectionValues | null {
  const before = input.valueBefore?.trim() ?? '';
  const after = input.valueAfter?.trim() ?? '';
  if (resolution === 'CONFIRMED') {
    if (before || after) throw badInput('a CONFIRMED objection changes nothing: leave valueBefore and valueAfter out (they record a correction)');
    return null;
  }
  if (!before || !after) {
    throw badInput(`a CORRECTED objection records the datum's value before and after the correction (R9): give valueBefore and valueAfter, received ${before ? 'valueBefore only' : after ? 'valueAfter only' : 'neither'}`);
  }
  if (before === after) throw badInput('valueBefore and valueAfter are the same: nothing was corrected — resolve as CONFIRMED if the data stands');
  for (const [name, value] of [['valueBefore', before], ['valueAfter', after]] as const) {
    if (value.length > MAX_VALUE_LENGTH) throw badInput(`${name} is ${value.length} characters; a field's value has at most ${MAX_VALUE_LENGTH}`);
  }
  return { valueBefore: before, valueAfter: after };
}

/** Stores the correction (if any) and the readers told, in the resolution's transaction. */
export async function recordResolution(
  trx: Transaction<PlatformDatabase>, objectionId: string, values: CorrectionValues | null, readers: readonly string[], at: Date,
): Promise<void> {
  if (values) {
    await trx.insertInto('objection_corrections').values({ objection_id: objectionId, value_before: values.valueBefore, value_after: values.valueAfter, corrected_at: at.toISOString() }).execute();
  }
  for (const department of new Set(readers)) {
    await trx.insertInto('objection_readers').values({ objection_id: objectionId, department, notified_at: at.toISOString() }).execute();
  }
}

/**
 * The corrections the caller's department may see: as a party, as a reader told of it, or
 * all for the coordinating office; one objection's only when `objectionId` is given.
 */
export async function correctionsVisibleTo(db: Kysely<PlatformDatabase>, identity: Identity, objectionId?: string | null): Promise<ObjectionCorrection[]> {
  let query = db.selectFrom('objection_corrections as c')
    .innerJoin('objections as o', 'o.id', 'c.objection_id')
    .select(['o.id', 'o.provider', 'o.coordinate', 'o.entity_key', 'o.resolution_note', 'c.value_before', 'c.value_after', 'c.corrected_at'])
    .orderBy('c.corrected_at', 'desc')
    .limit(1000);
  if (objectionId) query = query.where('o.id', '=', objectionId);
  if (identity.kind !== 'PLATFORM_ADMIN') {
    const d = identity.department;
    query = query.where((eb) => eb.or([
      eb('o.consumer', '=', d),
      eb('o.provider', '=', d),
      eb.exists(eb.selectFrom('objection_readers as r').select('r.objection_id').whereRef('r.objection_id', '=', 'o.id').where('r.department', '=', d)),
    ]));
  }
  return (await query.execute()).map((r) => ({
    objectionId: r.id, provider: r.provider, coordinate: r.coordinate, entityKey: r.entity_key, note: r.resolution_note ?? '',
    valueBefore: r.value_before, valueAfter: r.value_after, correctedAt: r.corrected_at,
  }));
}

/** The corrections and escalations of some objections, by objection id (for the parties' objection list). */
export async function followUpsOf(db: Kysely<PlatformDatabase>, ids: readonly string[]): Promise<Map<string, { correction: { valueBefore: string; valueAfter: string; correctedAt: string } | null; escalatedAt: string | null }>> {
  const found = new Map<string, { correction: { valueBefore: string; valueAfter: string; correctedAt: string } | null; escalatedAt: string | null }>();
  if (ids.length === 0) return found;
  const [corrections, escalations] = await Promise.all([
    db.selectFrom('objection_corrections').selectAll().where('objection_id', 'in', [...ids]).execute(),
    db.selectFrom('objection_escalations').selectAll().where('objection_id', 'in', [...ids]).execute(),
  ]);
  for (const id of ids) found.set(id, { correction: null, escalatedAt: null });
  for (const c of corrections) found.get(c.objection_id)!.correction = { valueBefore: c.value_before, valueAfter: c.value_after, correctedAt: c.corrected_at };
  for (const e of escalations) found.get(e.objection_id)!.escalatedAt = e.escalated_at;
  return found;
}
