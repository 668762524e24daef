/**
 * Departments' webhook secrets, stored encrypted (R10): written by `setWebhook`, read only
 * to sign a delivery. A database dump shows an envelope bound to its department's row, never
 * the secret a department's receiver checks signatures with.
 */
import type { SecretSealer } from '../../lib/secretSealer.ts';
import { resealed } from '../../lib/secretSealer.ts';
import type { PlatformStore } from '../store/platformStore.ts';

/** What a department's ciphertext is bound to: copied into another department's row, it does not decrypt. */
export function webhookSecretBinding(department: string): string {
  return `departments.webhook_secret:${department}`;
}

function sealerOf(store: PlatformStore): SecretSealer {
  if (!store.secrets) throw new Error('this platform store was opened without the platform key (PlatformStore secrets); webhook secrets are stored encrypted and cannot be written or read without it');
  return store.secrets;
}

/** Sets (or with nulls clears) a department's webhook; the secret is encrypted before it is written. */
export async function saveWebhook(store: PlatformStore, department: string, url: string | null, secret: string | null): Promise<void> {
  const sealed = secret ? await sealerOf(store).encrypt(secret, webhookSecretBinding(department)) : null;
  await store.db.updateTable('departments').set({ webhook_url: url, webhook_secret: sealed }).where('code', '=', department).execute();
}

/** The secret a delivery to `department` is signed with, from the stored envelope. */
export async function openWebhookSecret(store: PlatformStore, department: string, stored: string): Promise<string> {
  return (await sealerOf(store).decrypt(stored, webhookSecretBinding(department))).toString('utf8');
}

/**
 * Encrypts webhook secrets still stored in plain text (written before secrets were encrypted)
 * and re-encrypts those under a previous platform key; run at every platform start, and by
 * `govgraph keys`. Idempotent, and safe beside a replica setting a webhook at the same time:
 * a row is replaced only if it still holds the value that was read. Returns rows rewritten.
 */
export async function sealWebhookSecretsAtRest(store: PlatformStore): Promise<number> {
  const sealer = sealerOf(store);
  const rows = await store.db.selectFrom('departments').select(['code', 'webhook_secret']).where('webhook_secret', 'is not', null).execute();
  let rewritten = 0;
  for (const row of rows) {
    const next = await resealed(sealer, row.webhook_secret!, webhookSecretBinding(row.code));
    if (next === null) continue;
    const result = await store.db.updateTable('departments').set({ webhook_secret: next })
      .where('code', '=', row.code).where('webhook_secret', '=', row.webhook_secret).executeTakeFirst();
    rewritten += Number(result.numUpdatedRows);
  }
  return rewritten;
}
