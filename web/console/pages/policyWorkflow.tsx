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
  const shown = value ?? sdl;
  if (!shown) return <span className="muted">—</span>;
  return (
    <span>
      <Badge value={shown.sharingClass} /> <List values={shown.purposes} empty={shown.sharingClass === 'NOT_SHARED' ? '—' : 'any'} />
      {shown.caseIdRequired && <span className="chip">case id</span>}
      {shown.rowCondition && <span className="chip">{shown.rowCondition.kind}</span>}
      {!value && <span className="muted"> (SDL default)</span>}
    </span>
  );
}

/** A version's changes, field by field: before → after, and what differs. */
export function VersionChanges({ version, onRevert }: { version: VersionWithChanges; onRevert?: (coordinate: string) => void }) {
  if (version.changes.length === 0) return <span className="muted">no field policy changed</span>;
  return (
    <ul className="plain" data-testid={`changes-${version.version}`}>
      {version.changes.map((c) => (
        <li key={c.coordinate} data-testid={`change-${version.version}-${c.coordinate}`}>
          <Coordinate value={c.coordinate} /> <Badge value={c.kind} />{' '}
          <PolicyValue value={c.before} sdl={c.sdlDefault} /> → <PolicyValue value={c.after} sdl={c.sdlDefault} />
          <span className="muted"> ({c.attributes.join(', ')})</span>
          {onRevert && <> <button type="button" className="secondary small" onClick={() => onRevert(c.coordinate)} data-testid={`revert-${version.version}-${c.coordinate}`}>Revert this change</button></>}
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
  const { departmentName } = useSession();
  const preview = useQuery<{ policyRevertPreview: RevertPreview }>(Q.REVERT_PREVIEW, { version, coordinate });
  const revert = useMutation<{ revertPolicyChange: { version: number } }>(Q.REVERT_CHANGE);
  const [reason, setReason] = useState('');
  const [confirmLater, setConfirmLater] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const run = async (later: boolean) => {
    const p = requireText(reason, 'A revert states its reason: it is kept with the new policy version.');
    setProblem(p);
    if (p) return;
    const done = await revert.run({ version, coordinate, reason: reason.trim(), confirmLaterChanges: later });
    if (done) onDone(`${coordinate}: version ${version}'s change reverted; policy version ${done.revertPolicyChange.version} is in force. Other fields keep their current policies.`);
  };
  return (
    <div className="panel form" data-testid="revert-panel">
      <h2>Revert version {version}'s change to <Coordinate value={coordinate} /></h2>
      <Async value={preview} what="what the revert would do">
        {({ policyRevertPreview: p }) => (
          <>
            <p data-testid="revert-restores">Now <Badge value={p.current.sharingClass} />; the revert restores <PolicyValue value={p.restores} sdl={null} />{!p.restores && ' its SDL default'}. Every other field keeps its current policy.</p>
            {p.laterChanges.length > 0 && (
              <div className="notice warning" data-testid="revert-later-changes">
                <strong>{coordinate} was changed again after version {version}:</strong>
                <ul className="plain">
                  {p.laterChanges.map((c) => <li key={c.version}>version {c.version} ({formatTime(c.createdAt)}, <code>{c.actor}</code>): {c.change.after ? <Badge value={c.change.after.sharingClass} /> : 'SDL default'} — {c.reason}</li>)}
                </ul>
                <label className="check"><input type="checkbox" checked={confirmLater} onChange={(e) => setConfirmLater(e.target.checked)} data-testid="revert-confirm-later" /> Revert over these later changes</label>
              </div>
            )}
            <h3>Grants on the field</h3>
            <DataTable testId="revert-grants" rows={p.grants} rowKey={(g) => g.id} empty="No department holds a grant on this field."
              columns={[{ header: 'Department', render: (g) => <>{g.consumer} <span className="muted">{departmentName(g.consumer!)}</span></> }, { header: 'Purpose', render: (g) => g.purpose }, { header: 'Until', render: (g) => formatTime(g.validUntil) }]} />
            <h3>Read since {formatTime(p.readersSince)}</h3>
            <DataTable testId="revert-readers" rows={p.recentReaders} rowKey={(r) => `${r.consumer}:${r.operationName ?? ''}`} rowTestId={(r) => `reader-${r.consumer}`} empty="The audit trail shows no reader lately."
              columns={[{ header: 'Department', render: (r) => <>{r.consumer} <span className="muted">{departmentName(r.consumer)}</span></> }, { header: 'Operation', render: (r) => (r.operationName ? <code>{r.operationName}</code> : <span className="muted">anonymous</span>) }, { header: 'Requests', className: 'num', render: (r) => r.requests }, { header: 'Last seen', render: (r) => formatTime(r.lastSeen) }]} />
            <ErrorBox error={revert.error} title="The change was not reverted" />
            <label htmlFor="revert-reason">Why revert? (kept with the new version)</label>
            <textarea id="revert-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="revert-reason" />
            {problem && <small className="field-error" role="alert" data-testid="revert-invalid">{problem}</small>}
            <div className="actions">
              <button type="button" className="danger" disabled={revert.busy || (p.laterChanges.length > 0 && !confirmLater)} onClick={() => run(p.laterChanges.length > 0 && confirmLater)} data-testid="revert-submit">Revert this change</button>
              <button type="button" className="link" onClick={onClose}>Cancel</button>
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
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const run = async (first: boolean) => {
    const p = reasonRequired[first ? 0 : 1] ? requireText(reason, 'State the reason: it is kept and sent with the answer.') : undefined;
    setProblem(p);
    if (!p) await onAnswer(first, reason.trim());
  };
  return (
    <div className="inline-form" data-testid={`answer-${id}`}>
      <ErrorBox error={error} />
      <textarea aria-label="Reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Reason" data-testid={`answer-reason-${id}`} />
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
  const { session } = useSession();
  const accept = useMutation<{ acceptReclassification: { appliedVersion: number } }>(Q.ACCEPT_RECLASSIFICATION);
  const contest = useMutation<unknown>(Q.CONTEST_RECLASSIFICATION);
  const review = useMutation<{ reviewReclassification: { status: string; appliedVersion: number | null } }>(Q.REVIEW_RECLASSIFICATION);
  const busy = accept.busy || contest.busy || review.busy;
  if (session.me.kind === 'DEPARTMENT_ADMIN' && session.me.department === proposal.department && proposal.status === 'PENDING') {
    return (
      <Answer id={proposal.id} labels={['Accept', 'Contest']} reasonRequired={[false, true]} busy={busy} error={accept.error ?? contest.error}
        onAnswer={async (yes, reason) => {
          if (yes) {
            const done = await accept.run({ id: proposal.id, reason: reason || null });
            if (done) onDone(`Accepted: ${proposal.coordinate} is reclassified in policy version ${done.acceptReclassification.appliedVersion}.`);
          } else if (await contest.run({ id: proposal.id, reason })) onDone(`Contested: the coordinating office reviews the proposal for ${proposal.coordinate}.`);
        }} />
    );
  }
  if (session.me.kind === 'PLATFORM_ADMIN' && proposal.status === 'CONTESTED') {
    return (
      <Answer id={proposal.id} labels={['Apply', 'Withdraw']} reasonRequired={[true, true]} busy={busy} error={review.error}
        onAnswer={async (apply, reason) => {
          const done = await review.run({ id: proposal.id, apply, reason });
          if (done) onDone(apply ? `Applied on review: ${proposal.coordinate} is reclassified in policy version ${done.reviewReclassification.appliedVersion}.` : `The proposal for ${proposal.coordinate} is withdrawn.`);
        }} />
    );
  }
  if (session.me.kind === 'PLATFORM_ADMIN' && proposal.status === 'PENDING') {
    return (
      <ReasonConfirm label="Withdraw" confirmLabel="Yes, withdraw the proposal" reasonLabel="Why withdraw it?" reasonRequired="State why: the department is told."
        busy={busy} error={review.error} errorTitle="The proposal was not withdrawn" testId={`withdraw-${proposal.id}`}
        onConfirm={async (reason) => {
          const done = await review.run({ id: proposal.id, apply: false, reason });
          if (done) onDone(`The proposal for ${proposal.coordinate} is withdrawn.`);
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
  const { session } = useSession();
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  const value = useQuery<{ reclassifications: Reclassification[] }>(Q.RECLASSIFICATIONS, {});
  const open = (p: Reclassification) => p.status === 'PENDING' || p.status === 'CONTESTED';
  return (
    <div className="panel" data-testid="reclassifications">
      <h2>{platform ? 'Reclassifications proposed to departments' : 'Reclassifications proposed by the coordinating office'}</h2>
      <p className="muted">
        {platform
          ? 'A department classifies its own fields (000 art. 9): it accepts your proposal or contests it; you decide a contested one, with reasons.'
          : 'Your department classifies its own fields (000 art. 9): accept a proposal (it is applied as a new policy version) or contest it, stating why; the coordinating office then decides.'}
      </p>
      <Async value={value} what="reclassification proposals">
        {({ reclassifications }) => (
          <DataTable
            testId="reclassifications-table"
            rows={[...reclassifications].sort((a, b) => Number(open(b)) - Number(open(a)))}
            rowKey={(p) => p.id}
            rowTestId={(p) => `reclassification-${p.coordinate}`}
            empty="No reclassification proposals."
            columns={[
              { header: 'Field', render: (p) => <Coordinate value={p.coordinate} /> },
              { header: 'Proposed', render: (p) => <>{p.currentClass && <><Badge value={p.currentClass} /> → </>}<Badge value={p.proposal.sharingClass} /> <List values={p.proposal.purposes} empty="any purpose" /></> },
              { header: 'Department', render: (p) => p.department },
              { header: 'Why', render: (p) => <>{p.reason}{p.contestReason && <div data-testid={`contest-reason-${p.id}`}><strong>Contested:</strong> {p.contestReason}</div>}{p.decisionReason && <div className="muted">Decision: {p.decisionReason}</div>}</> },
              { header: 'Status', render: (p) => <><Badge value={p.status} />{p.appliedVersion !== null && <div className="muted">version {p.appliedVersion}</div>}<div className="muted">{formatTime(p.createdAt)}</div></> },
              { header: '', render: (p) => <ReclassificationAnswer proposal={p} onDone={(m) => { onDone(m); value.reload(); }} /> },
            ]}
          />
        )}
      </Async>
    </div>
  );
}
