/**
 * Queues a notification for each department concerned, in the caller's transaction (so a
 * state change and its notifications commit together), and a webhook delivery for each that
 * set a webhook URL.
 *
 * The message names records — application, objection, field coordinate — never citizens: it
 * is kept for every department concerned and POSTed outside the platform. Callers write it
 * so; citizen ID numbers in what people typed are withheld here as well.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { PlatformDatabase } from '../store/platformStore.ts';
import { redactCitizenIds } from './redactCitizenIds.ts';
import { webhookUrlProblem } from './webhookUrl.ts';
import { actingPersonRecord } from '../store/actingPerson.ts';

/**
 * A notification's parameters: what the console needs to render it in the reader's language
 * (the `message` is the Chinese text, kept for webhooks and older clients). Keys are stable
 * names (`coordinate`, `dueDate`, `provisional`…); values are scalars.
 */
export type NotificationParams = Readonly<Record<string, string | number | boolean | null>>;

export async function queueNotification(
  trx: Transaction<PlatformDatabase> | Kysely<PlatformDatabase>,
  departments: readonly string[],
  kind: string,
  message: string,
  at: Date,
  refs: { applicationId?: string; objectionId?: string } = {},
  params: NotificationParams = {},
): Promise<void> {
  const text = redactCitizenIds(message);
  const safeParams = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? redactCitizenIds(v) : v]));
  for (const department of new Set(departments)) {
    const id = randomUUID();
    // Issue 14: the person whose action it reports, when a person acted (the app or token otherwise).
    const person = actingPersonRecord();
    const payload = { id, kind, department, message: text, params: safeParams, at: at.toISOString(), ...refs, ...(person ? { person } : {}) };
    await trx.insertInto('notifications').values({
      id, department, kind, application_id: refs.applicationId ?? null, message: text, payload_json: JSON.stringify(payload), created_at: at.toISOString(), read_at: null,
    }).execute();
    const target = await trx.selectFrom('departments').select('webhook_url').where('code', '=', department).executeTakeFirst();
    // A URL stored before webhooks had to be https (R10) gets nothing until it is set again.
    if (target?.webhook_url && webhookUrlProblem(target.webhook_url) === null) {
      await trx.insertInto('webhook_deliveries').values({
        id: randomUUID(), notification_id: id, url: target.webhook_url, status: 'QUEUED', attempts: 0, next_attempt_at: at.toISOString(), delivered_at: null, last_error: null,
      }).execute();
    }
  }
}
