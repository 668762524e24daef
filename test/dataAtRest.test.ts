/**
 * Data at rest (R10), on the whole platform: after it started and served requests, every
 * folder under DATA_DIR is 0700 and every file 0600 (SQLite), although the process umask is
 * the usual 0o022; no database holds an issuer's private key in PEM or a webhook secret set
 * through the management API — yet webhook deliveries are still signed with that secret and
 * licence seals still verify (R12). After the platform key is rotated and the platform
 * restarted (`govgraph keys rotate`), what was stored is re-encrypted under the new key and
 * still works; a secret an older version stored in plain text is encrypted by the next start.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPayload } from '../control/notifications/webhookDelivery.ts';
import { openWebhookSecret } from '../control/notifications/webhookSecrets.ts';
import { loadConfig } from '../platform/config.ts';
import { startPlatform, type RunningPlatform } from '../platform/startPlatform.ts';
import { platformKeySourceFrom, platformSecretSealer } from '../lib/platformKeys.ts';
import { runKeysCommand } from '../platform/keysCommand.ts';
import type { PlatformDatabase } from '../control/store/platformStore.ts';
import { openDatabase } from '../storage/database.ts';
import { envelopeKeyId, isEnvelope } from '../lib/secretSealer.ts';
import { testDialects } from '../storage/testing.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const PEM_MARKER = '-----BEGIN PRIVATE KEY-----';
const WEBHOOK_SECRET = 'whsec-9f2c7e1d-never-stored-in-plain-text';
const SET_WEBHOOK = 'mutation($u: String!, $s: String!) { setWebhook(url: $u, secret: $s) { webhookUrl } }';
const APPLY = `mutation($input: ApplicationInput!) { applyForAccess(input: $input) { id } }`;
const application = (coordinates: string[]) => ({
  coordinates, purpose: 'ADMINISTRATIVE_BASIS', justification: '最低生活保障资格核查', legalBasis: '《社会救助暂行办法》第十一条', requestedUntil: '2027-06-30',
});
const DOCUMENT = (licenceNo: string) => `{ licence(licenceNo: "${licenceNo}") { document { content seal { algorithm keyId signature publicKey record } } } }`;
const VERIFY = 'query($c: String!, $s: String!) { verifyElectronicSeal(content: $c, seal: $s) { valid verdict message } }';

/** R12: a relying party (an mca app) verifies a seal against the issuer seal-key registry through the management API. */
async function verifiedByRegistry(platform: TestPlatform, content: string, seal: { record: string }): Promise<{ valid: boolean; verdict: string }> {
  const answer = await platform.admin(VERIFY, { c: content, s: seal.record }, platform.appToken('mca'));
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data.verifyElectronicSeal;
}

/** Every file and folder under `root`, with its permission bits. */
function walk(root: string): { path: string; dir: boolean; mode: number }[] {
  const out: { path: string; dir: boolean; mode: number }[] = [];
  const visit = (path: string) => {
    const stat = statSync(path);
    out.push({ path: relative(root, path) || '.', dir: stat.isDirectory(), mode: stat.mode & 0o7777 });
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return out;
}

/** Every text and blob value of every table of every database the platform wrote, as text. */
async function dumpDatabases(platform: TestPlatform): Promise<{ where: string; text: string }[]> {
  const values: { where: string; text: string }[] = [];
  const push = (where: string, value: unknown) => {
    if (typeof value === 'string') values.push({ where, text: value });
    else if (Buffer.isBuffer(value)) values.push({ where, text: value.toString('latin1') });
  };
  if (platform.storage.config.kind === 'sqlite') {
    const files = readdirSync(platform.storage.dataDir).filter((f) => f.endsWith('.sqlite'));
    expect(files).toEqual(expect.arrayContaining(['platform.sqlite', 'licences.sqlite', 'audit.sqlite']));
    for (const file of files) {
      const db = new SQLite(join(platform.storage.dataDir, file), { readonly: true });
      try {
        const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[];
        for (const table of tables) {
          for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
            for (const [column, value] of Object.entries(row)) push(`${file} ${table}.${column}`, value);
          }
        }
      } finally {
        db.close();
      }
    }
    return values;
  }
  const { url, schemaPrefix = '' } = platform.storage.config;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ schema: string; table: string }>(
      `SELECT table_schema AS schema, table_name AS table FROM information_schema.tables WHERE table_schema LIKE $1 AND table_type = 'BASE TABLE'`,
      [`${schemaPrefix}%`],
    );
    expect(tables.map((t) => t.table)).toEqual(expect.arrayContaining(['departments', 'seal_keys', 'audit_records']));
    for (const { schema, table } of tables) {
      const { rows } = await client.query(`SELECT * FROM "${schema}"."${table}"`);
      for (const row of rows) for (const [column, value] of Object.entries(row)) push(`${schema}.${table}.${column}`, value);
    }
  } finally {
    await client.end();
  }
  return values;
}

interface Received {
  readonly body: string;
  readonly signature: string | undefined;
}

function webhookReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ body, signature: req.headers['x-govgraph-signature'] as string | undefined });
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received })));
}

async function deliveredTo(platform: RunningPlatform, received: Received[], count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (received.length < count && Date.now() < deadline) {
    await platform.webhooks.runOnce();
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(received).toHaveLength(count);
}

describe.each(testDialects())('data at rest on %s (R10)', (dialect) => {
  let platform: TestPlatform;
  let umask: number;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  beforeAll(async () => {
    // The usual umask: files are created world-readable unless the platform says otherwise.
    umask = process.umask(0o022);
    receiver = await webhookReceiver();
    platform = await startTestPlatform(dialect);
  });
  afterAll(async () => {
    receiver?.server.close();
    await platform?.stop();
    process.umask(umask);
  });

  it('signs webhook deliveries with the secret set through the management API, and seals still verify', async () => {
    const set = await platform.admin(SET_WEBHOOK, { u: receiver.url, s: WEBHOOK_SECRET }, platform.adminToken('ndrc'));
    expect(set.body.errors).toBeUndefined();
    const applied = await platform.admin(APPLY, { input: application(['Person.credit']) }, platform.appToken('mca'));
    expect(applied.body.errors).toBeUndefined();
    await deliveredTo(platform, receiver.received, 1);
    const [delivery] = receiver.received;
    expect(JSON.parse(delivery!.body)).toMatchObject({ kind: 'APPLICATION_SUBMITTED', department: 'ndrc' });
    expect(delivery!.signature).toBe(signPayload(WEBHOOK_SECRET, delivery!.body));

    const read = await platform.query(DOCUMENT(platform.credentials.samples.licences[0]!), { as: { department: 'gsa' } });
    expect(read.body.errors).toBeUndefined();
    const { content, seal } = read.body.data.licence.document;
    expect(await verifiedByRegistry(platform, content, seal)).toMatchObject({ valid: true, verdict: 'VALID' });
    expect(await verifiedByRegistry(platform, content.replace('"', '" '), seal)).toMatchObject({ valid: false, verdict: 'CONTENT_ALTERED' });
  });

  it('no database holds a private key in PEM or the webhook secret; what is stored are envelopes', async () => {
    const values = await dumpDatabases(platform);
    expect(values.length).toBeGreaterThan(1000);
    expect(values.filter((v) => v.text.includes(PEM_MARKER)).map((v) => v.where)).toEqual([]);
    expect(values.filter((v) => v.text.includes(WEBHOOK_SECRET)).map((v) => v.where)).toEqual([]);
    const sealKeys = values.filter((v) => /seal_keys\.private_key$/.test(v.where));
    expect(sealKeys.length).toBeGreaterThan(1);
    for (const v of sealKeys) expect(isEnvelope(v.text)).toBe(true);
    const stored = await platform.store.db.selectFrom('departments').select('webhook_secret').where('code', '=', 'ndrc').executeTakeFirstOrThrow();
    expect(isEnvelope(stored.webhook_secret!)).toBe(true);
  });

  it('every folder under DATA_DIR is 0700 and every file 0600, databases and their WAL included', () => {
    const entries = walk(platform.storage.dataDir);
    const names = entries.map((e) => e.path);
    // What must be there for the check to mean anything (on PostgreSQL: keys and demo files only).
    expect(names).toEqual(expect.arrayContaining([
      'keys', 'keys/platform.key', 'demo/credentials.json', 'demo/world.json',
      ...(dialect === 'sqlite' ? ['platform.sqlite', 'licences.sqlite', 'audit.sqlite', 'platform.sqlite-wal', 'audit.sqlite-wal'] : []),
    ]));
    const wrong = entries.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600)).map((e) => `${e.path} ${e.mode.toString(8)}`);
    expect(wrong).toEqual([]);
    // And no byte of any file — WAL and shared memory included — holds the webhook secret.
    for (const e of entries.filter((x) => !x.dir)) {
      expect([e.path, readFileSync(join(platform.storage.dataDir, e.path)).includes(WEBHOOK_SECRET)]).toEqual([e.path, false]);
    }
  });

  it('after rotating the platform key and restarting, stored secrets are re-encrypted under the new key and still work', async () => {
    const { dataDir } = platform.storage;
    const before = platformSecretSealer(platformKeySourceFrom({}, dataDir)).currentKeyId;
    await platform.close();
    const config = { ...loadConfig({ DATA_DIR: dataDir, PORT: '0', GOVGRAPH_SUBGRAPHS: 'inprocess' }), storage: platform.storage.config };
    // `govgraph keys rotate`, with the platform stopped.
    const rotated = await runKeysCommand('rotate', config);
    expect(rotated.previousKeyIds).toEqual([before]);
    // Issuers' keys are in the platform's seal-key registry now, re-sealed by the rotation itself (issue 21); the licences database's old table is empty.
    expect(rotated.reencrypted).toEqual({ 'departments.webhook_secret': 1, 'seal_keys.private_key': expect.any(Number), 'issuer_seal_keys.private_key': expect.any(Number) });
    expect(rotated.reencrypted?.['issuer_seal_keys.private_key']).toBeGreaterThan(0);
    expect(Object.keys(rotated.secrets['issuer_seal_keys.private_key'] ?? {})).toEqual([rotated.currentKeyId]);
    expect(Object.keys(rotated.secrets['seal_keys.private_key'] ?? {})).toEqual([]);
    // A secret an older version wrote in plain text is encrypted by the next start.
    const legacy = await openDatabase<PlatformDatabase>(platform.storage.config, 'platform');
    await legacy.db.updateTable('departments').set({ webhook_secret: 'legacy-plain-secret' }).where('code', '=', 'mca').execute();
    await legacy.close();
    const restarted = await startPlatform(config, { log: () => {} });
    // platform.stop() (afterAll) closes whatever runs now.
    Object.assign(platform, { close: restarted.close });
    const stored = await restarted.store.db.selectFrom('departments').select('webhook_secret').where('code', '=', 'ndrc').executeTakeFirstOrThrow();
    expect(envelopeKeyId(stored.webhook_secret!)).toBe(rotated.currentKeyId);
    const mca = await restarted.store.db.selectFrom('departments').select('webhook_secret').where('code', '=', 'mca').executeTakeFirstOrThrow();
    expect(envelopeKeyId(mca.webhook_secret!)).toBe(rotated.currentKeyId);
    expect(await openWebhookSecret(restarted.store, 'mca', mca.webhook_secret!)).toBe('legacy-plain-secret');
    const sealKeys = (await dumpDatabases(platform)).filter((v) => /seal_keys\.private_key$/.test(v.where));
    expect(sealKeys.length).toBeGreaterThan(1);
    for (const v of sealKeys) expect(envelopeKeyId(v.text)).toBe(rotated.currentKeyId);

    const hrss = restarted.credentials.departments.find((d) => d.code === 'hrss')!.apps[0]!.token;
    const applied = await fetch(restarted.credentials.admin, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hrss}` },
      body: JSON.stringify({ query: APPLY, variables: { input: application(['Person.credit']) } }),
    });
    expect(((await applied.json()) as { errors?: unknown }).errors).toBeUndefined();
    await deliveredTo(restarted, receiver.received, 2);
    const delivery = receiver.received[1]!;
    expect(delivery.signature).toBe(signPayload(WEBHOOK_SECRET, delivery.body));
  });

  it('a webhook secret copied into another department\'s row does not decrypt there', async () => {
    const sealer = platformSecretSealer(platformKeySourceFrom({}, platform.storage.dataDir));
    const envelope = await sealer.encrypt(WEBHOOK_SECRET, 'departments.webhook_secret:ndrc');
    const store = { secrets: sealer } as Parameters<typeof openWebhookSecret>[0];
    expect(await openWebhookSecret(store, 'ndrc', envelope)).toBe(WEBHOOK_SECRET);
    await expect(openWebhookSecret(store, 'mca', envelope)).rejects.toMatchObject({ code: 'AUTHENTICATION_FAILED' });
  });
});

describe('subgraphs in their own processes (what npm start runs) seal with the platform key the launcher hands them', () => {
  let platform: TestPlatform;
  let umask: number;
  beforeAll(async () => {
    umask = process.umask(0o022);
    platform = await startTestPlatform('sqlite', { mode: 'process' });
  }, 180_000);
  afterAll(async () => {
    await platform?.stop();
    process.umask(umask);
  });

  it('the licences process encrypted its seal keys under DATA_DIR/keys/platform.key; its files are private', async () => {
    const read = await platform.query(DOCUMENT(platform.credentials.samples.licences[0]!), { as: { department: 'gsa' } });
    expect(read.body.errors).toBeUndefined();
    const { content, seal } = read.body.data.licence.document;
    expect(seal.algorithm).toBe('SM2-with-SM3');
    expect(await verifiedByRegistry(platform, content, seal)).toMatchObject({ valid: true, verdict: 'VALID' });
    const keyId = platformSecretSealer(platformKeySourceFrom({}, platform.storage.dataDir)).currentKeyId;
    const sealKeys = (await dumpDatabases(platform)).filter((v) => /seal_keys\.private_key$/.test(v.where));
    expect(sealKeys.length).toBeGreaterThan(1);
    for (const v of sealKeys) expect(envelopeKeyId(v.text)).toBe(keyId);
    const wrong = walk(platform.storage.dataDir).filter((e) => e.mode !== (e.dir ? 0o700 : 0o600)).map((e) => `${e.path} ${e.mode.toString(8)}`);
    expect(wrong).toEqual([]);
  });
});
