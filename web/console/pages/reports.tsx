/** Yearly evaluation reports (R11): provision, timeliness, applications, objections, usage, violations and advice. */
import { useState } from 'react';
import * as Q from '../queries.ts';
import type { EvaluationReport } from '../types.ts';
import { Async, DataTable, DownloadButton, Empty, Notice, Options, PageHeader, chinaToday, formatTime, useQuery, useSession } from '../ui.tsx';
import { EvaluationSummaryTable, PublishedReports, usePublications } from './reportPublication.tsx';
import { defineMessages } from '../i18n/defineMessages.ts';
import { useMessages } from '../i18n/I18nProvider.tsx';

const M = defineMessages('reports', {
  evaluationReports: '评价报告',
  theYearlyEvaluationR11: '年度评价（R11）：部门提供和使用数据的情况、目录更新和答复是否及时、发现的违规及改进建议。已发布的报告不再变化，所有部门均可查阅。',
  department: '部门',
  year: '年度',
  show: '查看',
  aYearFrom2000: '年度须在 2000 至 {v0} 之间。',
  theReportOf: '{v1} {v0} 年度报告',
  publishedReports: '已发布的报告',
  theYearIsNot: '该年度尚未结束：数据截至 {v0}。',
  publishedThisIsThe: '已于 {v0} 发布：此为发布时的报告（生成于 {v1}）。',
  downloadJson: '下载 JSON',
  downloadCsv: '下载 CSV',
  downloadSvg: '下载 SVG',
  keyFiguresOfIn: '{v0} {v1} 年度主要指标',
  violations: '违规情况',
  noViolationFound: '未发现违规。',
  kind: '类型',
  detail: '详情',
  advice: '改进建议',
  noAdvice: '无改进建议。',
  keyFigures: '主要指标',
  theReportHasNo: '报告没有指标。',
  section: '部分',
  measure: '指标',
  value: '数值',
}, {
  evaluationReports: 'Evaluation reports',
  theYearlyEvaluationR11: 'The yearly evaluation (R11): how much a department provides and uses, how timely its catalogue updates and answers are, the violations found and advice for improvement. Published reports no longer change and every department may read them.',
  department: 'Department',
  year: 'Year',
  show: 'Show',
  aYearFrom2000: 'A year from 2000 to {v0}.',
  theReportOf: 'the {v0} report of {v1}',
  publishedReports: 'published reports',
  theYearIsNot: 'The year is not over: figures to {v0}.',
  publishedThisIsThe: 'Published {v0}: this is the report as published (made {v1}).',
  downloadJson: 'Download JSON',
  downloadCsv: 'Download CSV',
  downloadSvg: 'Download SVG',
  keyFiguresOfIn: 'Key figures of {v0} in {v1}',
  violations: 'Violations',
  noViolationFound: 'No violation found.',
  kind: 'Kind',
  detail: 'Detail',
  advice: 'Advice',
  noAdvice: 'No advice.',
  keyFigures: 'Key figures',
  theReportHasNo: 'The report has no figures.',
  section: 'Section',
  measure: 'Measure',
  value: 'Value',
});

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
  const t = useMessages(M);
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
      <PageHeader title={t('evaluationReports')}>
        {t('theYearlyEvaluationR11')}
      </PageHeader>
      <form className="filters" onSubmit={(e) => { e.preventDefault(); if (valid) navigate({ department: choosable.length ? department : undefined, year: yearText }); }} noValidate>
        {choosable.length > 0 && (
          <label>{t('department')} <select value={department} onChange={(e) => open(e.target.value)} data-testid="report-department">
            <Options values={choosable} labels={(c) => `${c} — ${departmentName(c)}`} />
          </select></label>
        )}
        <label>{t('year')} <input type="number" min={2000} max={thisYear} value={yearText} onChange={(e) => setYearText(e.target.value)} data-testid="report-year" aria-invalid={!valid} /></label>
        <button type="submit" disabled={!valid} data-testid="report-load">{t('show')}</button>
        {!valid && <small className="field-error" role="alert">{t('aYearFrom2000', { v0: thisYear })}</small>}
      </form>
      {(office || publication) && <EvaluationSummaryTable key={`${year}/${publishedTick}`} year={year} onOpen={open} onPublished={office ? published : undefined} />}
      <Async value={value} what={t('theReportOf', { v0: year, v1: department })}>
        {({ evaluationReport: r }) => <ReportView report={r} />}
      </Async>
      <Async value={publications} what={t('publishedReports')}>
        {({ reportPublications }) => <PublishedReports publications={reportPublications} onOpen={(y) => navigate({ year: String(y) })} />}
      </Async>
    </section>
  );
}

function ReportView({ report: r }: { report: EvaluationReport }) {
  const t = useMessages(M);
  const { departmentName } = useSession();
  return (
    <div data-testid="report">
      <h2>{departmentName(r.department)} <span className="muted">({r.department})</span> — {r.year}</h2>
      {r.partial && <Notice kind="warning" testId="report-partial">{t('theYearIsNot', { v0: r.generatedOn })}</Notice>}
      {r.published && <Notice testId="report-published">{t('publishedThisIsThe', { v0: formatTime(r.publishedAt), v1: r.generatedOn })}</Notice>}
      <div className="report-downloads">
        <DownloadButton text={r.json} filename={`evaluation-${r.department}-${r.year}.json`} type="application/json" label={t('downloadJson')} />
        <DownloadButton text={r.csv} filename={`evaluation-${r.department}-${r.year}.csv`} type="text/csv;charset=utf-8" label={t('downloadCsv')} testId="report-csv" />
        <DownloadButton text={r.svg} filename={`evaluation-${r.department}-${r.year}.svg`} type="image/svg+xml" label={t('downloadSvg')} />
      </div>
      <Chart svg={r.svg} title={t('keyFiguresOfIn', { v0: r.department, v1: r.year })} />
      <h3>{t('violations')}</h3>
      <DataTable
        testId="report-violations"
        rows={r.violations}
        rowKey={(v) => `${v.kind}:${v.detail}`}
        empty={t('noViolationFound')}
        columns={[{ header: t('kind'), render: (v) => <code>{v.kind}</code> }, { header: t('detail'), render: (v) => v.detail }]}
      />
      <h3>{t('advice')}</h3>
      {r.advice.length ? <ul data-testid="report-advice">{r.advice.map((a) => <li key={a}>{a}</li>)}</ul> : <Empty>{t('noAdvice')}</Empty>}
      <h3>{t('keyFigures')}</h3>
      <div className="narrow">
        <DataTable
          rows={keyFigures(r.json)}
          rowKey={(f) => `${f.section}.${f.measure}`}
          empty={t('theReportHasNo')}
          columns={[{ header: t('section'), render: (f) => f.section }, { header: t('measure'), render: (f) => f.measure }, { header: t('value'), render: (f) => f.value, className: 'num' }]}
        />
      </div>
    </div>
  );
}
