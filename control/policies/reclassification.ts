/**
 * Reclassification of a department's field (000 art. 9: an administrative organ classifies its
 * own information resources, the competent office reviews): who is told, and the store of the
 * coordinating office's proposals to departments.
 *
 * Glossary:
 * - reclassification: a change of a field's policy (sharing class, purposes, conditions) that
 *   the providing department did not make itself.
 * - proposal TO_DEPARTMENT: the coordinating office proposes; the providing department accepts
 *   (applied as a new policy version) or contests with a reason; a contested one is reviewed by
 *   the office, which applies or withdraws it, with a reason.
 * - reasoned override: the office applies a change at once, with `override: true` and a reason.
 * - grantees: consumer departments holding an unrevoked, unexpired grant on the field; they are
 *   told of every reclassification, since what they may read changes.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { queueNotification } from '../notifications/queueNotification.ts';
import { COORDINATOR } from '../applications/applicationService.ts';
import { actingPerson } from '../store/actingPerson.ts';
import type { PolicyOverride, SharingClass } from '../../policies/model.ts';
import type { PlatformDatabase, PlatformStore, PolicyProposalRecord } from '../store/platformStore.ts';

type Db = Transaction<PlatformDatabase> | Kysely<PlatformDatabase>;

/** What the notifications need of the admin context. */
export interface ReclassificationContext {
  readonly store: PlatformStore;
  readonly clock?: () => Date;
}

/** How a reclassification came about, in the notification's `via` parameter. */
export type ReclassificationVia = 'OVERRIDE' | 'ACCEPTED_BY_DEPARTMENT' | 'APPLIED_ON_REVIEW' | 'DEPARTMENT_PROPOSAL' | 'REVERT';

export function nowOf(ctx: { readonly clock?: () => Date }): Date {
  return ctx.clock?.() ?? new Date();
}

/** Consumer departments holding an unrevoked grant on `coordinate` that has not expired at `now`. */
export async function granteesOf(db: Db, coordinate: string, now: Date): Promise<string[]> {
  const rows = await db.selectFrom('grants').select(['consumer', 'valid_until']).where('coordinate', '=', coordinate).where('revoked_at', 'is', null).execute();
  return [...new Set(rows.filter((r) => r.valid_until === null || Date.parse(r.valid_until) > now.getTime()).map((r) => r.consumer))].sort();
}

/**
 * Tells the providing department and the field's grantees that `coordinate` was reclassified
 * in the version being written in `trx` (so the version and its notifications commit together).
 */
export async function notifyReclassified(
  ctx: ReclassificationContext,
  trx: Transaction<PlatformDatabase>,
  change: { coordinate: string; provider: string; fromClass: SharingClass | null; toClass: SharingClass | null; reason: string; via: ReclassificationVia; proposalId?: string },
): Promise<void> {
  const at = nowOf(ctx);
  const version = (await ctx.store.currentVersion(trx)) + 1;
  const grantees = await granteesOf(trx, change.coordinate, at);
  const to = change.toClass ?? 'SDL 默认';
  await queueNotification(trx, [change.provider, ...grantees], 'FIELD_RECLASSIFIED',
    `字段 ${change.coordinate}（${change.provider} 提供）的共享策略已调整：${change.fromClass ?? '—'} → ${to}，策略版本 ${version}。理由：${change.reason}`, at, {},
    { coordinate: change.coordinate, provider: change.provider, fromClass: change.fromClass, toClass: change.toClass, reason: change.reason, version, via: change.via, proposalId: change.proposalId ?? null });
}

// --- the office's proposals to departments ---------------------------------------------------------

export async function insertReclassification(db: Db, p: { coordinate: string; proposal: PolicyOverride; proposedBy: string; department: string; reason: string; at: Date }): Promise<string> {
  const id = `proposal-${randomUUID()}`;
  await db.insertInto('policy_proposals').values({
    id, coordinate: p.coordinate, proposal_json: JSON.stringify(p.proposal), proposed_by: p.proposedBy, department: p.department, reason: p.reason,
    status: 'PENDING', created_at: p.at.toISOString(), decided_at: null, decided_by: null,
    direction: 'TO_DEPARTMENT', contest_reason: null, contested_at: null, contested_by: null, decision_reason: null, applied_version: null,
    proposed_by_person: actingPerson()?.id ?? null,
  }).execute();
  return id;
}

/** An open (pending or contested) proposal of the office on a coordinate, if any: one at a time per field. */
export async function openReclassificationOn(db: Db, coordinate: string): Promise<string | null> {
  const row = await db.selectFrom('policy_proposals').select('id').where('coordinate', '=', coordinate).where('direction', '=', 'TO_DEPARTMENT')
    .where('status', 'in', ['PENDING', 'CONTESTED']).executeTakeFirst();
  return row?.id ?? null;
}

/** Moves a proposal from `from` to its next state; false when it was not in `from` any more (answered meanwhile). */
export async function moveProposal(
  db: Db,
  id: string,
  from: PolicyProposalRecord['status'],
  to: { status: PolicyProposalRecord['status']; actor: string; at: Date; reason: string | null; appliedVersion?: number },
): Promise<boolean> {
  const contested = to.status === 'CONTESTED';
  const result = await db.updateTable('policy_proposals')
    .set(contested
      ? { status: to.status, contested_at: to.at.toISOString(), contested_by: to.actor, contest_reason: to.reason }
      : { status: to.status, decided_at: to.at.toISOString(), decided_by: to.actor, decision_reason: to.reason, applied_version: to.appliedVersion ?? null })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function reclassifications(store: PlatformStore, filter: { status?: string | null; department?: string }): Promise<PolicyProposalRecord[]> {
  const all = await store.proposals(filter.status ?? undefined);
  return all.filter((p) => p.direction === 'TO_DEPARTMENT' && (!filter.department || p.department === filter.department));
}

/** Notifies the office and the department of a proposal's new state. */
export async function notifyProposal(
  ctx: ReclassificationContext,
  db: Db,
  kind: 'POLICY_PROPOSED' | 'POLICY_PROPOSAL_CONTESTED' | 'POLICY_PROPOSAL_DECIDED',
  proposal: { id: string; coordinate: string; department: string; fromClass: SharingClass | null; toClass: SharingClass },
  details: { reason: string; outcome?: string; version?: number; extra?: readonly string[] },
): Promise<void> {
  const texts: Record<typeof kind, string> = {
    POLICY_PROPOSED: `协调机构提议调整 ${proposal.department} 的字段 ${proposal.coordinate}：${proposal.fromClass ?? '—'} → ${proposal.toClass}，请 ${proposal.department} 接受或提出异议。理由：${details.reason}`,
    POLICY_PROPOSAL_CONTESTED: `${proposal.department} 对字段 ${proposal.coordinate} 的调整提议（${proposal.id}）提出异议，请协调机构审定。理由：${details.reason}`,
    POLICY_PROPOSAL_DECIDED: `字段 ${proposal.coordinate} 的调整提议（${proposal.id}）已决定：${details.outcome ?? ''}。理由：${details.reason}`,
  };
  await queueNotification(db, [COORDINATOR, proposal.department, ...(details.extra ?? [])], kind, texts[kind], nowOf(ctx), {}, {
    coordinate: proposal.coordinate, provider: proposal.department, proposalId: proposal.id, fromClass: proposal.fromClass, toClass: proposal.toClass,
    reason: details.reason, outcome: details.outcome ?? null, version: details.version ?? null,
  });
}

/**
 * A department's own proposal (FROM_DEPARTMENT) decided by the office: the decision's reason and
 * the version that applied it are kept, and the department is told (POLICY_PROPOSAL_DECIDED).
 */
export async function departmentProposalDecided(
  ctx: ReclassificationContext,
  trx: Transaction<PlatformDatabase>,
  proposal: PolicyProposalRecord,
  decision: { outcome: 'ACCEPTED' | 'REJECTED'; reason: string; fromClass: SharingClass | null },
): Promise<void> {
  const version = decision.outcome === 'ACCEPTED' ? (await ctx.store.currentVersion(trx)) + 1 : null;
  await trx.updateTable('policy_proposals').set({ decision_reason: decision.reason, applied_version: version }).where('id', '=', proposal.id).execute();
  await notifyProposal(ctx, trx, 'POLICY_PROPOSAL_DECIDED', { ...proposal, fromClass: decision.fromClass, toClass: proposal.proposal.sharingClass },
    { reason: decision.reason, outcome: decision.outcome, ...(version ? { version } : {}) });
}
