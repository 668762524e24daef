/**
 * `govgraph audit …` (R10), run on the platform's host by its operator:
 *
 *   govgraph audit verify [--indexes] [--workers N] [--public-key FILE]
 *     walks the chain and the signed checkpoints; prints `ok …` and exits 0, or names the
 *     first bad record and exits 1. Checkpoints verify against the platform's published
 *     checkpoint keys (the platform store's, every generation: issue 15), or against FILE: a
 *     PEM public key or a key set saved from the gateway's /.well-known/audit-keys.json.
 *   govgraph audit query [--consumer DEPT] [--app CREDENTIAL] [--field COORDINATE]
 *       [--outcome RETURNED|DENIED] [--key KIND=VALUE] [--from ISO] [--to ISO] [--kind ACCESS|ADMIN]
 *       [--purpose P] [--case ID] [--request ID] [--order asc|desc] [--limit N] [--after SEQ]
 *       [--format jsonl|csv|xlsx] [--out FILE]
 *     prints matching records as JSON lines (the platform administrator's view), or writes them
 *     as CSV (UTF-8 with BOM, Chinese headers) or Excel; citizen identity numbers are masked in
 *     every format (4401**********0119: audit/auditExport.ts). When more remain, says on stderr
 *     which --after continues.
 *
 * Exit codes: 0 done, 1 verification failed, 2 usage error.
 */
import { parseArgs } from 'node:util';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { auditCsv, auditXlsx, maskAuditEntry } from './auditExport.ts';
import type { StorageConfig } from '../storage/database.ts';
import { openAuditDatabase } from './auditDatabase.ts';
import { KEY_KINDS, type KeyKind } from './auditRecord.ts';
import { loadAuditPublicKey } from './checkpoint.ts';
import { publishedKeys } from '../lib/publishedKeySet.ts';
import { AuditQueryError, MAX_QUERY_LIMIT, queryAudit, type AuditQuery } from './queries.ts';
import { verifyAuditStorage } from './verifyParallel.ts';

export interface AuditCommandConfig {
  readonly dataDir: string;
  readonly storage: StorageConfig;
  /** The platform's published checkpoint keys (the platform store's); none: the key file under DATA_DIR/keys. */
  readonly checkpointKeys?: () => Promise<readonly KeyObject[]>;
}

/** A PEM public key, or a JWKS (every key in it). */
function keysFromFile(file: string): KeyObject[] {
  const text = readFileSync(file, 'utf8');
  return text.trimStart().startsWith('{') ? [...publishedKeys(JSON.parse(text)).values()] : [createPublicKey(text)];
}

export interface AuditCommandIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const USAGE = `usage:
  govgraph audit verify [--indexes] [--workers N] [--public-key FILE]
  govgraph audit query [--consumer DEPT] [--app CREDENTIAL] [--field COORDINATE] [--outcome RETURNED|DENIED]
                       [--key ${KEY_KINDS.join('|')}=VALUE] [--from ISO] [--to ISO] [--kind ACCESS|ADMIN]
                       [--purpose P] [--case ID] [--request ID] [--order asc|desc] [--limit N] [--after SEQ]
                       [--format jsonl|csv|xlsx] [--out FILE]   (citizen identity numbers masked: 4401**********0119)`;

class UsageError extends Error {}

const consoleIo: AuditCommandIo = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };

export async function runAuditCommand(argv: readonly string[], config: AuditCommandConfig, io: AuditCommandIo = consoleIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'verify':
        return await verify(rest, config, io);
      case 'query':
        return await query(rest, config, io);
      case undefined:
      case 'help':
      case '--help':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown audit command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof AuditQueryError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

function integer(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, received ${JSON.stringify(value)}`);
  return n;
}

async function verify(argv: readonly string[], config: AuditCommandConfig, io: AuditCommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { indexes: { type: 'boolean', default: false }, workers: { type: 'string' }, 'public-key': { type: 'string' } },
    strict: true,
  });
  let publicKey: KeyObject[];
  try {
    if (values['public-key']) publicKey = keysFromFile(values['public-key']);
    else {
      publicKey = [...(await config.checkpointKeys?.()) ?? []];
      if (publicKey.length === 0) publicKey = [loadAuditPublicKey(config.dataDir)];
    }
  } catch (error) {
    throw new UsageError(`no audit public key: ${(error as Error).message}`);
  }
  const workers = integer(values.workers, 'workers', 1, 64);
  const opened = await openAuditDatabase(config.storage);
  try {
    const result = await verifyAuditStorage(config.storage, opened.db, publicKey, { indexes: values.indexes, ...(workers ? { workers } : {}) });
    // The verdict first, then one line per partition when the trail has several (PostgreSQL).
    const perPartition = () => {
      if (result.partitions.length < 2) return;
      for (const p of result.partitions) {
        const head = p.head ? `head ${p.head.seq}` : 'empty';
        io.out(p.ok
          ? `  partition ${p.partition}: ok, ${p.records} records, ${p.checkpoints} checkpoints, ${head}, ${p.unsignedTail} after the last checkpoint`
          : `  partition ${p.partition}: FAILED at record ${p.firstBad!.seq}: ${p.firstBad!.problem} — ${p.firstBad!.message}`);
      }
    };
    if (result.ok) {
      const head = result.head ? `head ${result.head.seq} ${result.head.hash}` : 'empty';
      const partitions = result.partitions.length > 1 ? `; ${result.partitions.length} partitions` : '';
      io.out(`ok: ${result.records} records, ${result.checkpoints} checkpoints, ${head}, ${result.unsignedTail} after the last checkpoint; ${result.seconds.toFixed(2)} s (${opened.location}${partitions})`);
      perPartition();
      return 0;
    }
    const where = result.partitions.length > 1 ? `; partition ${result.firstBad.partition ?? 0} of ${result.partitions.length}` : '';
    io.out(`FAILED at record ${result.firstBad.seq}: ${result.firstBad.problem} — ${result.firstBad.message}; ${result.seconds.toFixed(2)} s (${opened.location}${where})`);
    perPartition();
    return 1;
  } finally {
    await opened.close();
  }
}

async function query(argv: readonly string[], config: AuditCommandConfig, io: AuditCommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      consumer: { type: 'string' }, app: { type: 'string' }, field: { type: 'string' }, outcome: { type: 'string' }, key: { type: 'string' },
      from: { type: 'string' }, to: { type: 'string' }, kind: { type: 'string' }, purpose: { type: 'string' }, case: { type: 'string' },
      request: { type: 'string' }, order: { type: 'string' }, limit: { type: 'string' }, after: { type: 'string' },
      format: { type: 'string' }, out: { type: 'string' },
    },
    strict: true,
  });
  let key: AuditQuery['key'];
  if (values.key !== undefined) {
    const at = values.key.indexOf('=');
    const kind = values.key.slice(0, Math.max(0, at));
    if (at < 0 || !(KEY_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--key must be KIND=VALUE with KIND one of ${KEY_KINDS.join(', ')}, received ${JSON.stringify(values.key)}`);
    key = { kind: kind as KeyKind, value: values.key.slice(at + 1) };
  }
  const format = values.format ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'csv' && format !== 'xlsx') throw new UsageError(`--format must be jsonl, csv or xlsx, received ${JSON.stringify(values.format)}`);
  if (format === 'xlsx' && !values.out) throw new UsageError('--format xlsx writes a workbook: give it a file with --out records.xlsx');
  if (values.kind !== undefined && values.kind !== 'ACCESS' && values.kind !== 'ADMIN') throw new UsageError(`--kind must be ACCESS or ADMIN, received ${JSON.stringify(values.kind)}`);
  const limit = integer(values.limit, 'limit', 1, MAX_QUERY_LIMIT);
  const after = integer(values.after, 'after', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const request: AuditQuery = {
    ...(values.consumer !== undefined ? { consumer: values.consumer } : {}),
    ...(values.app !== undefined ? { app: values.app } : {}),
    ...(values.field !== undefined ? { field: values.field } : {}),
    ...(values.outcome !== undefined ? { outcome: values.outcome as 'RETURNED' | 'DENIED' } : {}),
    ...(key ? { key } : {}),
    ...(values.from !== undefined ? { from: values.from } : {}),
    ...(values.to !== undefined ? { to: values.to } : {}),
    ...(values.kind !== undefined ? { kind: values.kind as 'ACCESS' | 'ADMIN' } : {}),
    ...(values.purpose !== undefined ? { purpose: values.purpose } : {}),
    ...(values.case !== undefined ? { caseId: values.case } : {}),
    ...(values.request !== undefined ? { requestId: values.request } : {}),
    ...(values.order !== undefined ? { order: values.order as 'asc' | 'desc' } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(after !== undefined ? { after } : {}),
  };
  const opened = await openAuditDatabase(config.storage);
  try {
    const page = await queryAudit(opened, { kind: 'platform' }, request);
    // Citizen identity numbers are shown masked, in every format (the display convention).
    const records = page.records.map(maskAuditEntry);
    if (format === 'jsonl' && !values.out) for (const record of records) io.out(JSON.stringify(record));
    else {
      const body = format === 'xlsx' ? await auditXlsx(records) : format === 'csv' ? auditCsv(records) : records.map((r) => `${JSON.stringify(r)}\n`).join('');
      if (values.out) {
        writeFileSync(values.out, body);
        io.out(JSON.stringify({ written: values.out, format, records: records.length }));
      } else io.out((body as string).replace(/\r?\n$/, ''));
    }
    if (page.next !== null) io.err(`more records: continue with --after ${page.next}`);
    return 0;
  } finally {
    await opened.close();
  }
}
