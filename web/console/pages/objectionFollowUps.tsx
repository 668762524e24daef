/**
 * What follows an objection (R9): the provider's resolution (a correction states the datum's
 * value before and after), the corrections a department was told of because it read the
 * datum, and the coordinating office's list of objections escalated past their due date.
 */
import { useState } from 'react';
import * as Q from '../queries.ts';
import { requireText } from '../forms.ts';
import type { Objection } from '../types.ts';
import { Async, Badge, Coordinate, DataTable, ErrorBox, Notice, formatTime, useMutation, useQuery, useSession } from '../ui.tsx';

interface ObjectionCorrection {
  objectionId: string; provider: string; coordinate: string; entityKey: string; valueBefore: string; valueAfter: string; correctedAt: string; note: string;
}

/** A resolved objection: the note, and for a correction the value before and after. */
export function Resolution({ objection: o }: { objection: Objection }) {
  return (
    <>
      {o.status === 'CORRECTED' && o.valueBefore != null && (
        <div data-testid="objection-correction"><del>{o.valueBefore}</del> → <ins>{o.valueAfter}</ins></div>
      )}
      {o.resolutionNote}
      <div className="muted">{formatTime(o.resolvedAt)} · {o.resolvedBy}</div>
      {o.escalatedAt && <div className="muted">escalated {formatTime(o.escalatedAt)}</div>}
    </>
  );
}

/** The provider's administrator resolves: a correction states the datum's value before and after; a confirmation none. */
export function ResolveObjection({ objection, onDone }: { objection: Objection; onDone(): void }) {
  const { session } = useSession();
  const resolve = useMutation<unknown>(Q.RESOLVE_OBJECTION);
  const [note, setNote] = useState('');
  const [before, setBefore] = useState(objection.observedValue ?? '');
  const [after, setAfter] = useState(objection.expectedValue ?? '');
  const [problem, setProblem] = useState<string | undefined>();
  const escalated = objection.escalatedAt ? <div className="muted">escalated to the coordinating office {formatTime(objection.escalatedAt)}</div> : null;
  // Only the collecting department's administrator resolves (R8); others just see it open.
  if (session.me.kind !== 'DEPARTMENT_ADMIN' || session.me.department !== objection.provider) return <><span className="muted">awaiting {objection.provider}</span>{escalated}</>;
  const run = async (resolution: 'CORRECTED' | 'CONFIRMED') => {
    let p = requireText(note, 'Say what was verified and, if corrected, what changed.');
    if (!p && resolution === 'CORRECTED') {
      p = !before.trim() || !after.trim() ? 'A correction states the value before and after.' : before.trim() === after.trim() ? 'The values are the same: nothing was corrected.' : undefined;
    }
    setProblem(p);
    if (p) return;
    const values = resolution === 'CORRECTED' ? { valueBefore: before.trim(), valueAfter: after.trim() } : {};
    if (await resolve.run({ id: objection.id, resolution, note: note.trim(), ...values })) onDone();
  };
  return (
    <div className="inline-form" data-testid="resolve-objection">
      {escalated}
      <ErrorBox error={resolve.error} />
      <textarea aria-label="Resolution note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} placeholder="What was verified" data-testid="resolve-note" />
      <input aria-label="Value before the correction" value={before} onChange={(e) => setBefore(e.target.value)} placeholder="Value before (if corrected)" data-testid="resolve-before" />
      <input aria-label="Value after the correction" value={after} onChange={(e) => setAfter(e.target.value)} placeholder="Value after (if corrected)" data-testid="resolve-after" />
      {problem && <small className="field-error" role="alert" data-testid="resolve-invalid">{problem}</small>}
      <div className="actions">
        <button type="button" disabled={resolve.busy} onClick={() => run('CORRECTED')} data-testid="resolve-corrected">Corrected</button>
        <button type="button" className="secondary" disabled={resolve.busy} onClick={() => run('CONFIRMED')} data-testid="resolve-confirmed">Confirmed as is</button>
      </div>
    </div>
  );
}

/** Corrections the department may see: of its objections, and of data it read (it was told); all for the office. */
export function CorrectionsToldOf() {
  const value = useQuery<{ objectionCorrections: ObjectionCorrection[] }>(Q.OBJECTION_CORRECTIONS);
  return (
    <>
      <h2>Corrections of data you read</h2>
      <p className="muted">When a provider corrects a datum your department was returned, fix it in your own files: the record, the value before and after.</p>
      <Async value={value} what="corrections">
        {({ objectionCorrections }) => (
          <DataTable
            testId="corrections-table"
            rows={objectionCorrections}
            rowKey={(c) => c.objectionId}
            empty="No corrections."
            columns={[
              { header: 'Corrected', render: (c) => <>{formatTime(c.correctedAt)}<div className="muted">by {c.provider}</div></> },
              { header: 'Field · record', render: (c) => <><Coordinate value={c.coordinate} /><div><code>{c.entityKey}</code></div></> },
              { header: 'Before → after', render: (c) => <><del>{c.valueBefore}</del> → <ins>{c.valueAfter}</ins></> },
              { header: 'Note', render: (c) => c.note },
            ]}
          />
        )}
      </Async>
    </>
  );
}

/** The coordinating office's list: objections still open after their due date (R9). */
export function EscalatedObjections() {
  const value = useQuery<{ escalatedObjections: Objection[] }>(Q.ESCALATED_OBJECTIONS);
  return (
    <>
      <h2>Escalated objections</h2>
      <Async value={value} what="escalated objections">
        {({ escalatedObjections }) => (
          <>
            {escalatedObjections.length > 0 && <Notice kind="warning">{escalatedObjections.length} objection(s) not verified by their due date.</Notice>}
            <DataTable
              testId="escalated-objections"
              rows={escalatedObjections}
              rowKey={(o) => o.id}
              empty="No objection is past its due date."
              columns={[
                { header: 'Provider', render: (o) => o.provider },
                { header: 'Field', render: (o) => <Coordinate value={o.coordinate} /> },
                { header: 'Raised', render: (o) => <>{formatTime(o.raisedAt)}<div className="muted">by {o.consumer}</div></> },
                { header: 'Due', render: (o) => o.dueDate },
                { header: 'Escalated', render: (o) => formatTime(o.escalatedAt ?? null) },
                { header: 'Status', render: (o) => <Badge value={o.status} /> },
              ]}
            />
          </>
        )}
      </Async>
    </>
  );
}
