/**
 * Publishing a year's evaluation reports (R11: "published with improvement advice"): the
 * coordinating office publishes every department's report of a finished year at once, with a
 * reason; each report is stored as published — its JSON, CSV and chart exactly as rendered
 * then — and from then on the stored report is the report: later data (an objection resolved
 * after publication) never changes it. Published reports are visible to every department;
 * before publication a department sees only its own.
 *
 * Glossary:
 * - publication: one per year (year is its key; a second is refused), who, when, why.
 * - published report: one department's report of that year, frozen.
 */
import type { Kysely } from 'kysely';
import type { PlatformDatabase } from '../store/platformStore.ts';

export interface RenderedReport {
  readonly department: string;
  readonly json: string;
  readonly csv: string;
  readonly svg: string;
}

export interface ReportPublication {
  readonly year: number;
  readonly publishedAt: string;
  readonly publishedBy: string;
  readonly reason: string;
  readonly departments: readonly string[];
}

/** Stores a year's publication and its reports in one transaction; false when the year was already published. */
export async function storePublication(
  db: Kysely<PlatformDatabase>, publication: Omit<ReportPublication, 'departments'>, reports: readonly RenderedReport[],
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('report_publications')
      .values({ year: publication.year, published_at: publication.publishedAt, published_by: publication.publishedBy, reason: publication.reason })
      .onConflict((oc) => oc.column('year').doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
    for (const r of reports) {
      await trx.insertInto('published_reports').values({ year: publication.year, department: r.department, report_json: r.json, report_csv: r.csv, report_svg: r.svg }).execute();
    }
    return true;
  });
}

export async function publications(db: Kysely<PlatformDatabase>, year?: number): Promise<ReportPublication[]> {
  let query = db.selectFrom('report_publications').selectAll().orderBy('year', 'desc');
  if (year !== undefined) query = query.where('year', '=', year);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const reports = await db.selectFrom('published_reports').select(['year', 'department']).where('year', 'in', rows.map((r) => r.year)).orderBy('department').execute();
  return rows.map((r) => ({
    year: Number(r.year), publishedAt: r.published_at, publishedBy: r.published_by, reason: r.reason,
    departments: reports.filter((p) => Number(p.year) === Number(r.year)).map((p) => p.department),
  }));
}

/** One department's published report of a year, as stored; null when not published. */
export async function publishedReport(db: Kysely<PlatformDatabase>, year: number, department: string): Promise<RenderedReport | null> {
  const row = await db.selectFrom('published_reports').selectAll().where('year', '=', year).where('department', '=', department).executeTakeFirst();
  return row ? { department: row.department, json: row.report_json, csv: row.report_csv, svg: row.report_svg } : null;
}

/** Every department's published report of a year, as stored. */
export async function publishedReports(db: Kysely<PlatformDatabase>, year: number): Promise<RenderedReport[]> {
  const rows = await db.selectFrom('published_reports').selectAll().where('year', '=', year).orderBy('department').execute();
  return rows.map((row) => ({ department: row.department, json: row.report_json, csv: row.report_csv, svg: row.report_svg }));
}
