/** Yearly evaluation reports (R11): provision, timeliness, applications, objections, usage, violations and advice. */
import { useState } from 'react';
import * as Q from '../queries.ts';
import type { EvaluationReport } from '../types.ts';
import { Async, DataTable, DownloadButton, Empty, Options, PageHeader, chinaToday, useQuery, useSession } from '../ui.tsx';

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
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  const thisYear = Number(chinaToday().slice(0, 4));
  const department = (platform && query.department) || (platform ? (session.departments.find((d) => d.role === 'PROVIDER')?.code ?? session.me.department) : session.me.department);
  const year = Number(query.year) || thisYear;
  const [yearText, setYearText] = useState(String(year));
  const valid = /^\d{4}$/.test(yearText) && Number(yearText) >= 2000 && Number(yearText) <= 2100;
  const value = useQuery<{ evaluationReport: EvaluationReport }>(Q.REPORT, { department, year });

  return (
    <section>
      <PageHeader title="Evaluation reports">
        The yearly evaluation (R11): how much a department provides and uses, how timely its catalogue updates and answers are,
        the violations found and advice for improvement.
      </PageHeader>
      <form className="filters" onSubmit={(e) => { e.preventDefault(); if (valid) navigate({ department: platform ? department : undefined, year: yearText }); }} noValidate>
        {platform && (
          <label>Department <select value={department} onChange={(e) => navigate({ department: e.target.value, year: String(year) })} data-testid="report-department">
            <Options values={session.departments.map((d) => d.code)} labels={(c) => `${c} — ${departmentName(c)}`} />
          </select></label>
        )}
        <label>Year <input type="number" min={2000} max={2100} value={yearText} onChange={(e) => setYearText(e.target.value)} data-testid="report-year" aria-invalid={!valid} /></label>
        <button type="submit" disabled={!valid} data-testid="report-load">Show</button>
        {!valid && <small className="field-error" role="alert">A year between 2000 and 2100.</small>}
      </form>
      <Async value={value} what={`the ${year} report of ${department}`}>
        {({ evaluationReport: r }) => (
          <div data-testid="report">
            <h2>{departmentName(r.department)} <span className="muted">({r.department})</span> — {r.year}</h2>
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
        )}
      </Async>
    </section>
  );
}
