/**
 * Delivers queued notifications to the webhook URL a department set, with retries and
 * backoff. A delivery is claimed before it is sent (so two gateway replicas never send the
 * same one), signed with the department's secret (`X-Govgraph-Signature: sha256=<hmac>`), and
 * retried on any failure until it succeeds or runs out of attempts; a claim left behind by a
 * crashed replica is released after a minute. The secret is stored encrypted (R10) and
 * decrypted only here, for the moment of signing.
 */
import { createHmac } from 'node:crypto';
import type { PlatformStore } from '../store/platformStore.ts';
import { openWebhookSecret } from './webhookSecrets.ts';

export interface WebhookDeliveryOptions {
  /** How often due deliveries are looked for. @default 1000 */
  readonly intervalMs?: number;
  /** Attempts before a delivery is marked FAILED. @default 8 */
  readonly maxAttempts?: number;
  /** First retry delay; doubles each attempt, capped at 10 minutes. @default 1000 */
  readonly baseDelayMs?: number;
  /** Per-attempt timeout. @default 5000 */
  readonly timeoutMs?: number;
  readonly log?: (message: string) => void;
}

const STALE_CLAIM_MS = 60_000;

export function signPayload(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class WebhookDelivery {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private readonly intervalMs: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly store: PlatformStore, private readonly options: WebhookDeliveryOptions = {}) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.runOnce().catch((e) => this.options.log?.(`webhook delivery: ${(e as Error).message}`)), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => 0);
  }

  /** Sends what is due now; returns how many were delivered. */
  runOnce(): Promise<number> {
    this.running ??= this.deliverDue().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async deliverDue(): Promise<number> {
    const db = this.store.db;
    const now = new Date();
    await db.updateTable('webhook_deliveries').set({ status: 'QUEUED' })
      .where('status', '=', 'SENDING').where('next_attempt_at', '<', new Date(now.getTime() - STALE_CLAIM_MS).toISOString()).execute();
    const due = await db
      .selectFrom('webhook_deliveries as w')
      .innerJoin('notifications as n', 'n.id', 'w.notification_id')
      .innerJoin('departments as d', 'd.code', 'n.department')
      .select(['w.id', 'w.url', 'w.attempts', 'n.payload_json', 'n.department', 'd.webhook_secret'])
      .where('w.status', '=', 'QUEUED')
      .where('w.next_attempt_at', '<=', now.toISOString())
      .orderBy('w.next_attempt_at')
      .limit(50)
      .execute();
    let delivered = 0;
    for (const delivery of due) {
      const claimed = await db.updateTable('webhook_deliveries').set({ status: 'SENDING', next_attempt_at: now.toISOString() })
        .where('id', '=', delivery.id).where('status', '=', 'QUEUED').executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue;
      const attempts = Number(delivery.attempts) + 1;
      try {
        // A secret that does not decrypt (a key missing from the keyring) fails this attempt
        // with the reason in last_error, rather than going out unsigned.
        const secret = delivery.webhook_secret ? await openWebhookSecret(this.store, delivery.department, delivery.webhook_secret) : null;
        const res = await fetch(delivery.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'govgraph-webhook',
            ...(secret ? { 'x-govgraph-signature': signPayload(secret, delivery.payload_json) } : {}),
          },
          body: delivery.payload_json,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        await db.updateTable('webhook_deliveries').set({ status: 'DELIVERED', attempts, delivered_at: new Date().toISOString(), last_error: null }).where('id', '=', delivery.id).execute();
        delivered++;
      } catch (error) {
        const failed = attempts >= this.maxAttempts;
        const delay = Math.min(this.baseDelayMs * 2 ** (attempts - 1), 600_000);
        await db.updateTable('webhook_deliveries').set({
          status: failed ? 'FAILED' : 'QUEUED',
          attempts,
          next_attempt_at: new Date(Date.now() + delay).toISOString(),
          last_error: (error as Error).message.slice(0, 500),
        }).where('id', '=', delivery.id).execute();
      }
    }
    return delivered;
  }
}
