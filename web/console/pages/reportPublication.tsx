/**
 * The evaluation across departments (R11): the coordinating office's table of every
 * department's main measures in a year, publication of a finished year's reports (frozen from
 * then on), and the published years every department may read.
 */
import * as Q from '../queries.ts';
import { Async, DataTable, ReasonConfirm, formatTime, useMutation, useQuery, useSession } from '../ui.tsx';
import { defineMessages } from '../i18n/defineMessages.ts';
import { useMessages } from '../i18n/I18nProvider.tsx';

const M = defineMessages('reportPublication', {
  theTable: '{v0} 年度汇总表',
  allDepartmentsPublished: '全部部门 —— {v0} 年度 · 已发布',
  allDepartmentsToDate: '全部部门 —— {v0} 年度（截至目前）',
  allDepartments: '全部部门 —— {v0} 年度',
  noDepartment: '没有部门。',
  department: '部门',
  fieldsSharedNotUnclassified: '共享 / 不予共享 / 未分类字段',
  applicationsOnTimeReceived: '按时答复 / 收到的申请',
  lateOrUnanswered: '逾期或未答复',
  catalogueUpdatesLate: '目录更新逾期',
  objectionsOnTimeReceived: '按时核实 / 收到的异议',
  inconsistentData: '数据不一致',
  requestsServedMade: '提供 / 发出的请求',
  violations: '违规',
  publishingStoresEveryDepartment: '发布将保存每个部门 {v0} 年度报告的现状：发布后不再变化，所有部门均可查阅（R11）。',
  publishTheReports: '发布 {v0} 年度报告',
  publish: '发布',
  reasonRecordedWithThe: '理由（随发布记录）',
  stateTheReasonFor: '请说明发布理由。',
  theReportsWereNot: '报告未发布',
  publishedReports: '已发布的报告',
  noYearHasBeen: '尚未发布任何年度。',
  year: '年度',
  published: '发布时间',
  by: '发布人',
  reason: '理由',
  departments: '部门数',
}, {
  theTable: 'the {v0} table',
  allDepartmentsPublished: 'All departments — {v0} · published',
  allDepartmentsToDate: 'All departments — {v0} (to date)',
  allDepartments: 'All departments — {v0}',
  noDepartment: 'No department.',
  department: 'Department',
  fieldsSharedNotUnclassified: 'Fields shared / not / unclassified',
  applicationsOnTimeReceived: 'Applications on time / received',
  lateOrUnanswered: 'Late or unanswered',
  catalogueUpdatesLate: 'Catalogue updates late',
  objectionsOnTimeReceived: 'Objections on time / received',
  inconsistentData: 'Inconsistent data',
  requestsServedMade: 'Requests served / made',
  violations: 'Violations',
  publishingStoresEveryDepartment: 'Publishing stores every department\'s {v0} report as it is now: it no longer changes, and every department may read it (R11).',
  publishTheReports: 'Publish the {v0} reports',
  publish: 'Publish',
  reasonRecordedWithThe: 'Reason (recorded with the publication)',
  stateTheReasonFor: 'State the reason for publishing.',
  theReportsWereNot: 'The reports were not published',
  publishedReports: 'Published reports',
  noYearHasBeen: 'No year has been published yet.',
  year: 'Year',
  published: 'Published',
  by: 'by',
  reason: 'Reason',
  departments: 'Departments',
});

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
  const t = useMessages(M);
  const value = useQuery<{ evaluationSummary: Summary }>(Q.EVALUATION_SUMMARY, { year });
  return (
    <Async value={value} what={t('theTable', { v0: year })}>
      {({ evaluationSummary: s }) => (
        <>
          <h2>{s.published ? t('allDepartmentsPublished', { v0: s.year }) : s.partial ? t('allDepartmentsToDate', { v0: s.year }) : t('allDepartments', { v0: s.year })}</h2>
          {onPublished && !s.partial && !s.published && <PublishReports year={s.year} onDone={onPublished} />}
          <DataTable
            testId="summary-table"
            rows={s.rows}
            rowKey={(r) => r.department}
            empty={t('noDepartment')}
            columns={[
              { header: t('department'), render: (r) => <button type="button" className="link" onClick={() => onOpen(r.department)}>{r.departmentName} ({r.department})</button> },
              { header: t('fieldsSharedNotUnclassified'), render: (r) => `${r.fieldsShared} / ${r.fieldsNotShared} / ${r.fieldsUnclassified}`, className: 'num' },
              { header: t('applicationsOnTimeReceived'), render: (r) => `${r.applicationsOnTime} / ${r.applicationsReceived}`, className: 'num' },
              { header: t('lateOrUnanswered'), render: (r) => r.applicationsLateOrUnanswered, className: 'num' },
              { header: t('catalogueUpdatesLate'), render: (r) => r.catalogueUpdatesLate, className: 'num' },
              { header: t('objectionsOnTimeReceived'), render: (r) => `${r.objectionsResolvedOnTime} / ${r.objectionsReceived}`, className: 'num' },
              { header: t('inconsistentData'), render: (r) => r.objectionsInconsistent, className: 'num' },
              { header: t('requestsServedMade'), render: (r) => `${num(r.requestsServed)} / ${num(r.requestsMade)}`, className: 'num' },
              { header: t('violations'), render: (r) => (r.violations.length ? r.violations.map((v) => <div key={v}><code>{v}</code></div>) : '—') },
            ]}
          />
        </>
      )}
    </Async>
  );
}

/** The coordinating office publishes a finished year's reports, with a reason; they are frozen from then on. */
export function PublishReports({ year, onDone }: { year: number; onDone(): void }) {
  const t = useMessages(M);
  const publish = useMutation<{ publishEvaluationReports: { year: number; publishedAt: string; departments: string[] } }>(Q.PUBLISH_REPORTS);
  return (
    <div className="panel">
      <p className="muted">{t('publishingStoresEveryDepartment', { v0: year })}</p>
      <ReasonConfirm
        label={t('publishTheReports', { v0: year })}
        confirmLabel={t('publish')}
        reasonLabel={t('reasonRecordedWithThe')}
        reasonRequired={t('stateTheReasonFor')}
        busy={publish.busy}
        error={publish.error}
        errorTitle={t('theReportsWereNot')}
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
  const t = useMessages(M);
  return (
    <>
      <h2>{t('publishedReports')}</h2>
      <DataTable
        testId="published-reports"
        rows={[...publications]}
        rowKey={(p) => String(p.year)}
        empty={t('noYearHasBeen')}
        columns={[
          { header: t('year'), render: (p) => <button type="button" className="link" onClick={() => onOpen(p.year)}>{p.year}</button> },
          { header: t('published'), render: (p) => <>{formatTime(p.publishedAt)}<div className="muted">{t('by')} {p.publishedBy}</div></> },
          { header: t('reason'), render: (p) => p.reason },
          { header: t('departments'), render: (p) => p.departments.length, className: 'num' },
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
