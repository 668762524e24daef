/**
 * Applications (R5): the consumer's own (withdraw, contest), the provider's inbox (approve,
 * reject with a reason), and the coordinating office's escalations (arbitrate).
 */
import { useState, type FormEvent } from 'react';
import { hrefOf } from '../routes.ts';
import * as Q from '../queries.ts';
import { requireText } from '../forms.ts';
import { APPLICATION_STATUSES, type Application } from '../types.ts';
import { useSettingValues } from './deadlines.tsx';
import { RefusedFields, useRefusals } from './fieldRefusals.tsx';
import {
  Async, Badge, ConfirmButton, Coordinate, DataTable, Empty, ErrorBox, Field, Notice, Options, PageHeader, chinaToday, formatTime, useMutation, useQuery, useSession,
} from '../ui.tsx';
import { ProvisionalMark } from './calendar.tsx';

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

function Due({ application }: { application: Application }) {
  if (!application.dueDate) return <span className="muted">—</span>;
  const overdue = application.status === 'PENDING' && application.dueDate < chinaToday();
  return <span className={overdue ? 'overdue' : undefined}>{application.dueDate}<ProvisionalMark provisional={application.dueDateProvisional} />{overdue && <> <Badge value="OVERDUE" label="overdue" /></>}</span>;
}

export function ApplicationsTable({ rows, empty, testId }: { rows: readonly Application[]; empty: string; testId?: string }) {
  return (
    <DataTable
      testId={testId ?? 'applications-table'}
      rows={rows}
      rowKey={(a) => a.id}
      rowTestId={(a) => `application-${a.id}`}
      empty={empty}
      columns={[
        { header: 'Application', render: (a) => <a href={hrefOf('applications', [a.id])}>{a.id}</a> },
        { header: 'Consumer → provider', render: (a) => <>{a.consumer} → {a.provider}</> },
        { header: 'Fields', render: (a) => <Fields application={a} /> },
        { header: 'Purpose', render: (a) => a.purpose },
        { header: 'Status', render: (a) => <span data-testid="application-status"><Badge value={a.status} /></span> },
        { header: 'Submitted', className: 'nowrap', render: (a) => formatTime(a.submittedAt) },
        { header: 'Answer due', className: 'nowrap', render: (a) => <Due application={a} /> },
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
  const value = useQuery<{ applications: Application[] }>(Q.APPLICATIONS, { status: status || null, role: role || null });
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  return (
    <section>
      <PageHeader title="Applications">
        {platform ? 'Every application on the platform.' : 'Applications your department made (as consumer) or must answer (as provider).'}
      </PageHeader>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>Status <select value={status} onChange={(e) => navigate({ status: e.target.value, role })} data-testid="applications-status"><Options values={APPLICATION_STATUSES} blank="any" /></select></label>
        <label>Role <select value={role} onChange={(e) => navigate({ status, role: e.target.value })} data-testid="applications-role"><Options values={['CONSUMER', 'PROVIDER']} labels={(r) => (r === 'CONSUMER' ? 'we applied' : 'for our fields')} blank={platform ? 'all' : 'both'} /></select></label>
        <button type="button" className="secondary" onClick={value.reload}>Refresh</button>
      </form>
      <Async value={value} what="applications">
        {({ applications }) => <ApplicationsTable rows={applications} empty="No application matches." />}
      </Async>
    </section>
  );
}

function ApplicationDetail({ id }: { id: string }) {
  const { session } = useSession();
  const value = useQuery<{ application: Application | null }>(Q.APPLICATION, { id });
  return (
    <section>
      <p className="actions"><a href={hrefOf('applications')}>← All applications</a><button type="button" className="link" onClick={value.reload}>Refresh</button></p>
      <Async value={value} what={`application ${id}`}>
        {({ application: a }) => {
          if (!a) return <Empty>There is no application {id}.</Empty>;
          const me = session.me;
          const isConsumer = me.department === a.consumer && me.kind !== 'PLATFORM_ADMIN';
          const isProviderAdmin = me.kind === 'DEPARTMENT_ADMIN' && me.department === a.provider;
          return (
            <>
              <PageHeader title={`Application ${a.id}`} testId="application-title">
                <span data-testid="application-status"><Badge value={a.status} /></span> {a.consumer} applied to {a.provider} for {a.purpose}.
              </PageHeader>
              <dl className="facts" data-testid="application-facts">
                <dt>Fields</dt><dd><Fields application={a} /></dd>
                <dt>Purpose</dt><dd>{a.purpose}</dd>
                <dt>Justification</dt><dd>{a.justification}</dd>
                <dt>Legal basis</dt><dd>{a.legalBasis}</dd>
                {a.caseRef && <><dt>Case reference</dt><dd>{a.caseRef}</dd></>}
                <dt>Period asked</dt><dd>{a.requestedFrom} – {a.requestedUntil}</dd>
                <dt>Applicant</dt><dd><code>{a.applicant}</code></dd>
                <dt>Submitted</dt><dd>{formatTime(a.submittedAt)}</dd>
                <dt>Answer due</dt><dd><Due application={a} /></dd>
                {a.decidedAt && <><dt>Decided</dt><dd>{formatTime(a.decidedAt)} by <code>{a.decidedBy}</code></dd></>}
                {a.decisionReason && <><dt>Reason</dt><dd data-testid="decision-reason">{a.decisionReason}</dd></>}
                {a.approvedUntil && <><dt>Approved until</dt><dd>{a.approvedUntil}</dd></>}
                {a.escalatedAt && <><dt>Escalated</dt><dd>{formatTime(a.escalatedAt)} ({a.escalationCause})</dd></>}
              </dl>
              <RefusedFields application={a} onDone={value.reload} />
              {isProviderAdmin && a.status === 'PENDING' && <DecisionPanel application={a} mode="provider" onDone={value.reload} />}
              {me.kind === 'PLATFORM_ADMIN' && a.status === 'ESCALATED' && <DecisionPanel application={a} mode="arbitrate" onDone={value.reload} />}
              {isConsumer && <ConsumerActions application={a} onDone={value.reload} />}
              <h2>History</h2>
              <DataTable
                rows={a.events ?? []}
                rowKey={(e) => `${e.at}-${e.action}-${e.toStatus}`}
                empty="No events."
                columns={[
                  { header: 'When', className: 'nowrap', render: (e) => formatTime(e.at) },
                  { header: 'Who', render: (e) => <code>{e.actor}</code> },
                  { header: 'What', render: (e) => e.action },
                  { header: 'Status', render: (e) => <>{e.fromStatus ? `${e.fromStatus} → ` : ''}{e.toStatus}</> },
                  { header: 'Reason', render: (e) => e.reason ?? '' },
                ]}
              />
              <h2>Grants made</h2>
              <DataTable
                rows={a.grants ?? []}
                rowKey={(g) => g.id}
                empty="No grant was made from this application."
                columns={[
                  { header: 'Field', render: (g) => <Coordinate value={g.coordinate} /> },
                  { header: 'Purpose', render: (g) => g.purpose },
                  { header: 'Valid', render: (g) => <>{formatTime(g.validFrom)} – {formatTime(g.validUntil)}</> },
                  { header: 'State', render: (g) => <Badge value={g.revokedAt ? 'revoked' : g.active ? 'active' : 'inactive'} /> },
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
  const withdraw = useMutation<unknown>(Q.WITHDRAW);
  const contest = useMutation<unknown>(Q.CONTEST);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const canWithdraw = application.status === 'PENDING' || application.status === 'ESCALATED';
  const canContest = application.status === 'REJECTED' || application.status === 'REFUSED';
  if (!canWithdraw && !canContest) return null;
  const onContest = async (e: FormEvent) => {
    e.preventDefault();
    const p = requireText(reason, 'Say why the decision should be reconsidered.');
    setProblem(p);
    if (!p && (await contest.run({ id: application.id, reason: reason.trim() }))) onDone();
  };
  return (
    <div className="panel">
      <h2>Your department's options</h2>
      <ErrorBox error={withdraw.error ?? contest.error} />
      {canWithdraw && (
        <ConfirmButton label="Withdraw application" confirmLabel="Yes, withdraw it" testId="withdraw" disabled={withdraw.busy}
          onConfirm={async () => { if (await withdraw.run({ id: application.id, reason: null })) onDone(); }} />
      )}
      {canContest && (
        <form className="form" onSubmit={onContest} noValidate>
          <Field label="Contest: why should the coordinating office reconsider?" htmlFor="contest-reason" error={problem}>
            <textarea id="contest-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <button type="submit" disabled={contest.busy}>Contest</button>
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
      fields: chosen.length === 0 ? 'Choose at least one field to grant.' : undefined,
      reason: mode === 'arbitrate' ? requireText(reason, 'An arbitration states its reason.') : undefined,
    };
    setProblems(p);
    const refused = refusals.check();
    if (p.fields || p.reason || !refused) return;
    const vars = { id: application.id, coordinates: chosen, validUntil: validUntil || null, reason: reason.trim() || null };
    const ok = mode === 'provider' ? await approve.run({ ...vars, refusals: refused }) : await approve.run({ ...vars, grant: true, reason: reason.trim() });
    if (ok) onDone();
  };
  const onReject = async () => {
    const p = { reason: requireText(reason, mode === 'provider' ? 'A rejection states its reason (R5): say which condition is not met.' : 'An arbitration states its reason.') };
    setProblems(p);
    if (p.reason) return;
    const ok = mode === 'provider'
      ? await reject.run({ id: application.id, reason: reason.trim(), refusals: refusals.completed() })
      : await reject.run({ id: application.id, grant: false, reason: reason.trim() });
    if (ok) onDone();
  };

  return (
    <form className="panel form" onSubmit={(e) => e.preventDefault()} noValidate data-testid={prefix}>
      <h2>{mode === 'provider' ? 'Answer this application' : 'Arbitrate'}</h2>
      <ErrorBox error={approve.error ?? reject.error} title="The decision was not recorded" />
      <fieldset>
        <legend>Fields to grant</legend>
        {application.fields.map((f) => (
          <label key={f.coordinate} className="check">
            <input type="checkbox" checked={chosen.includes(f.coordinate)}
              onChange={(e) => setChosen(e.target.checked ? [...chosen, f.coordinate] : chosen.filter((c) => c !== f.coordinate))} />
            <Coordinate value={f.coordinate} /> <Badge value={f.sharingClass} />
          </label>
        ))}
        {problems.fields && <small className="field-error" role="alert">{problems.fields}</small>}
      </fieldset>
      {refusals.element}
      <Field label="Valid until (optional)" htmlFor={`${prefix}-until`} hint={`default: as asked, ${application.requestedUntil}`}>
        <input id={`${prefix}-until`} type="date" value={validUntil} max={application.requestedUntil} onChange={(e) => setValidUntil(e.target.value)} />
      </Field>
      <Field label={mode === 'provider' ? 'Reason (required to reject)' : 'Reason'} htmlFor={`${prefix}-reason`} error={problems.reason}>
        <textarea id={`${prefix}-reason`} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} data-testid={`${prefix}-reason`} />
      </Field>
      <div className="actions">
        <button type="button" disabled={busy} onClick={onApprove} data-testid={`${prefix}-approve`}>{mode === 'provider' ? 'Approve' : 'Grant'}</button>
        <button type="button" className="danger" disabled={busy} onClick={onReject} data-testid={`${prefix}-reject`}>{mode === 'provider' ? 'Reject' : 'Uphold refusal'}</button>
      </div>
    </form>
  );
}

function ApplicationCard({ application: a, mode, onDone }: { application: Application; mode: 'provider' | 'arbitrate'; onDone(): void }) {
  return (
    <article className="card" data-testid={`inbox-${a.id}`}>
      <header className="card-header">
        <a href={hrefOf('applications', [a.id])}><strong>{a.id}</strong></a>
        <span><Badge value={a.status} /> {a.escalationCause && <Badge value={a.escalationCause} />}</span>
      </header>
      <dl className="facts">
        <dt>From</dt><dd>{a.consumer} <span className="muted">(<code>{a.applicant}</code>)</span></dd>
        <dt>Fields</dt><dd><Fields application={a} /></dd>
        <dt>Purpose</dt><dd>{a.purpose}</dd>
        <dt>Justification</dt><dd>{a.justification}</dd>
        <dt>Legal basis</dt><dd>{a.legalBasis}</dd>
        <dt>Period asked</dt><dd>{a.requestedFrom} – {a.requestedUntil}</dd>
        <dt>Answer due</dt><dd><Due application={a} /></dd>
        {a.decisionReason && <><dt>Earlier decision</dt><dd>{a.decisionReason}</dd></>}
      </dl>
      {/* An approved application is here for a contested field: the office decides that field alone. */}
      {mode === 'arbitrate' && a.status !== 'ESCALATED' ? <RefusedFields application={a} onDone={onDone} /> : <DecisionPanel application={a} mode={mode} onDone={onDone} />}
    </article>
  );
}

export function InboxPage() {
  const value = useQuery<{ inbox: Application[] }>(Q.INBOX);
  const { answerDays } = useSettingValues();
  const [done, setDone] = useState<string | null>(null);
  return (
    <section>
      <PageHeader title="Inbox">
        Pending applications for your department's fields, earliest due first. Answer within {answerDays} working days (R5), as set when each was submitted; a rejection states its reason.
        Unanswered applications go to the coordinating office.
      </PageHeader>
      {done && <Notice kind="success" testId="decision-done">{done}</Notice>}
      <Async value={value} what="the inbox">
        {({ inbox }) => inbox.length === 0 ? <Empty>No application waits for an answer.</Empty> : (
          <div className="cards">
            {inbox.map((a) => <ApplicationCard key={a.id} application={a} mode="provider" onDone={() => { setDone(`Application ${a.id} answered.`); value.reload(); }} />)}
          </div>
        )}
      </Async>
    </section>
  );
}

export function EscalationsPage() {
  const value = useQuery<{ escalations: Application[] }>(Q.ESCALATIONS);
  const [done, setDone] = useState<string | null>(null);
  return (
    <section>
      <PageHeader title="Escalations">
        Applications left unanswered past their due date (OVERDUE) or whose refusal the consumer contested (CONTESTED), and single refused fields a consumer contested.
        The coordinating office grants or upholds, with a reason.
      </PageHeader>
      {done && <Notice kind="success" testId="decision-done">{done}</Notice>}
      <Async value={value} what="escalations">
        {({ escalations }) => escalations.length === 0 ? <Empty>No escalated application.</Empty> : (
          <div className="cards">
            {escalations.map((a) => <ApplicationCard key={a.id} application={a} mode="arbitrate" onDone={() => { setDone(`Application ${a.id} arbitrated.`); value.reload(); }} />)}
          </div>
        )}
      </Async>
    </section>
  );
}
