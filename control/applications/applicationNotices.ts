/**
 * The parameters of application and grant notifications (kind + params, so the console renders
 * them in the reader's language; the message stays the text for webhooks). Lists of field
 * coordinates are comma-separated text, as params hold scalars.
 */
import type { Kysely, Transaction } from 'kysely';
import { queueNotification, type NotificationParams } from '../notifications/queueNotification.ts';
import type { PlatformDatabase } from '../store/platformStore.ts';
import { withRefusalTables } from './fieldRefusals.ts';

/**
 * What every application notification carries, read in the transaction that changed it: the
 * application, its parties and purpose, its fields (applied for, approved, refused), due date,
 * period approved and the reason of the last decision. `partial` is true when an approval left
 * fields out; `refusals` is the JSON list of each refused field's ground, law and text (R5: a
 * refusal states its reason), so a partial approval names what was left out and why.
 */
export async function applicationParams(trx: Transaction<PlatformDatabase> | Kysely<PlatformDatabase>, applicationId: string): Promise<NotificationParams> {
  const application = await trx.selectFrom('applications').selectAll().where('id', '=', applicationId).executeTakeFirst();
  if (!application) return { applicationId };
  const fields = await trx.selectFrom('application_fields').select(['coordinate', 'approved']).where('application_id', '=', applicationId).orderBy('coordinate').execute();
  const approved = fields.filter((f) => f.approved === 1).map((f) => f.coordinate);
  const refused = fields.filter((f) => f.approved === 0).map((f) => f.coordinate);
  const refusals = await withRefusalTables(trx as Kysely<PlatformDatabase>).selectFrom('application_field_refusals')
    .select(['coordinate', 'ground', 'law_name', 'text']).where('application_id', '=', applicationId).orderBy('coordinate').execute();
  return {
    applicationId,
    consumer: application.consumer,
    provider: application.provider,
    purpose: application.purpose,
    status: application.status,
    coordinates: fields.map((f) => f.coordinate).join(','),
    approvedCoordinates: approved.join(','),
    refusedCoordinates: refused.join(','),
    partial: approved.length > 0 && refused.length > 0,
    dueDate: application.due_date,
    approvedUntil: application.approved_until,
    escalationCause: application.escalation_cause,
    reason: application.decision_reason,
    refusals: refusals.length ? JSON.stringify(refusals.map((r) => ({ coordinate: r.coordinate, ground: r.ground, lawName: r.law_name, text: r.text }))) : null,
  };
}

/** The grant's holder and the field's provider are told that a grant was revoked, and why (R5). */
export async function notifyGrantRevoked(
  trx: Transaction<PlatformDatabase>,
  grant: { id: string; consumer: string; coordinate: string; purpose: string; applicationId: string | null },
  provider: string | null,
  reason: string,
  at: Date,
): Promise<void> {
  await queueNotification(
    trx,
    [grant.consumer, ...(provider ? [provider] : [])],
    'GRANT_REVOKED',
    `${grant.consumer} 对 ${grant.coordinate}(${grant.purpose})的共享授权已被撤销,理由:${reason}`,
    at,
    grant.applicationId ? { applicationId: grant.applicationId } : {},
    { grantId: grant.id, coordinate: grant.coordinate, consumer: grant.consumer, provider, purpose: grant.purpose, reason, applicationId: grant.applicationId },
  );
}
