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
import { defineMessages } from '../i18n/defineMessages.ts';
import { useMessages } from '../i18n/I18nProvider.tsx';

const M = defineMessages('objectionFollowUps', {
  escalated: '已提请协调',
  escalatedToTheCoordinating: '已提请协调办公室',
  awaiting: '待处理',
  sayWhatWasVerified: '请说明核实了什么；如已更正，说明改了什么。',
  aCorrectionStatesThe: '更正须写明更正前后的值。',
  theValuesAreThe: '前后值相同：并未更正。',
  resolutionNote: '处理说明',
  whatWasVerified: '核实内容',
  valueBeforeTheCorrection: '更正前的值',
  valueBeforeIfCorrected: '更正前的值（如有更正）',
  valueAfterTheCorrection: '更正后的值',
  valueAfterIfCorrected: '更正后的值（如有更正）',
  corrected: '已更正',
  confirmedAsIs: '经核无误',
  correctionsOfDataYou: '所读数据的更正',
  whenAProviderCorrects: '提供部门更正了返回给本部门的数据时，请同步更正本部门的档案：记录、更正前后的值。',
  corrections: '更正',
  noCorrections: '没有更正。',
  corrected2: '更正时间',
  by: '更正方',
  fieldRecord: '字段 · 记录',
  beforeAfter: '更正前 → 更正后',
  note: '说明',
  escalatedObjections: '已提请协调的异议',
  escalatedObjections2: '已提请协调的异议',
  objectionSNotVerified: ' 件异议未在期限内核实。',
  noObjectionIsPast: '没有超过核实期限的异议。',
  provider: '提供部门',
  field: '字段',
  raised: '提出时间',
  by2: '提出方',
  due: '期限',
  escalated2: '提请协调时间',
  status: '状态',
}, {
  escalated: 'escalated',
  escalatedToTheCoordinating: 'escalated to the coordinating office',
  awaiting: 'awaiting',
  sayWhatWasVerified: 'Say what was verified and, if corrected, what changed.',
  aCorrectionStatesThe: 'A correction states the value before and after.',
  theValuesAreThe: 'The values are the same: nothing was corrected.',
  resolutionNote: 'Resolution note',
  whatWasVerified: 'What was verified',
  valueBeforeTheCorrection: 'Value before the correction',
  valueBeforeIfCorrected: 'Value before (if corrected)',
  valueAfterTheCorrection: 'Value after the correction',
  valueAfterIfCorrected: 'Value after (if corrected)',
  corrected: 'Corrected',
  confirmedAsIs: 'Confirmed as is',
  correctionsOfDataYou: 'Corrections of data you read',
  whenAProviderCorrects: 'When a provider corrects a datum your department was returned, fix it in your own files: the record, the value before and after.',
  corrections: 'corrections',
  noCorrections: 'No corrections.',
  corrected2: 'Corrected',
  by: 'by',
  fieldRecord: 'Field · record',
  beforeAfter: 'Before → after',
  note: 'Note',
  escalatedObjections: 'Escalated objections',
  escalatedObjections2: 'escalated objections',
  objectionSNotVerified: 'objection(s) not verified by their due date.',
  noObjectionIsPast: 'No objection is past its due date.',
  provider: 'Provider',
  field: 'Field',
  raised: 'Raised',
  by2: 'by',
  due: 'Due',
  escalated2: 'Escalated',
  status: 'Status',
});

interface ObjectionCorrection {
  objectionId: string; provider: string; coordinate: string; entityKey: string; valueBefore: string; valueAfter: string; correctedAt: string; note: string;
}

/** A resolved objection: the note, and for a correction the value before and after. */
export function Resolution({ objection: o }: { objection: Objection }) {
  const t = useMessages(M);
  return (
    <>
      {o.status === 'CORRECTED' && o.valueBefore != null && (
        <div data-testid="objection-correction"><del>{o.valueBefore}</del> → <ins>{o.valueAfter}</ins></div>
      )}
      {o.resolutionNote}
      <div className="muted">{formatTime(o.resolvedAt)} · {o.resolvedBy}</div>
      {o.escalatedAt && <div className="muted">{t('escalated')} {formatTime(o.escalatedAt)}</div>}
    </>
  );
}

/** The provider's administrator resolves: a correction states the datum's value before and after; a confirmation none. */
export function ResolveObjection({ objection, onDone }: { objection: Objection; onDone(): void }) {
  const t = useMessages(M);
  const { session } = useSession();
  const resolve = useMutation<unknown>(Q.RESOLVE_OBJECTION);
  const [note, setNote] = useState('');
  const [before, setBefore] = useState(objection.observedValue ?? '');
  const [after, setAfter] = useState(objection.expectedValue ?? '');
  const [problem, setProblem] = useState<string | undefined>();
  const escalated = objection.escalatedAt ? <div className="muted">{t('escalatedToTheCoordinating')} {formatTime(objection.escalatedAt)}</div> : null;
  // Only the collecting department's administrator resolves (R8); others just see it open.
  if (session.me.kind !== 'DEPARTMENT_ADMIN' || session.me.department !== objection.provider) return <><span className="muted">{t('awaiting')} {objection.provider}</span>{escalated}</>;
  const run = async (resolution: 'CORRECTED' | 'CONFIRMED') => {
    let p = requireText(note, t('sayWhatWasVerified'));
    if (!p && resolution === 'CORRECTED') {
      p = !before.trim() || !after.trim() ? t('aCorrectionStatesThe') : before.trim() === after.trim() ? t('theValuesAreThe') : undefined;
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
      <textarea aria-label={t('resolutionNote')} rows={2} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('whatWasVerified')} data-testid="resolve-note" />
      <input aria-label={t('valueBeforeTheCorrection')} value={before} onChange={(e) => setBefore(e.target.value)} placeholder={t('valueBeforeIfCorrected')} data-testid="resolve-before" />
      <input aria-label={t('valueAfterTheCorrection')} value={after} onChange={(e) => setAfter(e.target.value)} placeholder={t('valueAfterIfCorrected')} data-testid="resolve-after" />
      {problem && <small className="field-error" role="alert" data-testid="resolve-invalid">{problem}</small>}
      <div className="actions">
        <button type="button" disabled={resolve.busy} onClick={() => run('CORRECTED')} data-testid="resolve-corrected">{t('corrected')}</button>
        <button type="button" className="secondary" disabled={resolve.busy} onClick={() => run('CONFIRMED')} data-testid="resolve-confirmed">{t('confirmedAsIs')}</button>
      </div>
    </div>
  );
}

/** Corrections the department may see: of its objections, and of data it read (it was told); all for the office. */
export function CorrectionsToldOf() {
  const t = useMessages(M);
  const value = useQuery<{ objectionCorrections: ObjectionCorrection[] }>(Q.OBJECTION_CORRECTIONS);
  return (
    <>
      <h2>{t('correctionsOfDataYou')}</h2>
      <p className="muted">{t('whenAProviderCorrects')}</p>
      <Async value={value} what={t('corrections')}>
        {({ objectionCorrections }) => (
          <DataTable
            testId="corrections-table"
            rows={objectionCorrections}
            rowKey={(c) => c.objectionId}
            empty={t('noCorrections')}
            columns={[
              { header: t('corrected2'), render: (c) => <>{formatTime(c.correctedAt)}<div className="muted">{t('by')} {c.provider}</div></> },
              { header: t('fieldRecord'), render: (c) => <><Coordinate value={c.coordinate} /><div><code>{c.entityKey}</code></div></> },
              { header: t('beforeAfter'), render: (c) => <><del>{c.valueBefore}</del> → <ins>{c.valueAfter}</ins></> },
              { header: t('note'), render: (c) => c.note },
            ]}
          />
        )}
      </Async>
    </>
  );
}

/** The coordinating office's list: objections still open after their due date (R9). */
export function EscalatedObjections() {
  const t = useMessages(M);
  const value = useQuery<{ escalatedObjections: Objection[] }>(Q.ESCALATED_OBJECTIONS);
  return (
    <>
      <h2>{t('escalatedObjections')}</h2>
      <Async value={value} what={t('escalatedObjections2')}>
        {({ escalatedObjections }) => (
          <>
            {escalatedObjections.length > 0 && <Notice kind="warning">{escalatedObjections.length} {t('objectionSNotVerified')}</Notice>}
            <DataTable
              testId="escalated-objections"
              rows={escalatedObjections}
              rowKey={(o) => o.id}
              empty={t('noObjectionIsPast')}
              columns={[
                { header: t('provider'), render: (o) => o.provider },
                { header: t('field'), render: (o) => <Coordinate value={o.coordinate} /> },
                { header: t('raised'), render: (o) => <>{formatTime(o.raisedAt)}<div className="muted">{t('by2')} {o.consumer}</div></> },
                { header: t('due'), render: (o) => o.dueDate },
                { header: t('escalated2'), render: (o) => formatTime(o.escalatedAt ?? null) },
                { header: t('status'), render: (o) => <Badge value={o.status} /> },
              ]}
            />
          </>
        )}
      </Async>
    </>
  );
}
