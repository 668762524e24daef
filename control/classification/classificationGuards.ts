/**
 * Classification guards (issue 21): what the measures keep off the platform, and what they
 * require to be shared unconditionally.
 *
 * - State secrets (涉密): state-secret data is not shared through the platform (001 art. 2;
 *   003 Shaoyang art. 2, Hubei art. 3, ××市 art. 17; 002 art. 13–14). A field its provider marks
 *   `@sharing(stateSecret: true)` is refused at registration (subgraph check and publish).
 * - Mandated items: basic items (基础信息项) and items tied to administrative licensing or
 *   parallel approval are shared unconditionally (003 Guangdong art. 4; 002 art. 11). The
 *   provider marks them in its SDL, `@sharing(mandate: "BASIC_ITEM" | "LICENSING" |
 *   "PARALLEL_APPROVAL")`, and the catalogue shows the mark. Such an item is made CONDITIONAL or
 *   NOT_SHARED — by the subgraph's own declaration, a policy edit, an accepted proposal or a
 *   reclassification, a revert or a rollback — only while the coordinating office's reasoned
 *   override for it stands (`overrideItemMandate`, audited; `withdrawItemMandateOverride`).
 *
 * Glossary:
 * - mandate: why an item must be unconditional (BASIC_ITEM, LICENSING, PARALLEL_APPROVAL).
 * - mandate override: the coordinating office's recorded, reasoned permission for one marked
 *   item to be restricted; withdrawn, the guard applies again to the next change.
 */
import { GraphQLError } from 'graphql';
import type { Kysely } from 'kysely';
import { ErrorCode } from '../../lib/errors.ts';
import type { FieldUnderPolicy, ItemMandate } from '../../policies/fieldsUnderPolicy.ts';
import type { PolicyOverride } from '../../policies/model.ts';

export interface ClassificationGuardsTable {
  item_mandate_overrides: {
    id: string;
    coordinate: string;
    reason: string;
    granted_by: string;
    granted_at: string;
    withdrawn_at: string | null;
    withdrawn_by: string | null;
    withdrawal_reason: string | null;
  };
}

type Db = Kysely<ClassificationGuardsTable>;

/** The measures that keep state secrets off the platform, as an error cites them. */
export const STATE_SECRET_MEASURES = '001 第二条；003 邵阳 第二条、湖北 第三条、××市 第十七条；002 第十三条、第十四条 (001 art. 2; 003 Shaoyang art. 2, Hubei art. 3, ××市 art. 17; 002 art. 13–14)';

/** The measure that makes basic and licensing-related items unconditional. */
export const MANDATE_MEASURE = '003 广东 第四条 (003 Guangdong art. 4; 002 art. 11)';

export const MANDATE_NAMES: Readonly<Record<ItemMandate, string>> = {
  BASIC_ITEM: '基础信息项 (basic item)',
  LICENSING: '行政许可相关信息项 (tied to administrative licensing)',
  PARALLEL_APPROVAL: '并联审批相关信息项 (tied to parallel approval)',
};

export class ClassificationGuardError extends GraphQLError {
  constructor(message: string, coordinate: string) {
    super(message, { extensions: { code: ErrorCode.CLASSIFICATION_GUARD, coordinate } });
  }
}

/** The coordinates whose mandate override stands now. */
export async function standingMandateOverrides(db: Kysely<any>): Promise<Set<string>> {
  const rows = await (db as Db).selectFrom('item_mandate_overrides').select('coordinate').where('withdrawn_at', 'is', null).execute();
  return new Set(rows.map((r) => r.coordinate));
}

export interface MandateOverride {
  readonly id: string;
  readonly coordinate: string;
  readonly reason: string;
  readonly grantedBy: string;
  readonly grantedAt: string;
  readonly withdrawnAt: string | null;
  readonly withdrawnBy: string | null;
  readonly withdrawalReason: string | null;
}

export async function mandateOverrides(db: Kysely<any>): Promise<MandateOverride[]> {
  const rows = await (db as Db).selectFrom('item_mandate_overrides').selectAll().orderBy('granted_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id, coordinate: r.coordinate, reason: r.reason, grantedBy: r.granted_by, grantedAt: r.granted_at,
    withdrawnAt: r.withdrawn_at, withdrawnBy: r.withdrawn_by, withdrawalReason: r.withdrawal_reason,
  }));
}

export async function grantMandateOverride(db: Kysely<any>, o: { id: string; coordinate: string; reason: string; actor: string; at: Date }): Promise<void> {
  await (db as Db).transaction().execute(async (trx) => {
    const standing = await trx.selectFrom('item_mandate_overrides').select('id').where('coordinate', '=', o.coordinate).where('withdrawn_at', 'is', null).executeTakeFirst();
    if (standing) throw new GraphQLError(`${o.coordinate} already has the coordinating office's override ${standing.id}: withdraw it first to record another`, { extensions: { code: ErrorCode.CONFLICT } });
    await trx.insertInto('item_mandate_overrides').values({
      id: o.id, coordinate: o.coordinate, reason: o.reason, granted_by: o.actor, granted_at: o.at.toISOString(), withdrawn_at: null, withdrawn_by: null, withdrawal_reason: null,
    }).execute();
  });
}

/** Withdraws the standing override of a coordinate; false when none stands. */
export async function withdrawMandateOverride(db: Kysely<any>, o: { coordinate: string; reason: string; actor: string; at: Date }): Promise<boolean> {
  const result = await (db as Db).updateTable('item_mandate_overrides')
    .set({ withdrawn_at: o.at.toISOString(), withdrawn_by: o.actor, withdrawal_reason: o.reason })
    .where('coordinate', '=', o.coordinate).where('withdrawn_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The mandate of a coordinate (a field, or a row class's classifying field), from the subgraphs' SDL. */
export function mandateOf(fields: readonly FieldUnderPolicy[], coordinate: string): ItemMandate | null {
  const field = fields.find((f) => f.coordinate === coordinate);
  return field?.sharing?.mandate ?? null;
}

function mandateRefusal(coordinate: string, mandate: ItemMandate, sharingClass: string, how: string): string {
  return `${coordinate} is marked ${MANDATE_NAMES[mandate]} and is shared unconditionally (${MANDATE_MEASURE}): ${how} would make it ${sharingClass}, which needs the coordinating office's reasoned override first (overrideItemMandate)`;
}

/**
 * The SDL's guard problems (registration): state-secret fields, and marked items the
 * subgraph itself declares restricted without a standing override.
 */
export function sdlGuardProblems(fields: readonly FieldUnderPolicy[], overrides: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const field of fields) {
    const sharing = field.sharing;
    if (!sharing) continue;
    if (sharing.stateSecret) {
      // 001 art. 2; 003 Shaoyang art. 2, Hubei art. 3, ××市 art. 17; 002 art. 13–14: 涉密 data stays off the platform.
      problems.push(`${field.coordinate} is marked state-secret (涉密, stateSecret: true): state-secret data is not shared through the platform (${STATE_SECRET_MEASURES}); remove the field from the subgraph`);
    }
    if (sharing.mandate && sharing.sharingClass !== 'UNCONDITIONAL' && !overrides.has(field.coordinate)) {
      problems.push(mandateRefusal(field.coordinate, sharing.mandate, sharing.sharingClass, 'the subgraph\'s @sharing'));
    }
  }
  return problems;
}

/**
 * Refuses a policy change that would restrict a marked item without a standing override
 * (003 Guangdong art. 4). `how` names the change in the error (a policy edit, a proposal…).
 */
export async function requireMandatesRespected(
  db: Kysely<any>, fields: readonly FieldUnderPolicy[], overrides: readonly (PolicyOverride | null | undefined)[], how: string,
): Promise<void> {
  const restricting = overrides.flatMap((o) => {
    if (!o || o.sharingClass === 'UNCONDITIONAL') return [];
    const mandate = mandateOf(fields, o.coordinate);
    return mandate ? [{ o, mandate }] : [];
  });
  if (!restricting.length) return;
  const standing = await standingMandateOverrides(db);
  const refused = restricting.find((r) => !standing.has(r.o.coordinate));
  if (refused) throw new ClassificationGuardError(mandateRefusal(refused.o.coordinate, refused.mandate, refused.o.sharingClass, how), refused.o.coordinate);
}
