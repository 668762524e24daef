/**
 * The platform's record of who owns each schema element (R8) and of the hosts each
 * department's subgraphs may be registered at. Both are platform data: no registration
 * changes them, only the coordinating office does (audited through the admin API).
 */
import type { Kysely, Transaction } from 'kysely';
import type { PlatformDatabase } from '../store/platformStore.ts';
import type { Claim, Owner } from './ownership.ts';

export interface SchemaOwner extends Owner {
  readonly element: string;
  readonly kind: string;
  readonly claimedAt: string;
  readonly claimedBy: string;
  readonly reason: string;
}

type Db = Kysely<PlatformDatabase> | Transaction<PlatformDatabase>;

export async function readOwners(db: Db): Promise<Map<string, SchemaOwner>> {
  const rows = await db.selectFrom('schema_owners').selectAll().execute();
  return new Map(rows.map((r) => [r.element, toOwner(r)]));
}

/**
 * Records the claims of a publish in its transaction. Two replicas publishing at once cannot
 * both win an element: the insert keeps the first, and the read-back refuses the loser.
 */
export async function recordClaims(db: Db, claims: readonly Claim[], owner: Owner, actor: string, reason: string): Promise<string[]> {
  const now = new Date().toISOString();
  for (const claim of claims) {
    await db.insertInto('schema_owners')
      .values({ element: claim.element, kind: claim.kind, department: owner.department, subgraph: owner.subgraph, claimed_at: now, claimed_by: actor, reason })
      .onConflict((oc) => oc.column('element').doNothing())
      .execute();
  }
  if (claims.length === 0) return [];
  const lost: string[] = [];
  for (let i = 0; i < claims.length; i += 500) {
    const rows = await db.selectFrom('schema_owners').select(['element', 'department'])
      .where('element', 'in', claims.slice(i, i + 500).map((c) => c.element)).execute();
    for (const row of rows) if (row.department !== owner.department) lost.push(`${row.element} (${row.department})`);
  }
  return lost;
}

export async function transferOwner(db: Db, element: string, department: string, subgraph: string, actor: string, reason: string): Promise<void> {
  await db.updateTable('schema_owners')
    .set({ department, subgraph, claimed_at: new Date().toISOString(), claimed_by: actor, reason })
    .where('element', '=', element)
    .execute();
}

export async function hostsOf(db: Db, department: string): Promise<string[]> {
  const rows = await db.selectFrom('department_hosts').select('host').where('department', '=', department).orderBy('host').execute();
  return rows.map((r) => r.host);
}

export async function replaceHosts(db: Kysely<PlatformDatabase>, department: string, hosts: readonly string[], actor: string): Promise<void> {
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('department_hosts').where('department', '=', department).execute();
    for (const host of new Set(hosts)) await trx.insertInto('department_hosts').values({ department, host, added_at: now, added_by: actor }).execute();
  });
}

/** A host as the registry compares it: lower case, IPv6 without brackets. */
export function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

function toOwner(row: PlatformDatabase['schema_owners']): SchemaOwner {
  return {
    element: row.element, kind: row.kind, department: row.department, subgraph: row.subgraph,
    claimedAt: row.claimed_at, claimedBy: row.claimed_by, reason: row.reason,
  };
}
