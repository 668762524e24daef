/**
 * The policy workflow in the console (issue 13): the coordinating office's reclassification
 * proposals (000 art. 9: a department classifies its own fields) — the department's inbox to
 * accept or contest them, the office's list of contested ones to apply or withdraw — and the
 * policy history as changes, with reverting one change after seeing whom it affects.
 */
import { useState } from 'react';
import * as Q from '../queries.ts';
import { requireText } from '../forms.ts';
import type { FieldPolicyOverride, FieldUsage, Grant, PolicyProposal, PolicyVersion, SharingClass } from '../types.ts';
import { Async, Badge, Coordinate, DataTable, ErrorBox, List, ReasonConfirm, formatTime, useMutation, useQuery, useSession } from '../ui.tsx';
import { defineMessages } from '../i18n/defineMessages.ts';
import { useMessages } from '../i18n/I18nProvider.tsx';

const M = defineMessages('policyWorkflow', {
  caseId: '案件编号',
  sdlDefault: '（SDL 默认值）',
  noFieldPolicyChanged: '没有字段策略变更',
  revertThisChange: '撤回此变更',
  aRevertStatesIts: '撤回须说明理由：理由随新的策略版本保存。',
  versionSChangeReverted: '{v0}：已撤回版本 {v1} 的变更；策略版本 {v2} 已生效。其他字段保持现行策略。',
  revertVersion: '撤回版本',
  sChangeTo: ' 对以下字段的变更：',
  whatTheRevertWould: '撤回的影响',
  now: '当前',
  theRevertRestores: '；撤回后恢复为',
  itsSdlDefault: ' SDL 默认值',
  everyOtherFieldKeeps: '。其他字段保持现行策略。',
  wasChangedAgainAfter: '{coordinate} 在版本 {version} 之后又被修改：',
  version: '版本',
  sdlDefault2: 'SDL 默认值',
  revertOverTheseLater: '仍撤回（覆盖这些后续变更）',
  grantsOnTheField: '该字段上的授权',
  noDepartmentHoldsA: '没有部门持有该字段的授权。',
  department: '部门',
  purpose: '使用目的',
  until: '有效期至',
  readSince: '近期读取方',
  theAuditTrailShows: '审计日志显示近期无人读取。',
  operation: '操作',
  anonymous: '匿名',
  requests: '请求数',
  lastSeen: '最近一次',
  theChangeWasNot: '变更未撤回',
  whyRevertKeptWith: '撤回理由（随新版本保存）',
  cancel: '取消',
  stateTheReasonIt: '请说明理由：理由将被保存并随答复发送。',
  reason: '理由',
  accept: '接受',
  contest: '提出异议',
  acceptedIsReclassifiedIn: '已接受：{v0} 已在策略版本 {v1} 中重新分类。',
  contestedTheCoordinatingOffice: '已提出异议：协调办公室将审查关于 {v0} 的提议。',
  apply: '采纳',
  withdraw: '撤回',
  appliedOnReviewIs: '经审查采纳：{v0} 已在策略版本 {v1} 中重新分类。',
  theProposalForIs: '关于 {v0} 的提议已撤回。',
  yesWithdrawTheProposal: '确认撤回提议',
  whyWithdrawIt: '为何撤回？',
  stateWhyTheDepartment: '请说明理由：将告知该部门。',
  theProposalWasNot: '提议未撤回',
  reclassificationsProposedToDepartments: '向各部门提议的重新分类',
  reclassificationsProposedByThe: '协调办公室提议的重新分类',
  aDepartmentClassifiesIts: '部门自行为其字段分类（000 第 9 条）：由其接受或对您的提议提出异议；有异议的由您附理由决定。',
  yourDepartmentClassifiesIts: '本部门自行为其字段分类（000 第 9 条）：接受提议（作为新的策略版本生效），或说明理由提出异议；由协调办公室决定。',
  reclassificationProposals: '重新分类提议',
  noReclassificationProposals: '没有重新分类提议。',
  field: '字段',
  proposed: '提议内容',
  anyPurpose: '任何目的',
  why: '理由',
  contested: '异议：',
  decision: '决定：',
  status: '状态',
}, {
  caseId: 'case id',
  sdlDefault: '(SDL default)',
  noFieldPolicyChanged: 'no field policy changed',
  revertThisChange: 'Revert this change',
  aRevertStatesIts: 'A revert states its reason: it is kept with the new policy version.',
  versionSChangeReverted: '{v0}: version {v1}\'s change reverted; policy version {v2} is in force. Other fields keep their current policies.',
  revertVersion: 'Revert version',
  sChangeTo: '\'s change to',
  whatTheRevertWould: 'what the revert would do',
  now: 'Now',
  theRevertRestores: '; the revert restores',
  itsSdlDefault: ' its SDL default',
  everyOtherFieldKeeps: '. Every other field keeps its current policy.',
  wasChangedAgainAfter: '{coordinate} was changed again after version {version}:',
  version: 'version',
  sdlDefault2: 'SDL default',
  revertOverTheseLater: 'Revert over these later changes',
  grantsOnTheField: 'Grants on the field',
  noDepartmentHoldsA: 'No department holds a grant on this field.',
  department: 'Department',
  purpose: 'Purpose',
  until: 'Until',
  readSince: 'Read since',
  theAuditTrailShows: 'The audit trail shows no reader lately.',
  operation: 'Operation',
  anonymous: 'anonymous',
  requests: 'Requests',
  lastSeen: 'Last seen',
  theChangeWasNot: 'The change was not reverted',
  whyRevertKeptWith: 'Why revert? (kept with the new version)',
  cancel: 'Cancel',
  stateTheReasonIt: 'State the reason: it is kept and sent with the answer.',
  reason: 'Reason',
  accept: 'Accept',
  contest: 'Contest',
  acceptedIsReclassifiedIn: 'Accepted: {v0} is reclassified in policy version {v1}.',
  contestedTheCoordinatingOffice: 'Contested: the coordinating office reviews the proposal for {v0}.',
  apply: 'Apply',
  withdraw: 'Withdraw',
  appliedOnReviewIs: 'Applied on review: {v0} is reclassified in policy version {v1}.',
  theProposalForIs: 'The proposal for {v0} is withdrawn.',
  yesWithdrawTheProposal: 'Yes, withdraw the proposal',
  whyWithdrawIt: 'Why withdraw it?',
  stateWhyTheDepartment: 'State why: the department is told.',
  theProposalWasNot: 'The proposal was not withdrawn',
  reclassificationsProposedToDepartments: 'Reclassifications proposed to departments',
  reclassificationsProposedByThe: 'Reclassifications proposed by the coordinating office',
  aDepartmentClassifiesIts: 'A department classifies its own fields (000 art. 9): it accepts your proposal or contests it; you decide a contested one, with reasons.',
  yourDepartmentClassifiesIts: 'Your department classifies its own fields (000 art. 9): accept a proposal (it is applied as a new policy version) or contest it, stating why; the coordinating office then decides.',
  reclassificationProposals: 'reclassification proposals',
  noReclassificationProposals: 'No reclassification proposals.',
  field: 'Field',
  proposed: 'Proposed',
  anyPurpose: 'any purpose',
  why: 'Why',
  contested: 'Contested:',
  decision: 'Decision:',
  status: 'Status',
});

type Override = Omit<FieldPolicyOverride, 'coordinate'>;

export interface PolicyFieldChange {
  coordinate: string;
  kind: 'SET' | 'CHANGED' | 'CLEARED';
  attributes: string[];
  provider: string | null;
  before: Override | null;
  after: Override | null;
  sdlDefault: Override | null;
}

export type VersionWithChanges = PolicyVersion & { changes: PolicyFieldChange[] };

/** A proposal of the office to a department, as `reclassifications` lists it. */
export type Reclassification = Omit<PolicyProposal, 'status'> & {
  status: string; direction: string; currentClass: SharingClass | null; contestReason: string | null; contestedAt: string | null; contestedBy: string | null;
  decisionReason: string | null; appliedVersion: number | null;
};

interface RevertPreview {
  version: number;
  coordinate: string;
  readersSince: string;
  restores: Override | null;
  current: { coordinate: string; sharingClass: SharingClass; purposes: string[]; origin: string };
  laterChanges: { version: number; actor: string; reason: string; createdAt: string; change: { kind: string; after: { sharingClass: SharingClass; purposes: string[] } | null } }[];
  grants: Pick<Grant, 'id' | 'consumer' | 'purpose' | 'validUntil'>[];
  recentReaders: Omit<FieldUsage, 'coordinate'>[];
}

/** One side of a change: the override, or the SDL default where there is none. */
function PolicyValue({ value, sdl }: { value: Override | null; sdl: Override | null }) {
  const t = useMessages(M);
  const shown = value ?? sdl;
  if (!shown) return <span className="muted">—</span>;
  return (
    <span>
      <Badge value={shown.sharingClass} /> <List values={shown.purposes} empty={shown.sharingClass === 'NOT_SHARED' ? '—' : 'any'} />
      {shown.caseIdRequired && <span className="chip">{t('caseId')}</span>}
      {shown.rowCondition && <span className="chip">{shown.rowCondition.kind}</span>}
      {!value && <span className="muted"> {t('sdlDefault')}</span>}
    </span>
  );
}

/** A version's changes, field by field: before → after, and what differs. */
export function VersionChanges({ version, onRevert }: { version: VersionWithChanges; onRevert?: (coordinate: string) => void }) {
  const t = useMessages(M);
  if (version.changes.length === 0) return <span className="muted">{t('noFieldPolicyChanged')}</span>;
  return (
    <ul className="plain" data-testid={`changes-${version.version}`}>
      {version.changes.map((c) => (
        <li key={c.coordinate} data-testid={`change-${version.version}-${c.coordinate}`}>
          <Coordinate value={c.coordinate} /> <Badge value={c.kind} />{' '}
          <PolicyValue value={c.before} sdl={c.sdlDefault} /> → <PolicyValue value={c.after} sdl={c.sdlDefault} />
          <span className="muted"> ({c.attributes.join(', ')})</span>
          {onRevert && <> <button type="button" className="secondary small" onClick={() => onRevert(c.coordinate)} data-testid={`revert-${version.version}-${c.coordinate}`}>{t('revertThisChange')}</button></>}
        </li>
      ))}
    </ul>
  );
}

/**
 * Reverting one version's change to one field: what it restores, the later changes of that
 * field it would override (to confirm), and the grants and recent readers it affects.
 */
export function RevertChange({ version, coordinate, onClose, onDone }: { version: number; coordinate: string; onClose(): void; onDone(message: string): void }) {
  const t = useMessages(M);
  const { departmentName } = useSession();
  const preview = useQuery<{ policyRevertPreview: RevertPreview }>(Q.REVERT_PREVIEW, { version, coordinate });
  const revert = useMutation<{ revertPolicyChange: { version: number } }>(Q.REVERT_CHANGE);
  const [reason, setReason] = useState('');
  const [confirmLater, setConfirmLater] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const run = async (later: boolean) => {
    const p = requireText(reason, t('aRevertStatesIts'));
    setProblem(p);
    if (p) return;
    const done = await revert.run({ version, coordinate, reason: reason.trim(), confirmLaterChanges: later });
    if (done) onDone(t('versionSChangeReverted', { v0: coordinate, v1: version, v2: done.revertPolicyChange.version }));
  };
  return (
    <div className="panel form" data-testid="revert-panel">
      <h2>{t('revertVersion')} {version}{t('sChangeTo')} <Coordinate value={coordinate} /></h2>
      <Async value={preview} what={t('whatTheRevertWould')}>
        {({ policyRevertPreview: p }) => (
          <>
            <p data-testid="revert-restores">{t('now')} <Badge value={p.current.sharingClass} />{t('theRevertRestores')} <PolicyValue value={p.restores} sdl={null} />{!p.restores && t('itsSdlDefault')}{t('everyOtherFieldKeeps')}</p>
            {p.laterChanges.length > 0 && (
              <div className="notice warning" data-testid="revert-later-changes">
                <strong>{t('wasChangedAgainAfter', { coordinate, version })}</strong>
                <ul className="plain">
                  {p.laterChanges.map((c) => <li key={c.version}>{t('version')} {c.version} ({formatTime(c.createdAt)}, <code>{c.actor}</code>): {c.change.after ? <Badge value={c.change.after.sharingClass} /> : t('sdlDefault2')} — {c.reason}</li>)}
                </ul>
                <label className="check"><input type="checkbox" checked={confirmLater} onChange={(e) => setConfirmLater(e.target.checked)} data-testid="revert-confirm-later" /> {t('revertOverTheseLater')}</label>
              </div>
            )}
            <h3>{t('grantsOnTheField')}</h3>
            <DataTable testId="revert-grants" rows={p.grants} rowKey={(g) => g.id} empty={t('noDepartmentHoldsA')}
              columns={[{ header: t('department'), render: (g) => <>{g.consumer} <span className="muted">{departmentName(g.consumer!)}</span></> }, { header: t('purpose'), render: (g) => g.purpose }, { header: t('until'), render: (g) => formatTime(g.validUntil) }]} />
            <h3>{t('readSince')} {formatTime(p.readersSince)}</h3>
            <DataTable testId="revert-readers" rows={p.recentReaders} rowKey={(r) => `${r.consumer}:${r.operationName ?? ''}`} rowTestId={(r) => `reader-${r.consumer}`} empty={t('theAuditTrailShows')}
              columns={[{ header: t('department'), render: (r) => <>{r.consumer} <span className="muted">{departmentName(r.consumer)}</span></> }, { header: t('operation'), render: (r) => (r.operationName ? <code>{r.operationName}</code> : <span className="muted">{t('anonymous')}</span>) }, { header: t('requests'), className: 'num', render: (r) => r.requests }, { header: t('lastSeen'), render: (r) => formatTime(r.lastSeen) }]} />
            <ErrorBox error={revert.error} title={t('theChangeWasNot')} />
            <label htmlFor="revert-reason">{t('whyRevertKeptWith')}</label>
            <textarea id="revert-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="revert-reason" />
            {problem && <small className="field-error" role="alert" data-testid="revert-invalid">{problem}</small>}
            <div className="actions">
              <button type="button" className="danger" disabled={revert.busy || (p.laterChanges.length > 0 && !confirmLater)} onClick={() => run(p.laterChanges.length > 0 && confirmLater)} data-testid="revert-submit">{t('revertThisChange')}</button>
              <button type="button" className="link" onClick={onClose}>{t('cancel')}</button>
            </div>
          </>
        )}
      </Async>
    </div>
  );
}

/** A reason and two answers (accept/contest, apply/withdraw); the reason is required where `reasonRequired` says. */
function Answer({ id, labels, reasonRequired, onAnswer, busy, error }: {
  id: string; labels: [string, string]; reasonRequired: [boolean, boolean]; busy: boolean; error: unknown;
  onAnswer(first: boolean, reason: string): Promise<void>;
}) {
  const t = useMessages(M);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const run = async (first: boolean) => {
    const p = reasonRequired[first ? 0 : 1] ? requireText(reason, t('stateTheReasonIt')) : undefined;
    setProblem(p);
    if (!p) await onAnswer(first, reason.trim());
  };
  return (
    <div className="inline-form" data-testid={`answer-${id}`}>
      <ErrorBox error={error} />
      <textarea aria-label={t('reason')} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('reason')} data-testid={`answer-reason-${id}`} />
      {problem && <small className="field-error" role="alert">{problem}</small>}
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => run(true)} data-testid={`answer-first-${id}`}>{labels[0]}</button>
        <button type="button" className="danger" disabled={busy} onClick={() => run(false)} data-testid={`answer-second-${id}`}>{labels[1]}</button>
      </div>
    </div>
  );
}

/** The department accepts or contests a proposal; the office applies or withdraws a contested (or withdraws a pending) one. */
function ReclassificationAnswer({ proposal, onDone }: { proposal: Reclassification; onDone(message: string): void }) {
  const t = useMessages(M);
  const { session } = useSession();
  const accept = useMutation<{ acceptReclassification: { appliedVersion: number } }>(Q.ACCEPT_RECLASSIFICATION);
  const contest = useMutation<unknown>(Q.CONTEST_RECLASSIFICATION);
  const review = useMutation<{ reviewReclassification: { status: string; appliedVersion: number | null } }>(Q.REVIEW_RECLASSIFICATION);
  const busy = accept.busy || contest.busy || review.busy;
  if (session.me.kind === 'DEPARTMENT_ADMIN' && session.me.department === proposal.department && proposal.status === 'PENDING') {
    return (
      <Answer id={proposal.id} labels={[t('accept'), t('contest')]} reasonRequired={[false, true]} busy={busy} error={accept.error ?? contest.error}
        onAnswer={async (yes, reason) => {
          if (yes) {
            const done = await accept.run({ id: proposal.id, reason: reason || null });
            if (done) onDone(t('acceptedIsReclassifiedIn', { v0: proposal.coordinate, v1: done.acceptReclassification.appliedVersion }));
          } else if (await contest.run({ id: proposal.id, reason })) onDone(t('contestedTheCoordinatingOffice', { v0: proposal.coordinate }));
        }} />
    );
  }
  if (session.me.kind === 'PLATFORM_ADMIN' && proposal.status === 'CONTESTED') {
    return (
      <Answer id={proposal.id} labels={[t('apply'), t('withdraw')]} reasonRequired={[true, true]} busy={busy} error={review.error}
        onAnswer={async (apply, reason) => {
          const done = await review.run({ id: proposal.id, apply, reason });
          if (done) onDone(apply ? t('appliedOnReviewIs', { v0: proposal.coordinate, v1: done.reviewReclassification.appliedVersion ?? '—' }) : t('theProposalForIs', { v0: proposal.coordinate }));
        }} />
    );
  }
  if (session.me.kind === 'PLATFORM_ADMIN' && proposal.status === 'PENDING') {
    return (
      <ReasonConfirm label={t('withdraw')} confirmLabel={t('yesWithdrawTheProposal')} reasonLabel={t('whyWithdrawIt')} reasonRequired={t('stateWhyTheDepartment')}
        busy={busy} error={review.error} errorTitle={t('theProposalWasNot')} testId={`withdraw-${proposal.id}`}
        onConfirm={async (reason) => {
          const done = await review.run({ id: proposal.id, apply: false, reason });
          if (done) onDone(t('theProposalForIs', { v0: proposal.coordinate }));
          return done !== null;
        }} />
    );
  }
  return null;
}

/**
 * The office's proposals to departments: for a department, its inbox (pending, to accept or
 * contest) and past answers; for the office, the contested ones to decide and the pending ones.
 */
export function Reclassifications({ onDone }: { onDone(message: string): void }) {
  const t = useMessages(M);
  const { session } = useSession();
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  const value = useQuery<{ reclassifications: Reclassification[] }>(Q.RECLASSIFICATIONS, {});
  const open = (p: Reclassification) => p.status === 'PENDING' || p.status === 'CONTESTED';
  return (
    <div className="panel" data-testid="reclassifications">
      <h2>{platform ? t('reclassificationsProposedToDepartments') : t('reclassificationsProposedByThe')}</h2>
      <p className="muted">
        {platform
          ? t('aDepartmentClassifiesIts')
          : t('yourDepartmentClassifiesIts')}
      </p>
      <Async value={value} what={t('reclassificationProposals')}>
        {({ reclassifications }) => (
          <DataTable
            testId="reclassifications-table"
            rows={[...reclassifications].sort((a, b) => Number(open(b)) - Number(open(a)))}
            rowKey={(p) => p.id}
            rowTestId={(p) => `reclassification-${p.coordinate}`}
            empty={t('noReclassificationProposals')}
            columns={[
              { header: t('field'), render: (p) => <Coordinate value={p.coordinate} /> },
              { header: t('proposed'), render: (p) => <>{p.currentClass && <><Badge value={p.currentClass} /> → </>}<Badge value={p.proposal.sharingClass} /> <List values={p.proposal.purposes} empty={t('anyPurpose')} /></> },
              { header: t('department'), render: (p) => p.department },
              { header: t('why'), render: (p) => <>{p.reason}{p.contestReason && <div data-testid={`contest-reason-${p.id}`}><strong>{t('contested')}</strong> {p.contestReason}</div>}{p.decisionReason && <div className="muted">{t('decision')} {p.decisionReason}</div>}</> },
              { header: t('status'), render: (p) => <><Badge value={p.status} />{p.appliedVersion !== null && <div className="muted">{t('version')} {p.appliedVersion}</div>}<div className="muted">{formatTime(p.createdAt)}</div></> },
              { header: '', render: (p) => <ReclassificationAnswer proposal={p} onDone={(m) => { onDone(m); value.reload(); }} /> },
            ]}
          />
        )}
      </Async>
    </div>
  );
}
