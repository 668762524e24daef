/**
 * The evaluation across departments (R11): the coordinating office's table of every
 * department's main measures in a year, publication of a finished year's reports (frozen from
 * then on), and the published years every department may read.
 */
import * as Q from '../queries.ts';
import { Async, DataTable, ReasonConfirm, formatTime, useMutation, useQuery, useSession } from '../ui.tsx';

export interface ReportPublication { year: number; publishedAt: string; publishedBy: string; reason: string; departments: string[] }

interface SummaryRow {
  department: string; departmentName: string; fieldsShared: number; fieldsNotShared: number; fieldsUnclassified: number;
  applicationsReceived: number; applicationsOnTime: number; applicationsLateOrUnanswered: number; catalogueUpdatesLate: number;
  objectionsReceived: number; objectionsResolvedOnTime: number; objectionsInconsistent: number; requestsServed: number | null; requestsMade: number | null; violations: string[];
}

interface Summary { year: number; partial: boolean; published: boolean; publication: { publishedAt: string; reason: string } | null; rows: SummaryRow[] }

const num = (v: number | null) => (v === null ? '—' : String(v));

/**
 * Every department's main measures in a year; a row opens that department's report. With
 * `onPublished` (the coordinating office), a finished year not yet published can be published.
 */
export function EvaluationSummaryTable({ year, onOpen, onPublished }: { year: number; onOpen(department: string): void; onPublished?: (() => void) | undefined }) {
  const value = useQuery<{ evaluationSummary: Summary }>(Q.EVALUATION_SUMMARY, { year });
  return (
    <Async value={value} what={`the ${year} table`}>
      {({ evaluationSummary: s }) => (
        <>
          <h2>All departments — {s.year}{s.partial ? ' (to date)' : ''}{s.published ? ' · published' : ''}</h2>
          {onPublished && !s.partial && !s.published && <PublishReports year={s.year} onDone={onPublished} />}
          <DataTable
            testId="summary-table"
            rows={s.rows}
            rowKey={(r) => r.department}
            empty="No department."
            columns={[
              { header: 'Department', render: (r) => <button type="button" className="link" onClick={() => onOpen(r.department)}>{r.departmentName} ({r.department})</button> },
              { header: 'Fields shared / not / unclassified', render: (r) => `${r.fieldsShared} / ${r.fieldsNotShared} / ${r.fieldsUnclassified}`, className: 'num' },
              { header: 'Applications on time / received', render: (r) => `${r.applicationsOnTime} / ${r.applicationsReceived}`, className: 'num' },
              { header: 'Late or unanswered', render: (r) => r.applicationsLateOrUnanswered, className: 'num' },
              { header: 'Catalogue updates late', render: (r) => r.catalogueUpdatesLate, className: 'num' },
              { header: 'Objections on time / received', render: (r) => `${r.objectionsResolvedOnTime} / ${r.objectionsReceived}`, className: 'num' },
              { header: 'Inconsistent data', render: (r) => r.objectionsInconsistent, className: 'num' },
              { header: 'Requests served / made', render: (r) => `${num(r.requestsServed)} / ${num(r.requestsMade)}`, className: 'num' },
              { header: 'Violations', render: (r) => (r.violations.length ? r.violations.map((v) => <div key={v}><code>{v}</code></div>) : '—') },
            ]}
          />
        </>
      )}
    </Async>
  );
}

/** The coordinating office publishes a finished year's reports, with a reason; they are frozen from then on. */
export function PublishReports({ year, onDone }: { year: number; onDone(): void }) {
  const publish = useMutation<{ publishEvaluationReports: { year: number; publishedAt: string; departments: string[] } }>(Q.PUBLISH_REPORTS);
  return (
    <div className="panel">
      <p className="muted">Publishing stores every department's {year} report as it is now: it no longer changes, and every department may read it (R11).</p>
      <ReasonConfirm
        label={`Publish the ${year} reports`}
        confirmLabel="Publish"
        reasonLabel="Reason (recorded with the publication)"
        reasonRequired="State the reason for publishing."
        busy={publish.busy}
        error={publish.error}
        errorTitle="The reports were not published"
        testId="publish-reports"
        className="secondary"
        onConfirm={async (reason) => {
          const done = await publish.run({ year, reason });
          if (done) onDone();
          return Boolean(done);
        }}
      />
    </div>
  );
}

/** Published years, for every administrator: each opens the year. */
export function PublishedReports({ publications, onOpen }: { publications: readonly ReportPublication[]; onOpen(year: number): void }) {
  return (
    <>
      <h2>Published reports</h2>
      <DataTable
        testId="published-reports"
        rows={[...publications]}
        rowKey={(p) => String(p.year)}
        empty="No year has been published yet."
        columns={[
          { header: 'Year', render: (p) => <button type="button" className="link" onClick={() => onOpen(p.year)}>{p.year}</button> },
          { header: 'Published', render: (p) => <>{formatTime(p.publishedAt)}<div className="muted">by {p.publishedBy}</div></> },
          { header: 'Reason', render: (p) => p.reason },
          { header: 'Departments', render: (p) => p.departments.length, className: 'num' },
        ]}
      />
    </>
  );
}

/** The published years, and whether the session is the coordinating office. */
export function usePublications() {
  const { session } = useSession();
  const value = useQuery<{ reportPublications: ReportPublication[] }>(Q.REPORT_PUBLICATIONS);
  return { value, office: session.me.kind === 'PLATFORM_ADMIN' };
}
