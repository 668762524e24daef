/**
 * A notification sent once per key (a grant's expiry warning, an update task opened or
 * overdue), however many sweeps or replicas try: the key is recorded in `notices_sent` in the
 * notification's own transaction, and a key already there sends nothing. On PostgreSQL a
 * replica racing another waits on the key's row and then finds it taken.
 */
import type { Kysely } from 'kysely';
import type { PlatformDatabase } from '../store/platformStore.ts';
import { queueNotification, type NotificationParams } from './queueNotification.ts';

/** The table of migration 008_settings, beside the platform store's. */
export type NoticesSentTable = {
  notices_sent: { key: string; kind: string; sent_at: string };
};

export interface OnceNotice {
  /** What makes it once: `GRANT_EXPIRING:<grantId>`, `CATALOGUE_UPDATE_OVERDUE:<updateId>`. */
  readonly key: string;
  readonly departments: readonly string[];
  readonly kind: string;
  /** The Chinese text, for webhooks. */
  readonly message: string;
  readonly params: NotificationParams;
  readonly refs?: { readonly applicationId?: string; readonly objectionId?: string };
}

/** Sends the notice unless its key was sent before; returns whether it was sent now. */
export async function noticeOnce(db: Kysely<PlatformDatabase>, notice: OnceNotice, at: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx.withTables<NoticesSentTable>().insertInto('notices_sent')
      .values({ key: notice.key, kind: notice.kind, sent_at: at.toISOString() })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await queueNotification(trx, notice.departments, notice.kind, notice.message, at, { ...notice.refs }, notice.params);
    return true;
  });
}
