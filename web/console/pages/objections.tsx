/** Data objections (R9): a consumer flags a datum it believes wrong; the provider verifies and resolves it. */
import { useState, type FormEvent } from 'react';
import * as Q from '../queries.ts';
import { validateObjection, type ObjectionForm, type Problems } from '../forms.ts';
import type { Objection } from '../types.ts';
import { Async, Badge, Coordinate, DataTable, ErrorBox, Field, Notice, Options, PageHeader, formatTime, useMutation, useQuery, useSession } from '../ui.tsx';
import { CorrectionsToldOf, EscalatedObjections, Resolution, ResolveObjection } from './objectionFollowUps.tsx';
import { ProvisionalMark } from './calendar.tsx';

const STATUSES = ['OPEN', 'CORRECTED', 'CONFIRMED'] as const;
const EMPTY: ObjectionForm = { coordinate: '', entityKey: '', observedValue: '', expectedValue: '', description: '' };

export function ObjectionsPage({ query, navigate }: { query: Readonly<Record<string, string>>; navigate(query: Record<string, string | undefined>): void }) {
  const { session } = useSession();
  const status = query.status ?? '';
  const value = useQuery<{ objections: Objection[] }>(Q.OBJECTIONS, { status: status || null });
  const canRaise = session.me.kind !== 'PLATFORM_ADMIN';
  return (
    <section>
      <PageHeader title="Objections">
        Doubt and error feedback (R9): flag data you believe wrong; its collecting department verifies it, corrects or confirms it, and
        tells the departments that read it. The citizen's business goes on meanwhile.
      </PageHeader>
      {canRaise && <RaiseObjection onDone={value.reload} />}
      <h2>{session.me.kind === 'PLATFORM_ADMIN' ? 'All objections' : 'Raised by or about your department'}</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>Status <select value={status} onChange={(e) => navigate({ status: e.target.value })}><Options values={STATUSES} blank="any" /></select></label>
        <button type="button" className="secondary" onClick={value.reload}>Refresh</button>
      </form>
      <Async value={value} what="objections">
        {({ objections }) => (
          <DataTable
            testId="objections-table"
            rows={objections}
            rowKey={(o) => o.id}
            empty="No objections."
            columns={[
              { header: 'Raised', render: (o) => <>{formatTime(o.raisedAt)}<div className="muted">by {o.consumer}</div></> },
              { header: 'Field · record', render: (o) => <><Coordinate value={o.coordinate} /><div><code>{o.entityKey}</code></div></> },
              { header: 'Observed → expected', render: (o) => <>{o.observedValue ?? '—'} → {o.expectedValue ?? '—'}</> },
              { header: 'Description', render: (o) => o.description },
              { header: 'Provider', render: (o) => o.provider },
              { header: 'Status', render: (o) => <><Badge value={o.status} />{o.status === 'OPEN' ? <div className="muted">verify by {o.dueDate}<ProvisionalMark provisional={o.dueDateProvisional} /></div> : null}</> },
              { header: 'Resolution', render: (o) => (o.status === 'OPEN' ? <ResolveObjection objection={o} onDone={value.reload} /> : <Resolution objection={o} />) },
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
      <summary>Flag a datum as wrong</summary>
      {raise.result && <Notice kind="success">Objection {raise.result.raiseObjection.id} sent to {raise.result.raiseObjection.provider}; verification due {raise.result.raiseObjection.dueDate}.</Notice>}
      <ErrorBox error={raise.error} title="The objection was not raised" />
      <form className="form" onSubmit={submit} noValidate>
        <div className="field-row">
          <Field label="Field" htmlFor="obj-coordinate" error={shown.coordinate} hint="e.g. Person.householdAddress">
            <input id="obj-coordinate" value={form.coordinate} onChange={set('coordinate')} />
          </Field>
          <Field label="Record key" htmlFor="obj-key" error={shown.entityKey} hint="idNumber, creditCode, unitNo or licenceNo">
            <input id="obj-key" value={form.entityKey} onChange={set('entityKey')} />
          </Field>
        </div>
        <div className="field-row">
          <Field label="Value seen (optional)" htmlFor="obj-observed"><input id="obj-observed" value={form.observedValue} onChange={set('observedValue')} /></Field>
          <Field label="Value expected (optional)" htmlFor="obj-expected"><input id="obj-expected" value={form.expectedValue} onChange={set('expectedValue')} /></Field>
        </div>
        <Field label="What is wrong" htmlFor="obj-description" error={shown.description}>
          <textarea id="obj-description" rows={2} value={form.description} onChange={set('description')} />
        </Field>
        <button type="submit" disabled={raise.busy}>Raise objection</button>
      </form>
    </details>
  );
}
