/** Apply for conditional fields (R5): purpose (R6), justification, legal basis and the period wanted. */
import { useState, type FormEvent } from 'react';
import { hrefOf } from '../routes.ts';
import * as Q from '../queries.ts';
import { parseCoordinates, validateApplication, type ApplyForm, type Problems } from '../forms.ts';
import { ErrorBox, Field, Notice, Options, PageHeader, addDays, chinaToday, useMutation, useSession } from '../ui.tsx';
import { useSettingValues } from './deadlines.tsx';

interface Created { id: string; provider: string; status: string; dueDate: string | null; decisionReason: string | null; fields: { coordinate: string }[] }

export function ApplyPage({ query }: { query: Readonly<Record<string, string>> }) {
  const { session, departmentName } = useSession();
  const today = chinaToday();
  const [form, setForm] = useState<ApplyForm>({
    coordinates: (query.coordinates ?? '').split(',').join('\n'),
    purpose: query.purpose ?? '',
    justification: '',
    legalBasis: '',
    caseRef: '',
    requestedFrom: '',
    requestedUntil: addDays(today, 365),
  });
  const [shown, setShown] = useState<Problems<keyof ApplyForm>>({});
  const apply = useMutation<{ applyForAccess: Created[] }>(Q.APPLY);
  const { answerDays, maxGrantDays } = useSettingValues();
  const purposes = session.purposes.map((p) => p.code);
  const set = (key: keyof ApplyForm) => (e: { target: { value: string } }) => {
    setForm({ ...form, [key]: e.target.value });
    if (shown[key]) setShown({ ...shown, [key]: undefined });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = validateApplication(form, purposes, today, maxGrantDays);
    setShown(problems);
    if (Object.keys(problems).length) return;
    const done = await apply.run({
      input: {
        coordinates: parseCoordinates(form.coordinates),
        purpose: form.purpose,
        justification: form.justification.trim(),
        legalBasis: form.legalBasis.trim(),
        caseRef: form.caseRef.trim() || null,
        requestedFrom: form.requestedFrom || null,
        requestedUntil: form.requestedUntil,
      },
    });
    if (done) setForm({ ...form, coordinates: '', justification: '', caseRef: '' });
  };

  return (
    <section>
      <PageHeader title="Apply for access">
        Conditional fields are shared once their provider agrees. The provider answers within {answerDays} working days (R5); what stays
        unanswered or is contested goes to the coordinating office. Use the data for the stated purpose only (R6).
      </PageHeader>
      {apply.result && (
        <Notice kind="success" testId="apply-success">
          <strong>Application submitted.</strong> One application is made per providing department:
          <ul>
            {apply.result.applyForAccess.map((a) => (
              <li key={a.id}>
                <a href={hrefOf('applications', [a.id])} data-testid="created-application">{a.id}</a> to {a.provider} ({departmentName(a.provider)}) for{' '}
                {a.fields.map((f) => f.coordinate).join(', ')} — <strong>{a.status}</strong>
                {a.dueDate && <> · answer due {a.dueDate}</>}
                {a.decisionReason && <div className="muted">{a.decisionReason}</div>}
              </li>
            ))}
          </ul>
          <a href={hrefOf('applications', [], { role: 'CONSUMER' })}>See all my applications</a>
        </Notice>
      )}
      <ErrorBox error={apply.error} title="The application was not submitted" />
      <form className="form" onSubmit={submit} noValidate data-testid="apply-form">
        <Field label="Fields" htmlFor="coordinates" error={shown.coordinates} hint="One field coordinate per line, e.g. Person.householdAddress. Fields of several providers make one application each.">
          <textarea id="coordinates" rows={3} value={form.coordinates} onChange={set('coordinates')} />
        </Field>
        <Field label="Purpose of use" htmlFor="purpose" error={shown.purpose}>
          <select id="purpose" value={form.purpose} onChange={set('purpose')}>
            <Options values={purposes} labels={(c) => `${c} — ${session.purposes.find((p) => p.code === c)?.name ?? ''}`} blank="choose…" />
          </select>
        </Field>
        <Field label="Justification" htmlFor="justification" error={shown.justification} hint="Which duty or matter needs the data, and why these fields.">
          <textarea id="justification" rows={3} value={form.justification} onChange={set('justification')} />
        </Field>
        <Field label="Legal basis" htmlFor="legalBasis" error={shown.legalBasis} hint="e.g. 《社会救助暂行办法》第十一条">
          <input id="legalBasis" value={form.legalBasis} onChange={set('legalBasis')} />
        </Field>
        <Field label="Case reference (optional)" htmlFor="caseRef" error={shown.caseRef}>
          <input id="caseRef" value={form.caseRef} onChange={set('caseRef')} />
        </Field>
        <div className="field-row">
          <Field label="From (optional)" htmlFor="requestedFrom" error={shown.requestedFrom} hint={`default today, ${today}`}>
            <input id="requestedFrom" type="date" value={form.requestedFrom} onChange={set('requestedFrom')} />
          </Field>
          <Field label="Until" htmlFor="requestedUntil" error={shown.requestedUntil} hint="at most three years">
            <input id="requestedUntil" type="date" value={form.requestedUntil} onChange={set('requestedUntil')} />
          </Field>
        </div>
        <div className="actions">
          <button type="submit" disabled={apply.busy} data-testid="apply-submit">{apply.busy ? 'Submitting…' : 'Submit application'}</button>
        </div>
      </form>
    </section>
  );
}
