/**
 * Applications (R5): the consumer's own (withdraw, contest), the provider's inbox (approve,
 * reject with a reason), and the coordinating office's escalations (arbitrate).
 */
import { useState, type FormEvent } from 'react';
import { hrefOf } from '../routes.ts';
import * as Q from '../queries.ts';
import { requireText } from '../forms.ts';
import { DateInput } from '../dateInput.tsx';
import { defineMessages } from '../i18n/defineMessages.ts';
import { useMessages } from '../i18n/I18nProvider.tsx';
import { CodeBadge, PurposeName, ValidUntil, useLabels } from '../i18n/labels.tsx';
import { APPLICATION_STATUSES, type Application } from '../types.ts';
import { useSettingValues } from './deadlines.tsx';
import { RefusedFields, useRefusals } from './fieldRefusals.tsx';
import { useWorkingDaysLeft } from './workingDaysLeft.ts';
import {
  Async, Badge, ConfirmButton, Coordinate, DataTable, Empty, ErrorBox, Field, Notice, Options, PageHeader, chinaToday, formatTime, useMutation, useQuery, useSession,
} from '../ui.tsx';
import { ProvisionalMark } from './calendar.tsx';

const M = defineMessages('applications', {
  overdue: '已逾期',
  dueToday: '今日到期',
  daysLeft: '剩余 {n} 个工作日',
  application: '申请编号',
  consumerProvider: '申请部门 → 提供部门',
  fields: '字段',
  purpose: '用途',
  status: '状态',
  submitted: '提交时间',
  answerDue: '答复期限',
  title: '共享申请',
  introPlatform: '平台上的全部申请。',
  introDepartment: '本部门提出的申请（作为申请方）或须答复的申请（作为提供方）。',
  any: '全部',
  role: '角色',
  roleConsumer: '我方申请',
  roleProvider: '涉及我方字段',
  both: '两者',
  all: '全部',
  noMatch: '没有符合条件的申请。',
  loadingList: '申请列表',
  back: '← 全部申请',
  loadingOne: '申请 {id}',
  noSuch: '没有申请 {id}。',
  detailTitle: '申请 {id}',
  detailIntro: '{consumer} 向 {provider} 申请，用途：{purpose}。',
  justification: '申请理由',
  legalBasis: '法律依据',
  caseRef: '案件编号',
  period: '申请期限',
  applicant: '申请人',
  decided: '决定时间',
  decidedBy: '{time}，由 {actor}',
  reason: '理由',
  approvedUntil: '批准至',
  escalated: '提请协调',
  history: '办理记录',
  noEvents: '暂无记录。',
  when: '时间',
  who: '操作人',
  what: '操作',
  grantsMade: '已生成的授权',
  noGrants: '该申请未生成授权。',
  field: '字段',
  valid: '有效期',
  state: '状态',
  contestWhy: '请说明为何应重新考虑该决定。',
  yourOptions: '本部门可进行的操作',
  withdraw: '撤回申请',
  withdrawConfirm: '确认撤回',
  contestLabel: '提出异议：为何请协调机构重新考虑？',
  contest: '提出异议',
  chooseField: '请至少选择一个准予共享的字段。',
  arbitrationReason: '仲裁须说明理由。',
  rejectionReason: '驳回须说明理由（R5）：请指出哪项条件未满足。',
  answer: '答复该申请',
  arbitrate: '仲裁',
  notRecorded: '决定未记录',
  fieldsToGrant: '准予共享的字段',
  validUntilOptional: '有效期至（选填）',
  validUntilHint: '默认按申请：{date}；格式 YYYY-MM-DD',
  reasonRequiredToReject: '理由（驳回时必填）',
  approve: '批准',
  grant: '准予',
  reject: '驳回',
  uphold: '维持拒绝',
  from: '申请部门',
  earlierDecision: '原决定',
  contestArgument: '申请方异议理由',
  inboxTitle: '待办审核',
  inboxIntro: '涉及本部门字段的待答复申请，按期限先后排列。请在 {days} 个工作日内答复（R5，以提交时的规定为准）；驳回须说明理由。逾期未答复的申请将提请协调机构处理。',
  inboxEmpty: '没有待答复的申请。',
  loadingInbox: '待办申请',
  answered: '申请 {id} 已答复。',
  escalationsTitle: '协调仲裁',
  escalationsIntro: '逾期未答复（OVERDUE）或申请方对拒绝提出异议（CONTESTED）的申请，以及申请方提出异议的单个被拒字段。由协调机构准予或维持，并说明理由。',
  escalationsEmpty: '没有提请协调的申请。',
  loadingEscalations: '提请协调的申请',
  arbitrated: '申请 {id} 已仲裁。',
  cause: '提请原因',
}, {
  overdue: 'overdue',
  dueToday: 'due today',
  daysLeft: '{n} working days left',
  application: 'Application',
  consumerProvider: 'Consumer → provider',
  fields: 'Fields',
  purpose: 'Purpose',
  status: 'Status',
  submitted: 'Submitted',
  answerDue: 'Answer due',
  title: 'Applications',
  introPlatform: 'Every application on the platform.',
  introDepartment: 'Applications your department made (as consumer) or must answer (as provider).',
  any: 'any',
  role: 'Role',
  roleConsumer: 'we applied',
  roleProvider: 'for our fields',
  both: 'both',
  all: 'all',
  noMatch: 'No application matches.',
  loadingList: 'applications',
  back: '← All applications',
  loadingOne: 'application {id}',
  noSuch: 'There is no application {id}.',
  detailTitle: 'Application {id}',
  detailIntro: '{consumer} applied to {provider} for {purpose}.',
  justification: 'Justification',
  legalBasis: 'Legal basis',
  caseRef: 'Case reference',
  period: 'Period asked',
  applicant: 'Applicant',
  decided: 'Decided',
  decidedBy: '{time} by {actor}',
  reason: 'Reason',
  approvedUntil: 'Approved until',
  escalated: 'Escalated',
  history: 'History',
  noEvents: 'No events.',
  when: 'When',
  who: 'Who',
  what: 'What',
  grantsMade: 'Grants made',
  noGrants: 'No grant was made from this application.',
  field: 'Field',
  valid: 'Valid',
  state: 'State',
  contestWhy: 'Say why the decision should be reconsidered.',
  yourOptions: 'Your department\'s options',
  withdraw: 'Withdraw application',
  withdrawConfirm: 'Yes, withdraw it',
  contestLabel: 'Contest: why should the coordinating office reconsider?',
  contest: 'Contest',
  chooseField: 'Choose at least one field to grant.',
  arbitrationReason: 'An arbitration states its reason.',
  rejectionReason: 'A rejection states its reason (R5): say which condition is not met.',
  answer: 'Answer this application',
  arbitrate: 'Arbitrate',
  notRecorded: 'The decision was not recorded',
  fieldsToGrant: 'Fields to grant',
  validUntilOptional: 'Valid until (optional)',
  validUntilHint: 'default: as asked, {date}; YYYY-MM-DD',
  reasonRequiredToReject: 'Reason (required to reject)',
  approve: 'Approve',
  grant: 'Grant',
  reject: 'Reject',
  uphold: 'Uphold refusal',
  from: 'From',
  earlierDecision: 'Earlier decision',
  contestArgument: 'The consumer\'s contest',
  inboxTitle: 'Inbox',
  inboxIntro: 'Pending applications for your department\'s fields, earliest due first. Answer within {days} working days (R5), as set when each was submitted; a rejection states its reason. Unanswered applications go to the coordinating office.',
  inboxEmpty: 'No application waits for an answer.',
  loadingInbox: 'the inbox',
  answered: 'Application {id} answered.',
  escalationsTitle: 'Escalations',
  escalationsIntro: 'Applications left unanswered past their due date (OVERDUE) or whose refusal the consumer contested (CONTESTED), and single refused fields a consumer contested. The coordinating office grants or upholds, with a reason.',
  escalationsEmpty: 'No escalated application.',
  loadingEscalations: 'escalations',
  arbitrated: 'Application {id} arbitrated.',
  cause: 'Cause',
});

type Navigate = (query: Record<string, string | undefined>) => void;

function Fields({ application }: { application: Application }) {
  return (
    <>
      {application.fields.map((f) => (
        <span key={f.coordinate} className="chip" title={f.sharingClass}>
          {f.coordinate}{f.approved === true ? ' ✓' : f.approved === false ? ' ✗' : ''}
        </span>
      ))}
    </>
  );
}

/** The due date, and for a pending application the working days left (R5). */
function Due({ application, daysLeft }: { application: Application; daysLeft?: number | undefined }) {
  const t = useMessages(M);
  if (!application.dueDate) return <span className="muted">—</span>;
  const overdue = application.status === 'PENDING' && application.dueDate < chinaToday();
  return (
    <span className={overdue ? 'overdue' : undefined}>
      {application.dueDate}<ProvisionalMark provisional={application.dueDateProvisional} />
      {overdue && <> <Badge value="OVERDUE" label={t('overdue')} /></>}
      {!overdue && application.status === 'PENDING' && daysLeft !== undefined && daysLeft >= 0 && (
        <> <span className={`badge badge-${daysLeft <= 2 ? 'red' : daysLeft <= 5 ? 'amber' : 'blue'}`} data-testid="days-left">{daysLeft === 0 ? t('dueToday') : t('daysLeft', { n: daysLeft })}</span></>
      )}
    </span>
  );
}

export function ApplicationsTable({ rows, empty, testId }: { rows: readonly Application[]; empty: string; testId?: string }) {
  const t = useMessages(M);
  const { department } = useLabels();
  return (
    <DataTable
      testId={testId ?? 'applications-table'}
      rows={rows}
      rowKey={(a) => a.id}
      rowTestId={(a) => `application-${a.id}`}
      empty={empty}
      columns={[
        { header: t('application'), render: (a) => <a href={hrefOf('applications', [a.id])}>{a.id}</a> },
        { header: t('consumerProvider'), render: (a) => <><span title={a.consumer}>{department(a.consumer)}</span> → <span title={a.provider}>{department(a.provider)}</span></> },
        { header: t('fields'), render: (a) => <Fields application={a} /> },
        { header: t('purpose'), render: (a) => <PurposeName code={a.purpose} /> },
        { header: t('status'), render: (a) => <CodeBadge group="status" value={a.status} testId="application-status" /> },
        { header: t('submitted'), className: 'nowrap', render: (a) => formatTime(a.submittedAt) },
        { header: t('answerDue'), className: 'nowrap', render: (a) => <Due application={a} /> },
      ]}
    />
  );
}

export function ApplicationsPage({ params, query, navigate }: { params: readonly string[]; query: Readonly<Record<string, string>>; navigate: Navigate }) {
  if (params[0]) return <ApplicationDetail id={params[0]} />;
  return <ApplicationList status={query.status ?? ''} role={query.role ?? ''} navigate={navigate} />;
}

function ApplicationList({ status, role, navigate }: { status: string; role: string; navigate: Navigate }) {
  const { session } = useSession();
  const t = useMessages(M);
  const { of, t: common } = useLabels();
  const value = useQuery<{ applications: Application[] }>(Q.APPLICATIONS, { status: status || null, role: role || null });
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  return (
    <section>
      <PageHeader title={t('title')}>{platform ? t('introPlatform') : t('introDepartment')}</PageHeader>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>{t('status')} <select value={status} onChange={(e) => navigate({ status: e.target.value, role })} data-testid="applications-status"><Options values={APPLICATION_STATUSES} labels={(s) => of('status', s)} blank={t('any')} /></select></label>
        <label>{t('role')} <select value={role} onChange={(e) => navigate({ status, role: e.target.value })} data-testid="applications-role"><Options values={['CONSUMER', 'PROVIDER']} labels={(r) => (r === 'CONSUMER' ? t('roleConsumer') : t('roleProvider'))} blank={platform ? t('all') : t('both')} /></select></label>
        <button type="button" className="secondary" onClick={value.reload}>{common('refresh')}</button>
      </form>
      <Async value={value} what={t('loadingList')}>
        {({ applications }) => <ApplicationsTable rows={applications} empty={t('noMatch')} />}
      </Async>
    </section>
  );
}

function ApplicationDetail({ id }: { id: string }) {
  const { session } = useSession();
  const t = useMessages(M);
  const { department, purpose, of, t: common } = useLabels();
  const value = useQuery<{ application: Application | null }>(Q.APPLICATION, { id });
  return (
    <section>
      <p className="actions"><a href={hrefOf('applications')}>{t('back')}</a><button type="button" className="link" onClick={value.reload}>{common('refresh')}</button></p>
      <Async value={value} what={t('loadingOne', { id })}>
        {({ application: a }) => {
          if (!a) return <Empty>{t('noSuch', { id })}</Empty>;
          const me = session.me;
          const isConsumer = me.department === a.consumer && me.kind !== 'PLATFORM_ADMIN';
          const isProviderAdmin = me.kind === 'DEPARTMENT_ADMIN' && me.department === a.provider;
          return (
            <>
              <PageHeader title={t('detailTitle', { id: a.id })} testId="application-title">
                <CodeBadge group="status" value={a.status} testId="application-status" /> {t('detailIntro', { consumer: department(a.consumer), provider: department(a.provider), purpose: purpose(a.purpose) })}
              </PageHeader>
              <dl className="facts" data-testid="application-facts">
                <dt>{t('fields')}</dt><dd><Fields application={a} /></dd>
                <dt>{t('purpose')}</dt><dd><PurposeName code={a.purpose} /></dd>
                <dt>{t('justification')}</dt><dd>{a.justification}</dd>
                <dt>{t('legalBasis')}</dt><dd>{a.legalBasis}</dd>
                {a.caseRef && <><dt>{t('caseRef')}</dt><dd>{a.caseRef}</dd></>}
                <dt>{t('period')}</dt><dd>{a.requestedFrom} – {a.requestedUntil}</dd>
                <dt>{t('applicant')}</dt><dd><code>{a.applicant}</code></dd>
                <dt>{t('submitted')}</dt><dd>{formatTime(a.submittedAt)}</dd>
                <dt>{t('answerDue')}</dt><dd><Due application={a} /></dd>
                {a.decidedAt && <><dt>{t('decided')}</dt><dd>{t.rich('decidedBy', { time: formatTime(a.decidedAt), actor: <code>{a.decidedBy}</code> })}</dd></>}
                {a.decisionReason && <><dt>{t('reason')}</dt><dd data-testid="decision-reason">{a.decisionReason}</dd></>}
                {a.approvedUntil && <><dt>{t('approvedUntil')}</dt><dd data-testid="approved-until">{a.approvedUntil}</dd></>}
                {a.escalatedAt && <><dt>{t('escalated')}</dt><dd>{formatTime(a.escalatedAt)} ({a.escalationCause ? of('status', a.escalationCause) : ''})</dd></>}
              </dl>
              <RefusedFields application={a} onDone={value.reload} />
              {isProviderAdmin && a.status === 'PENDING' && <DecisionPanel application={a} mode="provider" onDone={value.reload} />}
              {me.kind === 'PLATFORM_ADMIN' && a.status === 'ESCALATED' && <DecisionPanel application={a} mode="arbitrate" onDone={value.reload} />}
              {isConsumer && <ConsumerActions application={a} onDone={value.reload} />}
              <h2>{t('history')}</h2>
              <DataTable
                rows={a.events ?? []}
                rowKey={(e) => `${e.at}-${e.action}-${e.toStatus}`}
                empty={t('noEvents')}
                columns={[
                  { header: t('when'), className: 'nowrap', render: (e) => formatTime(e.at) },
                  { header: t('who'), render: (e) => <code>{e.actor}</code> },
                  { header: t('what'), render: (e) => e.action },
                  { header: t('status'), render: (e) => <span title={`${e.fromStatus ? `${e.fromStatus} → ` : ''}${e.toStatus}`}>{e.fromStatus ? `${of('status', e.fromStatus)} → ` : ''}{of('status', e.toStatus)}</span> },
                  { header: t('reason'), render: (e) => e.reason ?? '' },
                ]}
              />
              <h2>{t('grantsMade')}</h2>
              <DataTable
                rows={a.grants ?? []}
                rowKey={(g) => g.id}
                empty={t('noGrants')}
                columns={[
                  { header: t('field'), render: (g) => <Coordinate value={g.coordinate} /> },
                  { header: t('purpose'), render: (g) => <PurposeName code={g.purpose} /> },
                  { header: t('valid'), render: (g) => <>{formatTime(g.validFrom)} – <ValidUntil iso={g.validUntil} /></> },
                  { header: t('state'), render: (g) => <CodeBadge group="status" value={g.revokedAt ? 'revoked' : g.active ? 'active' : 'inactive'} /> },
                ]}
              />
            </>
          );
        }}
      </Async>
    </section>
  );
}

/** Withdraw a pending application; contest a rejection or refusal (it then goes to the coordinating office). */
function ConsumerActions({ application, onDone }: { application: Application; onDone(): void }) {
  const t = useMessages(M);
  const withdraw = useMutation<unknown>(Q.WITHDRAW);
  const contest = useMutation<unknown>(Q.CONTEST);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const canWithdraw = application.status === 'PENDING' || application.status === 'ESCALATED';
  const canContest = application.status === 'REJECTED' || application.status === 'REFUSED';
  if (!canWithdraw && !canContest) return null;
  const onContest = async (e: FormEvent) => {
    e.preventDefault();
    const p = requireText(reason, t('contestWhy'));
    setProblem(p);
    if (!p && (await contest.run({ id: application.id, reason: reason.trim() }))) onDone();
  };
  return (
    <div className="panel">
      <h2>{t('yourOptions')}</h2>
      <ErrorBox error={withdraw.error ?? contest.error} />
      {canWithdraw && (
        <ConfirmButton label={t('withdraw')} confirmLabel={t('withdrawConfirm')} testId="withdraw" disabled={withdraw.busy}
          onConfirm={async () => { if (await withdraw.run({ id: application.id, reason: null })) onDone(); }} />
      )}
      {canContest && (
        <form className="form" onSubmit={onContest} noValidate>
          <Field label={t('contestLabel')} htmlFor="contest-reason" error={problem}>
            <textarea id="contest-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <button type="submit" disabled={contest.busy} data-testid="contest-submit">{t('contest')}</button>
        </form>
      )}
    </div>
  );
}

/**
 * The provider's answer (approve possibly fewer fields or a shorter period, or reject with a
 * reason), or the coordinating office's arbitration (grant or uphold, with a reason).
 */
export function DecisionPanel({ application, mode, onDone }: { application: Application; mode: 'provider' | 'arbitrate'; onDone(): void }) {
  const t = useMessages(M);
  const approve = useMutation<unknown>(mode === 'provider' ? Q.APPROVE : Q.ARBITRATE);
  const reject = useMutation<unknown>(mode === 'provider' ? Q.REJECT : Q.ARBITRATE);
  const [chosen, setChosen] = useState<string[]>(application.fields.map((f) => f.coordinate));
  const [validUntil, setValidUntil] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<{ fields?: string; reason?: string }>({});
  const busy = approve.busy || reject.busy;
  const prefix = `decide-${application.id}`;
  // R5: the provider gives each field it leaves out a legal ground and text.
  const refusals = useRefusals(prefix, mode === 'provider' ? application.fields.map((f) => f.coordinate).filter((c) => !chosen.includes(c)) : []);

  const onApprove = async () => {
    const p = {
      fields: chosen.length === 0 ? t('chooseField') : undefined,
      reason: mode === 'arbitrate' ? requireText(reason, t('arbitrationReason')) : undefined,
    };
    setProblems(p);
    const refused = refusals.check();
    if (p.fields || p.reason || !refused) return;
    const vars = { id: application.id, coordinates: chosen, validUntil: validUntil || null, reason: reason.trim() || null };
    const ok = mode === 'provider' ? await approve.run({ ...vars, refusals: refused }) : await approve.run({ ...vars, grant: true, reason: reason.trim() });
    if (ok) onDone();
  };
  const onReject = async () => {
    const p = { reason: requireText(reason, mode === 'provider' ? t('rejectionReason') : t('arbitrationReason')) };
    setProblems(p);
    if (p.reason) return;
    const ok = mode === 'provider'
      ? await reject.run({ id: application.id, reason: reason.trim(), refusals: refusals.completed() })
      : await reject.run({ id: application.id, grant: false, reason: reason.trim() });
    if (ok) onDone();
  };

  return (
    <form className="panel form" onSubmit={(e) => e.preventDefault()} noValidate data-testid={prefix}>
      <h2>{mode === 'provider' ? t('answer') : t('arbitrate')}</h2>
      <ErrorBox error={approve.error ?? reject.error} title={t('notRecorded')} />
      <fieldset>
        <legend>{t('fieldsToGrant')}</legend>
        {application.fields.map((f) => (
          <label key={f.coordinate} className="check">
            <input type="checkbox" checked={chosen.includes(f.coordinate)}
              onChange={(e) => setChosen(e.target.checked ? [...chosen, f.coordinate] : chosen.filter((c) => c !== f.coordinate))} />
            <Coordinate value={f.coordinate} /> <CodeBadge group="class" value={f.sharingClass} />
          </label>
        ))}
        {problems.fields && <small className="field-error" role="alert">{problems.fields}</small>}
      </fieldset>
      {refusals.element}
      <Field label={t('validUntilOptional')} htmlFor={`${prefix}-until`} hint={t('validUntilHint', { date: application.requestedUntil })}>
        <DateInput id={`${prefix}-until`} value={validUntil} onChange={setValidUntil} />
      </Field>
      <Field label={mode === 'provider' ? t('reasonRequiredToReject') : t('reason')} htmlFor={`${prefix}-reason`} error={problems.reason}>
        <textarea id={`${prefix}-reason`} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} data-testid={`${prefix}-reason`} />
      </Field>
      <div className="actions">
        <button type="button" disabled={busy} onClick={onApprove} data-testid={`${prefix}-approve`}>{mode === 'provider' ? t('approve') : t('grant')}</button>
        <button type="button" className="danger" disabled={busy} onClick={onReject} data-testid={`${prefix}-reject`}>{mode === 'provider' ? t('reject') : t('uphold')}</button>
      </div>
    </form>
  );
}

type CardApplication = Application & { events?: { at: string; actor: string; action: string; reason: string | null; fromStatus?: string | null; toStatus?: string }[] };

function ApplicationCard({ application: a, mode, onDone, daysLeft }: { application: CardApplication; mode: 'provider' | 'arbitrate'; onDone(): void; daysLeft?: number | undefined }) {
  const t = useMessages(M);
  const { department } = useLabels();
  // The consumer's argument when it contested the refusal (R5: what stays refused goes to the office).
  const contest = [...(a.events ?? [])].reverse().find((e) => e.action === 'CONTEST');
  return (
    <article className="card" data-testid={`inbox-${a.id}`}>
      <header className="card-header">
        <a href={hrefOf('applications', [a.id])}><strong>{a.id}</strong></a>
        <span><CodeBadge group="status" value={a.status} /> {a.escalationCause && <CodeBadge group="status" value={a.escalationCause} />}</span>
      </header>
      <dl className="facts">
        <dt>{t('from')}</dt><dd>{department(a.consumer)} <span className="muted">({a.consumer} · <code>{a.applicant}</code>)</span></dd>
        {a.caseRef && <><dt>{t('caseRef')}</dt><dd data-testid="case-ref">{a.caseRef}</dd></>}
        <dt>{t('fields')}</dt><dd><Fields application={a} /></dd>
        <dt>{t('purpose')}</dt><dd><PurposeName code={a.purpose} /></dd>
        <dt>{t('justification')}</dt><dd>{a.justification}</dd>
        <dt>{t('legalBasis')}</dt><dd>{a.legalBasis}</dd>
        <dt>{t('period')}</dt><dd>{a.requestedFrom} – {a.requestedUntil}</dd>
        <dt>{t('answerDue')}</dt><dd><Due application={a} daysLeft={daysLeft} /></dd>
        {a.decisionReason && <><dt>{t('earlierDecision')}</dt><dd>{a.decisionReason}</dd></>}
        {contest?.reason && <><dt>{t('contestArgument')}</dt><dd data-testid="contest-argument">{contest.reason}</dd></>}
      </dl>
      {/* An approved application is here for a contested field: the office decides that field alone. */}
      {mode === 'arbitrate' && a.status !== 'ESCALATED' ? <RefusedFields application={a} onDone={onDone} /> : <DecisionPanel application={a} mode={mode} onDone={onDone} />}
    </article>
  );
}

export function InboxPage() {
  const t = useMessages(M);
  const value = useQuery<{ inbox: Application[] }>(Q.INBOX);
  const { answerDays } = useSettingValues();
  const daysLeft = useWorkingDaysLeft();
  const [done, setDone] = useState<string | null>(null);
  return (
    <section>
      <PageHeader title={t('inboxTitle')}>{t('inboxIntro', { days: answerDays })}</PageHeader>
      {done && <Notice kind="success" testId="decision-done">{done}</Notice>}
      <Async value={value} what={t('loadingInbox')}>
        {({ inbox }) => inbox.length === 0 ? <Empty>{t('inboxEmpty')}</Empty> : (
          <div className="cards">
            {inbox.map((a) => <ApplicationCard key={a.id} application={a} mode="provider" daysLeft={daysLeft(a.dueDate)} onDone={() => { setDone(t('answered', { id: a.id })); value.reload(); }} />)}
          </div>
        )}
      </Async>
    </section>
  );
}

export function EscalationsPage() {
  const t = useMessages(M);
  const value = useQuery<{ escalations: CardApplication[] }>(Q.ESCALATIONS);
  const [done, setDone] = useState<string | null>(null);
  return (
    <section>
      <PageHeader title={t('escalationsTitle')}>{t('escalationsIntro')}</PageHeader>
      {done && <Notice kind="success" testId="decision-done">{done}</Notice>}
      <Async value={value} what={t('loadingEscalations')}>
        {({ escalations }) => escalations.length === 0 ? <Empty>{t('escalationsEmpty')}</Empty> : (
          <div className="cards">
            {escalations.map((a) => <ApplicationCard key={a.id} application={a} mode="arbitrate" onDone={() => { setDone(t('arbitrated', { id: a.id })); value.reload(); }} />)}
          </div>
        )}
      </Async>
    </section>
  );
}
