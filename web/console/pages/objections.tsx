/** Data objections (R9): a consumer flags a datum it believes wrong; the provider verifies and resolves it. */
import { useState, type FormEvent } from 'react';
import * as Q from '../queries.ts';
import { validateObjection, type ObjectionForm, type Problems } from '../forms.ts';
import type { Objection } from '../types.ts';
import { Async, Badge, Coordinate, DataTable, ErrorBox, Field, Notice, Options, PageHeader, formatTime, useMutation, useQuery, useSession } from '../ui.tsx';
import { CorrectionsToldOf, EscalatedObjections, Resolution, ResolveObjection } from './objectionFollowUps.tsx';
import { ProvisionalMark } from './calendar.tsx';
import { defineMessages } from '../i18n/defineMessages.ts';
import { useMessages } from '../i18n/I18nProvider.tsx';

const M = defineMessages('objections', {
  objections: '数据异议',
  doubtAndErrorFeedback: '疑义与差错反馈（R9）：标记您认为有误的数据；由其采集部门核实、更正或确认，并告知读取过该数据的部门。其间不影响群众办事。',
  allObjections: '全部异议',
  raisedByOrAbout: '本部门提出或涉及本部门的异议',
  status: '状态',
  any: '不限',
  refresh: '刷新',
  objections2: '数据异议',
  noObjections: '没有数据异议。',
  raised: '提出时间',
  by: '提出方',
  fieldRecord: '字段 · 记录',
  observedExpected: '所见值 → 应为',
  description: '说明',
  provider: '提供部门',
  verifyBy: '核实期限',
  resolution: '处理结果',
  flagADatumAs: '标记有误数据',
  objection: '异议',
  sentTo: '已发送至',
  verificationDue: '；核实期限',
  theObjectionWasNot: '异议未提出',
  field: '字段',
  eGPersonHouseholdaddress: '例如 Person.householdAddress',
  recordKey: '记录键',
  idnumberCreditcodeUnitnoOr: 'idNumber、creditCode、unitNo 或 licenceNo',
  valueSeenOptional: '所见值（可选）',
  valueExpectedOptional: '应为值（可选）',
  whatIsWrong: '错在哪里',
  raiseObjection: '提出异议',
}, {
  objections: 'Objections',
  doubtAndErrorFeedback: 'Doubt and error feedback (R9): flag data you believe wrong; its collecting department verifies it, corrects or confirms it, and tells the departments that read it. The citizen\'s business goes on meanwhile.',
  allObjections: 'All objections',
  raisedByOrAbout: 'Raised by or about your department',
  status: 'Status',
  any: 'any',
  refresh: 'Refresh',
  objections2: 'objections',
  noObjections: 'No objections.',
  raised: 'Raised',
  by: 'by',
  fieldRecord: 'Field · record',
  observedExpected: 'Observed → expected',
  description: 'Description',
  provider: 'Provider',
  verifyBy: 'verify by',
  resolution: 'Resolution',
  flagADatumAs: 'Flag a datum as wrong',
  objection: 'Objection',
  sentTo: 'sent to',
  verificationDue: '; verification due',
  theObjectionWasNot: 'The objection was not raised',
  field: 'Field',
  eGPersonHouseholdaddress: 'e.g. Person.householdAddress',
  recordKey: 'Record key',
  idnumberCreditcodeUnitnoOr: 'idNumber, creditCode, unitNo or licenceNo',
  valueSeenOptional: 'Value seen (optional)',
  valueExpectedOptional: 'Value expected (optional)',
  whatIsWrong: 'What is wrong',
  raiseObjection: 'Raise objection',
});

const STATUSES = ['OPEN', 'CORRECTED', 'CONFIRMED'] as const;
const EMPTY: ObjectionForm = { coordinate: '', entityKey: '', observedValue: '', expectedValue: '', description: '' };

export function ObjectionsPage({ query, navigate }: { query: Readonly<Record<string, string>>; navigate(query: Record<string, string | undefined>): void }) {
  const t = useMessages(M);
  const { session } = useSession();
  const status = query.status ?? '';
  const value = useQuery<{ objections: Objection[] }>(Q.OBJECTIONS, { status: status || null });
  const canRaise = session.me.kind !== 'PLATFORM_ADMIN';
  return (
    <section>
      <PageHeader title={t('objections')}>
        {t('doubtAndErrorFeedback')}
      </PageHeader>
      {canRaise && <RaiseObjection onDone={value.reload} />}
      <h2>{session.me.kind === 'PLATFORM_ADMIN' ? t('allObjections') : t('raisedByOrAbout')}</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>{t('status')} <select value={status} onChange={(e) => navigate({ status: e.target.value })}><Options values={STATUSES} blank={t('any')} /></select></label>
        <button type="button" className="secondary" onClick={value.reload}>{t('refresh')}</button>
      </form>
      <Async value={value} what={t('objections2')}>
        {({ objections }) => (
          <DataTable
            testId="objections-table"
            rows={objections}
            rowKey={(o) => o.id}
            empty={t('noObjections')}
            columns={[
              { header: t('raised'), render: (o) => <>{formatTime(o.raisedAt)}<div className="muted">{t('by')} {o.consumer}</div></> },
              { header: t('fieldRecord'), render: (o) => <><Coordinate value={o.coordinate} /><div><code>{o.entityKey}</code></div></> },
              { header: t('observedExpected'), render: (o) => <>{o.observedValue ?? '—'} → {o.expectedValue ?? '—'}</> },
              { header: t('description'), render: (o) => o.description },
              { header: t('provider'), render: (o) => o.provider },
              { header: t('status'), render: (o) => <><Badge value={o.status} />{o.status === 'OPEN' ? <div className="muted">{t('verifyBy')} {o.dueDate}<ProvisionalMark provisional={o.dueDateProvisional} /></div> : null}</> },
              { header: t('resolution'), render: (o) => (o.status === 'OPEN' ? <ResolveObjection objection={o} onDone={value.reload} /> : <Resolution objection={o} />) },
            ]}
          />
        )}
      </Async>
      <CorrectionsToldOf />
      {session.me.kind === 'PLATFORM_ADMIN' && <EscalatedObjections />}
    </section>
  );
}

function RaiseObjection({ onDone }: { onDone(): void }) {
  const t = useMessages(M);
  const [form, setForm] = useState<ObjectionForm>(EMPTY);
  const [shown, setShown] = useState<Problems<keyof ObjectionForm>>({});
  const raise = useMutation<{ raiseObjection: { id: string; provider: string; dueDate: string } }>(Q.RAISE_OBJECTION);
  const set = (key: keyof ObjectionForm) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = validateObjection(form);
    setShown(problems);
    if (Object.keys(problems).length) return;
    const done = await raise.run({
      input: {
        coordinate: form.coordinate.trim(), entityKey: form.entityKey.trim(), description: form.description.trim(),
        observedValue: form.observedValue.trim() || null, expectedValue: form.expectedValue.trim() || null,
      },
    });
    if (done) {
      setForm(EMPTY);
      onDone();
    }
  };
  return (
    <details className="panel">
      <summary>{t('flagADatumAs')}</summary>
      {raise.result && <Notice kind="success">{t('objection')} {raise.result.raiseObjection.id} {t('sentTo')} {raise.result.raiseObjection.provider}{t('verificationDue')} {raise.result.raiseObjection.dueDate}.</Notice>}
      <ErrorBox error={raise.error} title={t('theObjectionWasNot')} />
      <form className="form" onSubmit={submit} noValidate>
        <div className="field-row">
          <Field label={t('field')} htmlFor="obj-coordinate" error={shown.coordinate} hint={t('eGPersonHouseholdaddress')}>
            <input id="obj-coordinate" value={form.coordinate} onChange={set('coordinate')} />
          </Field>
          <Field label={t('recordKey')} htmlFor="obj-key" error={shown.entityKey} hint={t('idnumberCreditcodeUnitnoOr')}>
            <input id="obj-key" value={form.entityKey} onChange={set('entityKey')} />
          </Field>
        </div>
        <div className="field-row">
          <Field label={t('valueSeenOptional')} htmlFor="obj-observed"><input id="obj-observed" value={form.observedValue} onChange={set('observedValue')} /></Field>
          <Field label={t('valueExpectedOptional')} htmlFor="obj-expected"><input id="obj-expected" value={form.expectedValue} onChange={set('expectedValue')} /></Field>
        </div>
        <Field label={t('whatIsWrong')} htmlFor="obj-description" error={shown.description}>
          <textarea id="obj-description" rows={2} value={form.description} onChange={set('description')} />
        </Field>
        <button type="submit" disabled={raise.busy}>{t('raiseObjection')}</button>
      </form>
    </details>
  );
}
