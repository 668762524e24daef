/**
 * Overdue objections go to the coordinating office (R9, R11): an objection still open after
 * its due date (the provider's verification deadline, in working days) is escalated — once —
 * and the office and the provider are told. The sweep runs in the background (with the
 * application escalations) and on demand; "today" comes from the injected clock.
 *
 * Glossary:
 * - overdue: OPEN, and the due date is before today (China). The due day itself is the
 *   provider's to the last minute, as for applications (R5).
 * - escalated: recorded once in objection_escalations (its primary key makes a second sweep,
 *   on this replica or another, a no-op).
 */
import type { Kysely } from 'kysely';
import { COORDINATOR } from '../applications/applicationService.ts';
import { queueNotification } from '../notifications/queueNotification.ts';
import { chinaDate } from '../../policies/workingDays.ts';
import type { PlatformDatabase } from '../store/platformStore.ts';

/** Escalates every objection open past its due date and not escalated yet; returns their ids. */
export async function escalateOverdueObjections(db: Kysely<PlatformDatabase>, now: Date): Promise<string[]> {
  const today = chinaDate(now);
  const overdue = await db.selectFrom('objections as o')
    .leftJoin('objection_escalations as e', 'e.objection_id', 'o.id')
    .select(['o.id', 'o.provider', 'o.coordinate', 'o.due_date'])
    .where('o.status', '=', 'OPEN').where('o.due_date', '<', today).where('e.objection_id', 'is', null)
    .execute();
  const escalated: string[] = [];
  for (const o of overdue) {
    const done = await db.transaction().execute(async (trx) => {
      // Resolved between the read and now: nothing to escalate.
      const still = await trx.selectFrom('objections').select('status').where('id', '=', o.id).executeTakeFirst();
      if (still?.status !== 'OPEN') return false;
      const inserted = await trx.insertInto('objection_escalations').values({ objection_id: o.id, due_date: o.due_date, escalated_at: now.toISOString() })
        .onConflict((oc) => oc.column('objection_id').doNothing()).executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
      await queueNotification(trx, [COORDINATOR, o.provider], 'OBJECTION_OVERDUE',
        `异议 ${o.id}：${o.provider} 未在 ${o.due_date} 前核实 ${o.coordinate}（一条记录），已提交协调机构督办`, now,
        { objectionId: o.id }, { objectionId: o.id, coordinate: o.coordinate, dueDate: o.due_date, provider: o.provider });
      return true;
    });
    if (done) escalated.push(o.id);
  }
  return escalated;
}

/** The coordinating office's list: escalated objections, the open ones unless includeResolved; earliest due first. */
export async function escalatedObjectionIds(db: Kysely<PlatformDatabase>, includeResolved: boolean): Promise<string[]> {
  let query = db.selectFrom('objection_escalations as e').innerJoin('objections as o', 'o.id', 'e.objection_id').select('o.id').orderBy('o.due_date').orderBy('o.id').limit(1000);
  if (!includeResolved) query = query.where('o.status', '=', 'OPEN');
  return (await query.execute()).map((r) => r.id);
}
