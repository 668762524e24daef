/** Yearly evaluation reports (R11): provision, timeliness, applications, objections, usage, violations and advice. */
import { useState } from 'react';
import * as Q from '../queries.ts';
import type { EvaluationReport } from '../types.ts';
import { Async, DataTable, DownloadButton, Empty, Notice, Options, PageHeader, chinaToday, formatTime, useQuery, useSession } from '../ui.tsx';
import { EvaluationSummaryTable, PublishedReports, usePublications } from './reportPublication.tsx';

/** Flattens the report JSON's sections of plain numbers into rows, the same measures as the CSV. */
export function keyFigures(json: string): { section: string; measure: string; value: string }[] {
  let report: Record<string, unknown>;
  try {
    report = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return [];
  }
  const rows: { section: string; measure: string; value: string }[] = [];
  for (const [section, value] of Object.entries(report)) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    for (const [measure, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'number' || typeof v === 'boolean') rows.push({ section, measure, value: String(v) });
    }
  }
  return rows;
}

/**
 * The chart as an <img> of a data: URL rather than inline markup: the SVG is drawn by the
 * server from department names and figures, and an image cannot run script whatever it holds.
 */
function Chart({ svg, title }: { svg: string; title: string }) {
  return <img className="chart" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} alt={title} data-testid="report-chart" />;
}

export function ReportsPage({ query, navigate }: { query: Readonly<Record<string, string>>; navigate(query: Record<string, string | undefined>): void }) {
  const { session, departmentName } = useSession();
  const { value: publications, office } = usePublications();
  const [publishedTick, setPublishedTick] = useState(0);
  const thisYear = Number(chinaToday().slice(0, 4));
  const year = Number(query.year) || thisYear;
  const publication = publications.state === 'ok' ? publications.data.reportPublications.find((p) => p.year === year) : undefined;
  // R11: before publication a department reads its own report; once published, every department's.
  const choosable = office ? session.departments.map((d) => d.code) : publication?.departments ?? [];
  const fallback = office ? (session.departments.find((d) => d.role === 'PROVIDER')?.code ?? session.me.department) : session.me.department;
  const department = (query.department && choosable.includes(query.department) && query.department) || fallback;
  const [yearText, setYearText] = useState(String(year));
  const valid = /^\d{4}$/.test(yearText) && Number(yearText) >= 2000 && Number(yearText) <= thisYear;
  const value = useQuery<{ evaluationReport: EvaluationReport }>(Q.REPORT, { department, year }, { skip: publications.state === 'loading' });
  const open = (d: string) => navigate({ department: d, year: String(year) });
  const published = () => {
    publications.reload();
    value.reload();
    setPublishedTick((t) => t + 1);
  };

  return (
    <section>
      <PageHeader title="Evaluation reports">
        The yearly evaluation (R11): how much a department provides and uses, how timely its catalogue updates and answers are,
        the violations found and advice for improvement. Published reports no longer change and every department may read them.
      </PageHeader>
      <form className="filters" onSubmit={(e) => { e.preventDefault(); if (valid) navigate({ department: choosable.length ? department : undefined, year: yearText }); }} noValidate>
        {choosable.length > 0 && (
          <label>Department <select value={department} onChange={(e) => open(e.target.value)} data-testid="report-department">
            <Options values={choosable} labels={(c) => `${c} — ${departmentName(c)}`} />
          </select></label>
        )}
        <label>Year <input type="number" min={2000} max={thisYear} value={yearText} onChange={(e) => setYearText(e.target.value)} data-testid="report-year" aria-invalid={!valid} /></label>
        <button type="submit" disabled={!valid} data-testid="report-load">Show</button>
        {!valid && <small className="field-error" role="alert">A year from 2000 to {thisYear}.</small>}
      </form>
      {(office || publication) && <EvaluationSummaryTable key={`${year}/${publishedTick}`} year={year} onOpen={open} onPublished={office ? published : undefined} />}
      <Async value={value} what={`the ${year} report of ${department}`}>
        {({ evaluationReport: r }) => <ReportView report={r} />}
      </Async>
      <Async value={publications} what="published reports">
        {({ reportPublications }) => <PublishedReports publications={reportPublications} onOpen={(y) => navigate({ year: String(y) })} />}
      </Async>
    </section>
  );
}

function ReportView({ report: r }: { report: EvaluationReport }) {
  const { departmentName } = useSession();
  return (
    <div data-testid="report">
      <h2>{departmentName(r.department)} <span className="muted">({r.department})</span> — {r.year}</h2>
      {r.partial && <Notice kind="warning" testId="report-partial">The year is not over: figures to {r.generatedOn}.</Notice>}
      {r.published && <Notice testId="report-published">Published {formatTime(r.publishedAt)}: this is the report as published (made {r.generatedOn}).</Notice>}
      <div className="report-downloads">
        <DownloadButton text={r.json} filename={`evaluation-${r.department}-${r.year}.json`} type="application/json" label="Download JSON" />
        <DownloadButton text={r.csv} filename={`evaluation-${r.department}-${r.year}.csv`} type="text/csv;charset=utf-8" label="Download CSV" testId="report-csv" />
        <DownloadButton text={r.svg} filename={`evaluation-${r.department}-${r.year}.svg`} type="image/svg+xml" label="Download SVG" />
      </div>
      <Chart svg={r.svg} title={`Key figures of ${r.department} in ${r.year}`} />
      <h3>Violations</h3>
      <DataTable
        testId="report-violations"
        rows={r.violations}
        rowKey={(v) => `${v.kind}:${v.detail}`}
        empty="No violation found."
        columns={[{ header: 'Kind', render: (v) => <code>{v.kind}</code> }, { header: 'Detail', render: (v) => v.detail }]}
      />
      <h3>Advice</h3>
      {r.advice.length ? <ul data-testid="report-advice">{r.advice.map((a) => <li key={a}>{a}</li>)}</ul> : <Empty>No advice.</Empty>}
      <h3>Key figures</h3>
      <div className="narrow">
        <DataTable
          rows={keyFigures(r.json)}
          rowKey={(f) => `${f.section}.${f.measure}`}
          empty="The report has no figures."
          columns={[{ header: 'Section', render: (f) => f.section }, { header: 'Measure', render: (f) => f.measure }, { header: 'Value', render: (f) => f.value, className: 'num' }]}
        />
      </div>
    </div>
  );
}
