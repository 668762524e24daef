/**
 * Field policies: the effective sharing class, purposes and conditions of every field. The
 * platform administrator proposes a department's field policy to that department (000 art. 9)
 * or sets it at once as a reasoned override; a providing department proposes policies for its
 * own fields; proposals and the version history are on their own pages. The history shows each
 * version's changes; the platform administrator reverts one change, or rolls everything back.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { hrefOf } from '../routes.ts';
import * as Q from '../queries.ts';
import { policyInput, requireText, validatePolicy, type PolicyForm, type Problems } from '../forms.ts';
import { SHARING_CLASSES, type FieldPolicy, type FieldPolicyOverride, type PolicyProposal, type PolicyVersion, type SharingClass } from '../types.ts';
import { Reclassifications, RevertChange, VersionChanges, type VersionWithChanges } from './policyWorkflow.tsx';
import {
  Async, Badge, ConfirmButton, Coordinate, DataTable, ErrorBox, Field, List, Notice, Options, PageHeader, ReasonConfirm, formatTime, useMutation, useQuery, useSession,
} from '../ui.tsx';

type Navigate = (query: Record<string, string | undefined>) => void;

function Conditions({ policy }: { policy: Pick<FieldPolicyOverride, 'caseIdRequired' | 'rowCondition' | 'basis'> }) {
  return (
    <span className="conditions">
      {policy.caseIdRequired && <span className="chip">case id required</span>}
      {policy.rowCondition && <span className="chip">{policy.rowCondition.kind}: {policy.rowCondition.attribute}</span>}
      {policy.basis && <span className="basis">{policy.basis}</span>}
    </span>
  );
}

export function PoliciesPage({ query, navigate }: { query: Readonly<Record<string, string>>; navigate: Navigate }) {
  const { session } = useSession();
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  // A department administrator starts from its own fields, the ones it may propose policies for.
  const provider = query.provider ?? (platform ? '' : session.me.department);
  const sharingClass = query.class ?? '';
  const unclassifiedOnly = query.unclassified === '1';
  const value = useQuery<{ fieldPolicies: FieldPolicy[] }>(Q.FIELD_POLICIES, { provider: provider || null, sharingClass: sharingClass || null, unclassifiedOnly });
  const [text, setText] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const selected = query.field ?? '';
  const nav = (q: Record<string, string | undefined>) => navigate({ provider, class: sharingClass, unclassified: unclassifiedOnly ? '1' : undefined, field: selected || undefined, ...q });

  return (
    <section>
      <PageHeader title="Field policies">
        Every field is shared unconditionally, conditionally (on application, for listed purposes) or not at all (R1). Defaults come from
        the subgraph's SDL; {platform ? 'you override them here, with a reason that is kept in the policy history.' : 'you may propose a policy for your own fields; the coordinating office decides.'}
      </PageHeader>
      {saved && <Notice kind="success" testId="policy-saved">{saved}</Notice>}
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>Provider <select value={provider} onChange={(e) => nav({ provider: e.target.value, field: undefined })} data-testid="policies-provider"><Options values={session.departments.map((d) => d.code)} labels={(c) => `${c} — ${session.departments.find((d) => d.code === c)?.name ?? ''}`} blank="any" /></select></label>
        <label>Class <select value={sharingClass} onChange={(e) => nav({ class: e.target.value })}><Options values={SHARING_CLASSES} blank="any" /></select></label>
        <label className="check"><input type="checkbox" checked={unclassifiedOnly} onChange={(e) => nav({ unclassified: e.target.checked ? '1' : undefined })} /> unclassified only</label>
        <label>Search <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Type.field" /></label>
      </form>
      <Async value={value} what="field policies">
        {({ fieldPolicies }) => {
          const current = fieldPolicies.find((p) => p.coordinate === selected);
          const needle = text.trim().toLowerCase();
          const rows = fieldPolicies.filter((p) => !needle || p.coordinate.toLowerCase().includes(needle));
          const mayEdit = (p: FieldPolicy) => platform || (session.me.kind === 'DEPARTMENT_ADMIN' && p.provider === session.me.department);
          return (
            <>
              {current && mayEdit(current) && (
                <PolicyEditor key={current.coordinate} policy={current} onClose={() => nav({ field: undefined })}
                  onSaved={(message) => { setSaved(message); nav({ field: undefined }); value.reload(); }} />
              )}
              <DataTable
                testId="policies-table"
                rows={rows}
                rowKey={(p) => p.coordinate}
                rowTestId={(p) => `policy-${p.coordinate}`}
                empty="No field matches."
                columns={[
                  { header: 'Field', render: (p) => <Coordinate value={p.coordinate} /> },
                  { header: 'Provider', render: (p) => <>{p.provider} <span className="muted">{p.subgraph}</span></> },
                  { header: 'Class', render: (p) => <Badge value={p.sharingClass} /> },
                  { header: 'Purposes', render: (p) => <List values={p.purposes} empty={p.sharingClass === 'NOT_SHARED' ? '—' : 'any'} /> },
                  { header: 'Conditions / basis', render: (p) => <Conditions policy={p} /> },
                  { header: 'Origin', render: (p) => <Badge value={p.origin} /> },
                  { header: '', className: 'row-actions', render: (p) => (mayEdit(p) ? <a className="button small" href={hrefOf('policies', [], { provider, class: sharingClass, unclassified: unclassifiedOnly ? '1' : undefined, field: p.coordinate })} data-testid={`edit-${p.coordinate}`}>{platform ? 'Edit' : 'Propose'}</a> : null) },
                ]}
              />
            </>
          );
        }}
      </Async>
    </section>
  );
}

function PolicyEditor({ policy, onClose, onSaved }: { policy: FieldPolicy; onClose(): void; onSaved(message: string): void }) {
  const { session } = useSession();
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  const [form, setForm] = useState<PolicyForm>({
    sharingClass: policy.sharingClass,
    purposes: policy.purposes,
    basis: policy.basis ?? '',
    caseIdRequired: policy.caseIdRequired,
    rowCondition: policy.rowCondition !== null,
    rowAttribute: policy.rowCondition?.attribute ?? '',
    reason: '',
  });
  const [shown, setShown] = useState<Problems<keyof PolicyForm>>({});
  // 000 art. 9: another department's field is changed by a proposal to it, or at once as a declared override.
  const foreign = platform && policy.provider !== session.me.department;
  const [override, setOverride] = useState(false);
  const reclassify = useMutation<{ proposeReclassification: { id: string } }>(Q.PROPOSE_RECLASSIFICATION);
  const set = useMutation<{ setFieldPolicy: { version: number } }>(Q.SET_POLICY);
  const clear = useMutation<{ clearFieldPolicy: { version: number } }>(Q.CLEAR_POLICY);
  const propose = useMutation<{ proposeFieldPolicy: { id: string } }>(Q.PROPOSE_POLICY);
  const busy = set.busy || clear.busy || propose.busy || reclassify.busy;
  // A block body on purpose: newer browsers return a Promise from scrollIntoView(), and an
  // effect may return nothing but a clean-up function.
  useEffect(() => {
    document.getElementById('policy-editor')?.scrollIntoView({ block: 'nearest' });
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = validatePolicy(form);
    setShown(problems);
    if (Object.keys(problems).length) return;
    const vars = { coordinate: policy.coordinate, policy: policyInput(form), reason: form.reason.trim() };
    if (foreign && !override) {
      const done = await reclassify.run(vars);
      if (done) onSaved(`Proposal ${done.proposeReclassification.id} for ${policy.coordinate} sent to ${policy.provider}, which accepts or contests it.`);
    } else if (platform) {
      const done = await set.run({ ...vars, override: foreign });
      if (done) onSaved(`${policy.coordinate}: policy version ${done.setFieldPolicy.version} is in force.`);
    } else {
      const done = await propose.run(vars);
      if (done) onSaved(`Proposal ${done.proposeFieldPolicy.id} for ${policy.coordinate} sent to the coordinating office.`);
    }
  };
  const onClear = async () => {
    const p = requireText(form.reason, 'Say why the override is removed.');
    setShown({ reason: p });
    if (p) return;
    const done = await clear.run({ coordinate: policy.coordinate, reason: form.reason.trim(), override: foreign });
    if (done) onSaved(`${policy.coordinate} is back to its SDL default (policy version ${done.clearFieldPolicy.version}).`);
  };
  const togglePurpose = (code: string, on: boolean) => setForm({ ...form, purposes: on ? [...form.purposes, code] : form.purposes.filter((p) => p !== code) });

  return (
    <form id="policy-editor" className="panel form" onSubmit={submit} noValidate data-testid="policy-editor">
      <h2>{platform ? 'Set the policy of' : 'Propose a policy for'} <Coordinate value={policy.coordinate} /></h2>
      <p className="muted">Now: <Badge value={policy.sharingClass} /> from <Badge value={policy.origin} />. Provided by {policy.provider} through {policy.subgraph}.</p>
      <ErrorBox error={set.error ?? clear.error ?? propose.error ?? reclassify.error} title="The policy was not changed" />
      {foreign && (
        <div className="notice info">
          {policy.provider} classifies its own fields (000 art. 9): your change is sent to it as a proposal, which it accepts or contests.
          <label className="check"><input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} data-testid="policy-override" /> Apply it at once as a reasoned override ({policy.provider} and the field's grantees are told)</label>
        </div>
      )}
      <Field label="Sharing class" htmlFor="policy-class">
        <select id="policy-class" value={form.sharingClass} onChange={(e) => setForm({ ...form, sharingClass: e.target.value as SharingClass })}>
          <Options values={SHARING_CLASSES} />
        </select>
      </Field>
      {form.sharingClass !== 'NOT_SHARED' && (
        <fieldset>
          <legend>Purposes (none ticked: any declared purpose)</legend>
          {session.purposes.map((p) => (
            <label key={p.code} className="check">
              <input type="checkbox" checked={form.purposes.includes(p.code)} onChange={(e) => togglePurpose(p.code, e.target.checked)} /> {p.code} <span className="muted">{p.name}</span>
            </label>
          ))}
        </fieldset>
      )}
      <Field label="Legal basis" htmlFor="policy-basis" error={shown.basis} hint="Required for conditional and not-shared fields (R1).">
        <textarea id="policy-basis" rows={2} value={form.basis} onChange={(e) => setForm({ ...form, basis: e.target.value })} />
      </Field>
      <label className="check"><input type="checkbox" checked={form.caseIdRequired} onChange={(e) => setForm({ ...form, caseIdRequired: e.target.checked })} /> Requests must carry a case id (X-Case-Id)</label>
      <label className="check"><input type="checkbox" checked={form.rowCondition} onChange={(e) => setForm({ ...form, rowCondition: e.target.checked })} /> Only records within the consumer's jurisdiction</label>
      {form.rowCondition && (
        <Field label="Jurisdiction attribute" htmlFor="policy-row" error={shown.rowAttribute} hint="The field holding the record's division, e.g. Person.householdDivision.">
          <input id="policy-row" value={form.rowAttribute} onChange={(e) => setForm({ ...form, rowAttribute: e.target.value })} />
        </Field>
      )}
      <Field label="Reason" htmlFor="policy-reason" error={shown.reason} hint="Kept with the policy version (who, when, why).">
        <textarea id="policy-reason" rows={2} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />
      </Field>
      <div className="actions">
        <button type="submit" disabled={busy} data-testid="policy-submit">{foreign && !override ? `Propose to ${policy.provider}` : platform ? 'Set policy' : 'Send proposal'}</button>
        {platform && policy.origin === 'OVERRIDE' && (!foreign || override) && <ConfirmButton label="Clear override" confirmLabel="Yes, return to the SDL default" disabled={busy} onConfirm={onClear} />}
        <button type="button" className="link" onClick={onClose}>Cancel</button>
      </div>
    </form>
  );
}

export function ProposalsPage({ query, navigate }: { query: Readonly<Record<string, string>>; navigate: Navigate }) {
  const { session } = useSession();
  const status = query.status ?? 'PENDING';
  const value = useQuery<{ policyProposals: PolicyProposal[] }>(Q.PROPOSALS, { status: status === 'ALL' ? null : status });
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  const [done, setDone] = useState<string | null>(null);
  return (
    <section>
      <PageHeader title="Policy proposals">
        {platform ? 'Policies proposed by providing departments for their own fields; accepting one makes a new policy version.' : 'Policies your department proposed for its fields, and what the coordinating office decided.'}
      </PageHeader>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>Status <select value={status} onChange={(e) => navigate({ status: e.target.value })}><Options values={['PENDING', 'ACCEPTED', 'REJECTED', 'ALL']} /></select></label>
        {!platform && <a href={hrefOf('policies')}>Propose a policy…</a>}
      </form>
      {done && <Notice kind="success" testId="reclassification-done">{done}</Notice>}
      <Reclassifications onDone={setDone} />
      <h2>{platform ? 'Proposals from departments' : 'Your department\'s proposals'}</h2>
      <Async value={value} what="proposals">
        {({ policyProposals }) => (
          <DataTable
            testId="proposals-table"
            rows={policyProposals.filter((p) => (p as PolicyProposal & { direction?: string }).direction !== 'TO_DEPARTMENT')}
            rowKey={(p) => p.id}
            empty="No proposals."
            columns={[
              { header: 'Field', render: (p) => <Coordinate value={p.coordinate} /> },
              { header: 'Proposed', render: (p) => <><Badge value={p.proposal.sharingClass} /> <List values={p.proposal.purposes} empty="any purpose" /><Conditions policy={p.proposal} /></> },
              { header: 'By', render: (p) => <>{p.department}<div className="muted">{formatTime(p.createdAt)}</div></> },
              { header: 'Reason', render: (p) => p.reason },
              { header: 'Status', render: (p) => <><Badge value={p.status} />{p.decidedAt && <div className="muted">{formatTime(p.decidedAt)} · {p.decidedBy}</div>}</> },
              { header: '', render: (p) => (platform && p.status === 'PENDING' ? <DecideProposal proposal={p} onDone={value.reload} /> : null) },
            ]}
          />
        )}
      </Async>
    </section>
  );
}

function DecideProposal({ proposal, onDone }: { proposal: PolicyProposal; onDone(): void }) {
  const decide = useMutation<unknown>(Q.DECIDE_PROPOSAL);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const run = async (accept: boolean) => {
    const p = requireText(reason, 'A decision states its reason.');
    setProblem(p);
    if (!p && (await decide.run({ id: proposal.id, accept, reason: reason.trim() }))) onDone();
  };
  return (
    <div className="inline-form">
      <ErrorBox error={decide.error} />
      <textarea aria-label="Decision reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Reason" />
      {problem && <small className="field-error" role="alert">{problem}</small>}
      <div className="actions">
        <button type="button" disabled={decide.busy} onClick={() => run(true)}>Accept</button>
        <button type="button" className="danger" disabled={decide.busy} onClick={() => run(false)}>Reject</button>
      </div>
    </div>
  );
}

export function HistoryPage() {
  const { session } = useSession();
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  const [limit, setLimit] = useState(50);
  const [done, setDone] = useState<string | null>(null);
  const [reverting, setReverting] = useState<{ version: number; coordinate: string } | null>(null);
  const value = useQuery<{ policyVersion: number; policyHistory: VersionWithChanges[] }>(Q.POLICY_HISTORY, { limit });
  return (
    <section>
      <PageHeader title="Policy history">
        Every policy or grant change is a new version, with who made it, when and why, and what it changed against the version before.
        {platform && ' Reverting one change restores that field only; rolling back restores every field policy of an earlier version, undoing every later change (grants are not touched).'}
      </PageHeader>
      {done && <Notice kind="success" testId="policy-rolled-back">{done}</Notice>}
      {reverting && (
        <RevertChange key={`${reverting.version}:${reverting.coordinate}`} {...reverting} onClose={() => setReverting(null)}
          onDone={(message) => { setDone(message); setReverting(null); value.reload(); }} />
      )}
      <Async value={value} what="the policy history">
        {({ policyVersion, policyHistory }) => (
          <>
            <p>Version in force: <strong data-testid="policy-version">{policyVersion}</strong></p>
            <DataTable
              testId="history-table"
              rows={policyHistory}
              rowKey={(v) => String(v.version)}
              rowTestId={(v) => `history-${v.version}`}
              empty="No versions."
              columns={[
                { header: 'Version', render: (v) => v.version },
                { header: 'Kind', render: (v) => v.kind },
                { header: 'When', className: 'nowrap', render: (v) => formatTime(v.createdAt) },
                { header: 'Who', render: (v) => <code>{v.actor}</code> },
                { header: 'Reason', render: (v) => v.reason },
                { header: 'Changes', render: (v) => <VersionChanges version={v} {...(platform ? { onRevert: (coordinate: string) => { setDone(null); setReverting({ version: v.version, coordinate }); } } : {})} /> },
                {
                  header: 'Overrides',
                  render: (v) => (
                    <details>
                      <summary>{v.overrides.length} override(s)</summary>
                      <ul className="plain">
                        {v.overrides.map((o) => <li key={o.coordinate}><Coordinate value={o.coordinate} /> <Badge value={o.sharingClass} /> <List values={o.purposes} empty="any" /></li>)}
                      </ul>
                    </details>
                  ),
                },
                ...(platform ? [{
                  header: '',
                  render: (v: PolicyVersion) => (v.version === policyVersion ? <Badge value="active" label="in force" /> : (
                    <RollbackPolicy version={v.version} onDone={(to) => { setDone(`Policy version ${to} is in force: the field policies of version ${v.version} again.`); value.reload(); }} />
                  )),
                }] : []),
              ]}
            />
            {policyHistory.length >= limit && <button type="button" className="secondary" onClick={() => setLimit(limit + 50)}>Show older versions</button>}
          </>
        )}
      </Async>
    </section>
  );
}

function RollbackPolicy({ version, onDone }: { version: number; onDone(newVersion: number): void }) {
  const rollback = useMutation<{ rollbackPolicy: { version: number } }>(Q.ROLLBACK_POLICY);
  return (
    <ReasonConfirm
      label="Roll back to this version"
      confirmLabel={`Yes, restore version ${version}'s policies`}
      reasonLabel="Why roll back? (kept with the new version)"
      reasonRequired="A rollback states its reason: it is recorded with the new policy version."
      busy={rollback.busy}
      error={rollback.error}
      errorTitle="The policy was not rolled back"
      testId={`rollback-policy-${version}`}
      onConfirm={async (reason) => {
        const done = await rollback.run({ toVersion: version, reason });
        if (done) onDone(done.rollbackPolicy.version);
        return done !== null;
      }}
    />
  );
}
