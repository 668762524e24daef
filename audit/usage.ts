/**
 * Usage figures read from the audit trail: who used which fields lately (for the registry's
 * breaking-change report), who read a datum (for objections, R9), and requests per consumer
 * and provider in a year (for the evaluation report, R11).
 */
import type { AuditLog } from './auditLog.ts';

export interface FieldUsageRow {
  readonly coordinate: string;
  readonly consumer: string;
  readonly operationName: string | null;
  readonly requests: number;
  readonly lastSeen: string;
}

/** Consumers and operations that read (or asked for) these fields since `since`. */
export async function fieldUsage(log: AuditLog, coordinates: readonly string[], since: Date): Promise<FieldUsageRow[]> {
  // Breaking changes name types as well as fields: `Household` covers `Household.*`.
  const exact = coordinates.filter((c) => c.includes('.'));
  const types = coordinates.filter((c) => !c.includes('.'));
  if (exact.length === 0 && types.length === 0) return [];
  const rows = await log.db
    .selectFrom('audit_fields as f')
    .innerJoin('audit_records as r', 'r.seq', 'f.seq')
    .select((eb) => ['f.coordinate', 'r.department as consumer', 'r.operation_name as operationName', eb.fn.countAll<number>().as('requests'), eb.fn.max('r.time').as('lastSeen')])
    .where('r.kind', '=', 'ACCESS')
    .where('r.time', '>=', since.toISOString())
    .where((eb) => eb.or([
      ...(exact.length ? [eb('f.coordinate', 'in', exact)] : []),
      ...types.map((t) => eb('f.coordinate', 'like', `${t}.%`)),
    ]))
    .groupBy(['f.coordinate', 'r.department', 'r.operation_name'])
    .execute();
  return rows.map((r) => ({ coordinate: r.coordinate, consumer: r.consumer, operationName: r.operationName, requests: Number(r.requests), lastSeen: String(r.lastSeen) }));
}

/** Departments that were returned a field of a record (by key value) in the last `days` days. */
export async function readersOf(log: AuditLog, coordinate: string, keyValue: string, days = 365): Promise<string[]> {
  const rows = await log.db
    .selectFrom('audit_keys as k')
    .innerJoin('audit_fields as f', 'f.seq', 'k.seq')
    .innerJoin('audit_records as r', 'r.seq', 'k.seq')
    .select('r.department')
    .distinct()
    .where('k.key_value', '=', keyValue)
    .where('f.coordinate', '=', coordinate)
    .where('f.outcome', '=', 'RETURNED')
    .where('r.time', '>=', new Date(Date.now() - days * 86_400_000).toISOString())
    .execute();
  return rows.map((r) => r.department);
}

/** Requests per consumer and subgraph-providing department in a calendar year, with denied fields. */
export async function yearlyUsage(log: AuditLog, year: number, providerOfSubgraph: (subgraph: string) => string | undefined): Promise<{ consumer: string; provider: string; requests: number; deniedFields: number }[]> {
  const rows = await log.db
    .selectFrom('audit_records')
    .select(['department', 'subgraphs', 'denied'])
    .where('kind', '=', 'ACCESS')
    .where('time', '>=', `${year}-01-01`)
    .where('time', '<', `${year + 1}-01-01`)
    .execute();
  const totals = new Map<string, { consumer: string; provider: string; requests: number; deniedFields: number }>();
  for (const row of rows) {
    const subgraphs = row.subgraphs ? (JSON.parse(row.subgraphs) as string[]) : [];
    const denied = row.denied ? (JSON.parse(row.denied) as string[]).length : 0;
    const providers = new Set(subgraphs.map((s) => providerOfSubgraph(s) ?? s));
    if (providers.size === 0) providers.add('(none)');
    let first = true;
    for (const provider of providers) {
      const key = `${row.department}\u0000${provider}`;
      const t = totals.get(key) ?? { consumer: row.department, provider, requests: 0, deniedFields: 0 };
      t.requests++;
      // Denials count once per request, against its first provider.
      if (first) t.deniedFields += denied;
      first = false;
      totals.set(key, t);
    }
  }
  return [...totals.values()];
}
