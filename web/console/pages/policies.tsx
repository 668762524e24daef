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
import { defineMessages } from '../i18n/defineMessages.ts';
import { useMessages } from '../i18n/I18nProvider.tsx';

const M = defineMessages('policies', {
  caseIdRequired: '须提供案件编号',
  fieldPolicies: '字段策略',
  everyFieldIsShared: '每个字段或无条件共享，或有条件共享（经申请、限于列明的使用目的），或不予共享（R1）。默认值来自子图的 SDL；',
  youOverrideThemHere: '您可在此覆盖默认值，须说明理由，理由保存在策略版本历史中。',
  youMayProposeA: '您可为本部门的字段提议策略，由协调办公室决定。',
  provider: '提供部门',
  any: '不限',
  class: '共享类别',
  unclassifiedOnly: '仅未分类',
  search: '搜索',
  fieldPolicies2: '字段策略',
  noFieldMatches: '没有匹配的字段。',
  field: '字段',
  purposes: '使用目的',
  conditionsBasis: '条件 / 依据',
  origin: '来源',
  edit: '编辑',
  propose: '提议',
  proposalForSentTo: '关于 {v1} 的提议 {v0} 已发送至 {v2}，由其接受或提出异议。',
  policyVersionIsIn: '{v0}：策略版本 {v1} 已生效。',
  proposalForSentTo2: '关于 {v1} 的提议 {v0} 已发送至协调办公室。',
  sayWhyTheOverride: '请说明撤销覆盖的理由。',
  isBackToIts: '{v0} 已恢复为 SDL 默认值（策略版本 {v1}）。',
  setThePolicyOf: '设定策略：',
  proposeAPolicyFor: '提议策略：',
  now: '当前：',
  from: '来源',
  providedBy: '。提供部门',
  through: '，子图',
  thePolicyWasNot: '策略未更改',
  classifiesItsOwnFields: '自行为本部门字段分类（000 第 9 条）：您的修改将作为提议发送给该部门，由其接受或提出异议。',
  applyItAtOnce: '立即作为附理由的覆盖生效（通知',
  andTheFieldS: '及该字段的授权持有方）',
  sharingClass: '共享类别',
  purposesNoneTickedAny: '使用目的（不勾选：任何已声明的目的）',
  legalBasis: '法律依据',
  requiredForConditionalAnd: '有条件共享和不予共享的字段必填（R1）。',
  requestsMustCarryA: '请求须携带案件编号（X-Case-Id）',
  onlyRecordsWithinThe: '仅限使用部门辖区内的记录',
  jurisdictionAttribute: '辖区属性',
  theFieldHoldingThe: '记录所属行政区划的字段，例如 Person.householdDivision。',
  reason: '理由',
  keptWithThePolicy: '随策略版本保存（谁、何时、为何）。',
  proposeTo: '向 {v0} 提议',
  setPolicy: '设定策略',
  sendProposal: '发送提议',
  clearOverride: '撤销覆盖',
  yesReturnToThe: '确认恢复为 SDL 默认值',
  cancel: '取消',
  policyProposals: '策略变更提议',
  policiesProposedByProviding: '提供部门为其字段提议的策略；接受后生成新的策略版本。',
  policiesYourDepartmentProposed: '本部门为其字段提议的策略，以及协调办公室的决定。',
  status: '状态',
  proposeAPolicy: '提议策略…',
  proposalsFromDepartments: '各部门的提议',
  yourDepartmentSProposals: '本部门的提议',
  proposals: '提议',
  noProposals: '没有提议。',
  proposed: '提议内容',
  anyPurpose: '任何目的',
  by: '提议方',
  aDecisionStatesIts: '决定须说明理由。',
  decisionReason: '决定理由',
  accept: '接受',
  reject: '驳回',
  policyHistory: '策略版本历史',
  everyPolicyOrGrant: '每次策略或授权变更都是一个新版本，记录由谁、何时、为何修改，以及相对上一版本改了什么。',
  revertingOneChangeRestores: ' 撤回一项变更只恢复该字段；回滚恢复较早版本的全部字段策略，撤销其后的每项变更（不影响授权）。',
  thePolicyHistory: '策略版本历史',
  versionInForce: '现行版本：',
  noVersions: '没有版本。',
  version: '版本',
  kind: '类型',
  when: '时间',
  who: '修改人',
  changes: '变更',
  overrides: '覆盖',
  overrideS: ' 项覆盖',
  inForce: '现行',
  policyVersionIsIn2: '策略版本 {v0} 已生效：恢复为版本 {v1} 的字段策略。',
  showOlderVersions: '显示更早的版本',
  rollBackToThis: '回滚到此版本',
  yesRestoreVersionS: '确认恢复版本 {v0} 的策略',
  whyRollBackKept: '回滚理由（随新版本保存）',
  aRollbackStatesIts: '回滚须说明理由：理由记入新的策略版本。',
  thePolicyWasNot2: '策略未回滚',
}, {
  caseIdRequired: 'case id required',
  fieldPolicies: 'Field policies',
  everyFieldIsShared: 'Every field is shared unconditionally, conditionally (on application, for listed purposes) or not at all (R1). Defaults come from the subgraph\'s SDL;',
  youOverrideThemHere: 'you override them here, with a reason that is kept in the policy history.',
  youMayProposeA: 'you may propose a policy for your own fields; the coordinating office decides.',
  provider: 'Provider',
  any: 'any',
  class: 'Class',
  unclassifiedOnly: 'unclassified only',
  search: 'Search',
  fieldPolicies2: 'field policies',
  noFieldMatches: 'No field matches.',
  field: 'Field',
  purposes: 'Purposes',
  conditionsBasis: 'Conditions / basis',
  origin: 'Origin',
  edit: 'Edit',
  propose: 'Propose',
  proposalForSentTo: 'Proposal {v0} for {v1} sent to {v2}, which accepts or contests it.',
  policyVersionIsIn: '{v0}: policy version {v1} is in force.',
  proposalForSentTo2: 'Proposal {v0} for {v1} sent to the coordinating office.',
  sayWhyTheOverride: 'Say why the override is removed.',
  isBackToIts: '{v0} is back to its SDL default (policy version {v1}).',
  setThePolicyOf: 'Set the policy of',
  proposeAPolicyFor: 'Propose a policy for',
  now: 'Now:',
  from: 'from',
  providedBy: '. Provided by',
  through: 'through',
  thePolicyWasNot: 'The policy was not changed',
  classifiesItsOwnFields: 'classifies its own fields (000 art. 9): your change is sent to it as a proposal, which it accepts or contests.',
  applyItAtOnce: 'Apply it at once as a reasoned override (',
  andTheFieldS: 'and the field\'s grantees are told)',
  sharingClass: 'Sharing class',
  purposesNoneTickedAny: 'Purposes (none ticked: any declared purpose)',
  legalBasis: 'Legal basis',
  requiredForConditionalAnd: 'Required for conditional and not-shared fields (R1).',
  requestsMustCarryA: 'Requests must carry a case id (X-Case-Id)',
  onlyRecordsWithinThe: 'Only records within the consumer\'s jurisdiction',
  jurisdictionAttribute: 'Jurisdiction attribute',
  theFieldHoldingThe: 'The field holding the record\'s division, e.g. Person.householdDivision.',
  reason: 'Reason',
  keptWithThePolicy: 'Kept with the policy version (who, when, why).',
  proposeTo: 'Propose to {v0}',
  setPolicy: 'Set policy',
  sendProposal: 'Send proposal',
  clearOverride: 'Clear override',
  yesReturnToThe: 'Yes, return to the SDL default',
  cancel: 'Cancel',
  policyProposals: 'Policy proposals',
  policiesProposedByProviding: 'Policies proposed by providing departments for their own fields; accepting one makes a new policy version.',
  policiesYourDepartmentProposed: 'Policies your department proposed for its fields, and what the coordinating office decided.',
  status: 'Status',
  proposeAPolicy: 'Propose a policy…',
  proposalsFromDepartments: 'Proposals from departments',
  yourDepartmentSProposals: 'Your department\'s proposals',
  proposals: 'proposals',
  noProposals: 'No proposals.',
  proposed: 'Proposed',
  anyPurpose: 'any purpose',
  by: 'By',
  aDecisionStatesIts: 'A decision states its reason.',
  decisionReason: 'Decision reason',
  accept: 'Accept',
  reject: 'Reject',
  policyHistory: 'Policy history',
  everyPolicyOrGrant: 'Every policy or grant change is a new version, with who made it, when and why, and what it changed against the version before.',
  revertingOneChangeRestores: ' Reverting one change restores that field only; rolling back restores every field policy of an earlier version, undoing every later change (grants are not touched).',
  thePolicyHistory: 'the policy history',
  versionInForce: 'Version in force:',
  noVersions: 'No versions.',
  version: 'Version',
  kind: 'Kind',
  when: 'When',
  who: 'Who',
  changes: 'Changes',
  overrides: 'Overrides',
  overrideS: 'override(s)',
  inForce: 'in force',
  policyVersionIsIn2: 'Policy version {v0} is in force: the field policies of version {v1} again.',
  showOlderVersions: 'Show older versions',
  rollBackToThis: 'Roll back to this version',
  yesRestoreVersionS: 'Yes, restore version {v0}\'s policies',
  whyRollBackKept: 'Why roll back? (kept with the new version)',
  aRollbackStatesIts: 'A rollback states its reason: it is recorded with the new policy version.',
  thePolicyWasNot2: 'The policy was not rolled back',
});

type Navigate = (query: Record<string, string | undefined>) => void;

function Conditions({ policy }: { policy: Pick<FieldPolicyOverride, 'caseIdRequired' | 'rowCondition' | 'basis'> }) {
  const t = useMessages(M);
  return (
    <span className="conditions">
      {policy.caseIdRequired && <span className="chip">{t('caseIdRequired')}</span>}
      {policy.rowCondition && <span className="chip">{policy.rowCondition.kind}: {policy.rowCondition.attribute}</span>}
      {policy.basis && <span className="basis">{policy.basis}</span>}
    </span>
  );
}

export function PoliciesPage({ query, navigate }: { query: Readonly<Record<string, string>>; navigate: Navigate }) {
  const t = useMessages(M);
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
      <PageHeader title={t('fieldPolicies')}>
        {t('everyFieldIsShared')} {platform ? t('youOverrideThemHere') : t('youMayProposeA')}
      </PageHeader>
      {saved && <Notice kind="success" testId="policy-saved">{saved}</Notice>}
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>{t('provider')} <select value={provider} onChange={(e) => nav({ provider: e.target.value, field: undefined })} data-testid="policies-provider"><Options values={session.departments.map((d) => d.code)} labels={(c) => `${c} — ${session.departments.find((d) => d.code === c)?.name ?? ''}`} blank={t('any')} /></select></label>
        <label>{t('class')} <select value={sharingClass} onChange={(e) => nav({ class: e.target.value })}><Options values={SHARING_CLASSES} blank={t('any')} /></select></label>
        <label className="check"><input type="checkbox" checked={unclassifiedOnly} onChange={(e) => nav({ unclassified: e.target.checked ? '1' : undefined })} /> {t('unclassifiedOnly')}</label>
        <label>{t('search')} <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Type.field" /></label>
      </form>
      <Async value={value} what={t('fieldPolicies2')}>
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
                empty={t('noFieldMatches')}
                columns={[
                  { header: t('field'), render: (p) => <Coordinate value={p.coordinate} /> },
                  { header: t('provider'), render: (p) => <>{p.provider} <span className="muted">{p.subgraph}</span></> },
                  { header: t('class'), render: (p) => <Badge value={p.sharingClass} /> },
                  { header: t('purposes'), render: (p) => <List values={p.purposes} empty={p.sharingClass === 'NOT_SHARED' ? '—' : 'any'} /> },
                  { header: t('conditionsBasis'), render: (p) => <Conditions policy={p} /> },
                  { header: t('origin'), render: (p) => <Badge value={p.origin} /> },
                  { header: '', className: 'row-actions', render: (p) => (mayEdit(p) ? <a className="button small" href={hrefOf('policies', [], { provider, class: sharingClass, unclassified: unclassifiedOnly ? '1' : undefined, field: p.coordinate })} data-testid={`edit-${p.coordinate}`}>{platform ? t('edit') : t('propose')}</a> : null) },
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
  const t = useMessages(M);
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
      if (done) onSaved(t('proposalForSentTo', { v0: done.proposeReclassification.id, v1: policy.coordinate, v2: policy.provider }));
    } else if (platform) {
      const done = await set.run({ ...vars, override: foreign });
      if (done) onSaved(t('policyVersionIsIn', { v0: policy.coordinate, v1: done.setFieldPolicy.version }));
    } else {
      const done = await propose.run(vars);
      if (done) onSaved(t('proposalForSentTo2', { v0: done.proposeFieldPolicy.id, v1: policy.coordinate }));
    }
  };
  const onClear = async () => {
    const p = requireText(form.reason, t('sayWhyTheOverride'));
    setShown({ reason: p });
    if (p) return;
    const done = await clear.run({ coordinate: policy.coordinate, reason: form.reason.trim(), override: foreign });
    if (done) onSaved(t('isBackToIts', { v0: policy.coordinate, v1: done.clearFieldPolicy.version }));
  };
  const togglePurpose = (code: string, on: boolean) => setForm({ ...form, purposes: on ? [...form.purposes, code] : form.purposes.filter((p) => p !== code) });

  return (
    <form id="policy-editor" className="panel form" onSubmit={submit} noValidate data-testid="policy-editor">
      <h2>{platform ? t('setThePolicyOf') : t('proposeAPolicyFor')} <Coordinate value={policy.coordinate} /></h2>
      <p className="muted">{t('now')} <Badge value={policy.sharingClass} /> {t('from')} <Badge value={policy.origin} />{t('providedBy')} {policy.provider} {t('through')} {policy.subgraph}.</p>
      <ErrorBox error={set.error ?? clear.error ?? propose.error ?? reclassify.error} title={t('thePolicyWasNot')} />
      {foreign && (
        <div className="notice info">
          {policy.provider} {t('classifiesItsOwnFields')}
          <label className="check"><input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} data-testid="policy-override" /> {t('applyItAtOnce')}{policy.provider} {t('andTheFieldS')}</label>
        </div>
      )}
      <Field label={t('sharingClass')} htmlFor="policy-class">
        <select id="policy-class" value={form.sharingClass} onChange={(e) => setForm({ ...form, sharingClass: e.target.value as SharingClass })}>
          <Options values={SHARING_CLASSES} />
        </select>
      </Field>
      {form.sharingClass !== 'NOT_SHARED' && (
        <fieldset>
          <legend>{t('purposesNoneTickedAny')}</legend>
          {session.purposes.map((p) => (
            <label key={p.code} className="check">
              <input type="checkbox" checked={form.purposes.includes(p.code)} onChange={(e) => togglePurpose(p.code, e.target.checked)} /> {p.code} <span className="muted">{p.name}</span>
            </label>
          ))}
        </fieldset>
      )}
      <Field label={t('legalBasis')} htmlFor="policy-basis" error={shown.basis} hint={t('requiredForConditionalAnd')}>
        <textarea id="policy-basis" rows={2} value={form.basis} onChange={(e) => setForm({ ...form, basis: e.target.value })} />
      </Field>
      <label className="check"><input type="checkbox" checked={form.caseIdRequired} onChange={(e) => setForm({ ...form, caseIdRequired: e.target.checked })} /> {t('requestsMustCarryA')}</label>
      <label className="check"><input type="checkbox" checked={form.rowCondition} onChange={(e) => setForm({ ...form, rowCondition: e.target.checked })} /> {t('onlyRecordsWithinThe')}</label>
      {form.rowCondition && (
        <Field label={t('jurisdictionAttribute')} htmlFor="policy-row" error={shown.rowAttribute} hint={t('theFieldHoldingThe')}>
          <input id="policy-row" value={form.rowAttribute} onChange={(e) => setForm({ ...form, rowAttribute: e.target.value })} />
        </Field>
      )}
      <Field label={t('reason')} htmlFor="policy-reason" error={shown.reason} hint={t('keptWithThePolicy')}>
        <textarea id="policy-reason" rows={2} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />
      </Field>
      <div className="actions">
        <button type="submit" disabled={busy} data-testid="policy-submit">{foreign && !override ? t('proposeTo', { v0: policy.provider }) : platform ? t('setPolicy') : t('sendProposal')}</button>
        {platform && policy.origin === 'OVERRIDE' && (!foreign || override) && <ConfirmButton label={t('clearOverride')} confirmLabel={t('yesReturnToThe')} disabled={busy} onConfirm={onClear} />}
        <button type="button" className="link" onClick={onClose}>{t('cancel')}</button>
      </div>
    </form>
  );
}

export function ProposalsPage({ query, navigate }: { query: Readonly<Record<string, string>>; navigate: Navigate }) {
  const t = useMessages(M);
  const { session } = useSession();
  const status = query.status ?? 'PENDING';
  const value = useQuery<{ policyProposals: PolicyProposal[] }>(Q.PROPOSALS, { status: status === 'ALL' ? null : status });
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  const [done, setDone] = useState<string | null>(null);
  return (
    <section>
      <PageHeader title={t('policyProposals')}>
        {platform ? t('policiesProposedByProviding') : t('policiesYourDepartmentProposed')}
      </PageHeader>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>{t('status')} <select value={status} onChange={(e) => navigate({ status: e.target.value })}><Options values={['PENDING', 'ACCEPTED', 'REJECTED', 'ALL']} /></select></label>
        {!platform && <a href={hrefOf('policies')}>{t('proposeAPolicy')}</a>}
      </form>
      {done && <Notice kind="success" testId="reclassification-done">{done}</Notice>}
      <Reclassifications onDone={setDone} />
      <h2>{platform ? t('proposalsFromDepartments') : t('yourDepartmentSProposals')}</h2>
      <Async value={value} what={t('proposals')}>
        {({ policyProposals }) => (
          <DataTable
            testId="proposals-table"
            rows={policyProposals.filter((p) => (p as PolicyProposal & { direction?: string }).direction !== 'TO_DEPARTMENT')}
            rowKey={(p) => p.id}
            empty={t('noProposals')}
            columns={[
              { header: t('field'), render: (p) => <Coordinate value={p.coordinate} /> },
              { header: t('proposed'), render: (p) => <><Badge value={p.proposal.sharingClass} /> <List values={p.proposal.purposes} empty={t('anyPurpose')} /><Conditions policy={p.proposal} /></> },
              { header: t('by'), render: (p) => <>{p.department}<div className="muted">{formatTime(p.createdAt)}</div></> },
              { header: t('reason'), render: (p) => p.reason },
              { header: t('status'), render: (p) => <><Badge value={p.status} />{p.decidedAt && <div className="muted">{formatTime(p.decidedAt)} · {p.decidedBy}</div>}</> },
              { header: '', render: (p) => (platform && p.status === 'PENDING' ? <DecideProposal proposal={p} onDone={value.reload} /> : null) },
            ]}
          />
        )}
      </Async>
    </section>
  );
}

function DecideProposal({ proposal, onDone }: { proposal: PolicyProposal; onDone(): void }) {
  const t = useMessages(M);
  const decide = useMutation<unknown>(Q.DECIDE_PROPOSAL);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const run = async (accept: boolean) => {
    const p = requireText(reason, t('aDecisionStatesIts'));
    setProblem(p);
    if (!p && (await decide.run({ id: proposal.id, accept, reason: reason.trim() }))) onDone();
  };
  return (
    <div className="inline-form">
      <ErrorBox error={decide.error} />
      <textarea aria-label={t('decisionReason')} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('reason')} />
      {problem && <small className="field-error" role="alert">{problem}</small>}
      <div className="actions">
        <button type="button" disabled={decide.busy} onClick={() => run(true)}>{t('accept')}</button>
        <button type="button" className="danger" disabled={decide.busy} onClick={() => run(false)}>{t('reject')}</button>
      </div>
    </div>
  );
}

export function HistoryPage() {
  const t = useMessages(M);
  const { session } = useSession();
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  const [limit, setLimit] = useState(50);
  const [done, setDone] = useState<string | null>(null);
  const [reverting, setReverting] = useState<{ version: number; coordinate: string } | null>(null);
  const value = useQuery<{ policyVersion: number; policyHistory: VersionWithChanges[] }>(Q.POLICY_HISTORY, { limit });
  return (
    <section>
      <PageHeader title={t('policyHistory')}>
        {t('everyPolicyOrGrant')}
        {platform && t('revertingOneChangeRestores')}
      </PageHeader>
      {done && <Notice kind="success" testId="policy-rolled-back">{done}</Notice>}
      {reverting && (
        <RevertChange key={`${reverting.version}:${reverting.coordinate}`} {...reverting} onClose={() => setReverting(null)}
          onDone={(message) => { setDone(message); setReverting(null); value.reload(); }} />
      )}
      <Async value={value} what={t('thePolicyHistory')}>
        {({ policyVersion, policyHistory }) => (
          <>
            <p>{t('versionInForce')} <strong data-testid="policy-version">{policyVersion}</strong></p>
            <DataTable
              testId="history-table"
              rows={policyHistory}
              rowKey={(v) => String(v.version)}
              rowTestId={(v) => `history-${v.version}`}
              empty={t('noVersions')}
              columns={[
                { header: t('version'), render: (v) => v.version },
                { header: t('kind'), render: (v) => v.kind },
                { header: t('when'), className: 'nowrap', render: (v) => formatTime(v.createdAt) },
                { header: t('who'), render: (v) => <code>{v.actor}</code> },
                { header: t('reason'), render: (v) => v.reason },
                { header: t('changes'), render: (v) => <VersionChanges version={v} {...(platform ? { onRevert: (coordinate: string) => { setDone(null); setReverting({ version: v.version, coordinate }); } } : {})} /> },
                {
                  header: t('overrides'),
                  render: (v) => (
                    <details>
                      <summary>{v.overrides.length} {t('overrideS')}</summary>
                      <ul className="plain">
                        {v.overrides.map((o) => <li key={o.coordinate}><Coordinate value={o.coordinate} /> <Badge value={o.sharingClass} /> <List values={o.purposes} empty={t('any')} /></li>)}
                      </ul>
                    </details>
                  ),
                },
                ...(platform ? [{
                  header: '',
                  render: (v: PolicyVersion) => (v.version === policyVersion ? <Badge value="active" label={t('inForce')} /> : (
                    <RollbackPolicy version={v.version} onDone={(to) => { setDone(t('policyVersionIsIn2', { v0: to, v1: v.version })); value.reload(); }} />
                  )),
                }] : []),
              ]}
            />
            {policyHistory.length >= limit && <button type="button" className="secondary" onClick={() => setLimit(limit + 50)}>{t('showOlderVersions')}</button>}
          </>
        )}
      </Async>
    </section>
  );
}

function RollbackPolicy({ version, onDone }: { version: number; onDone(newVersion: number): void }) {
  const t = useMessages(M);
  const rollback = useMutation<{ rollbackPolicy: { version: number } }>(Q.ROLLBACK_POLICY);
  return (
    <ReasonConfirm
      label={t('rollBackToThis')}
      confirmLabel={t('yesRestoreVersionS', { v0: version })}
      reasonLabel={t('whyRollBackKept')}
      reasonRequired={t('aRollbackStatesIts')}
      busy={rollback.busy}
      error={rollback.error}
      errorTitle={t('thePolicyWasNot2')}
      testId={`rollback-policy-${version}`}
      onConfirm={async (reason) => {
        const done = await rollback.run({ toVersion: version, reason });
        if (done) onDone(done.rollbackPolicy.version);
        return done !== null;
      }}
    />
  );
}
