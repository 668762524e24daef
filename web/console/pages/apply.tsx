/** Apply for conditional fields (R5): purpose (R6), justification, legal basis and the period wanted. */
import { useState, type FormEvent } from 'react';
import { hrefOf } from '../routes.ts';
import * as Q from '../queries.ts';
import { APPLY_FORM_MESSAGES, parseCoordinates, validateApplication, type ApplyForm, type Problems } from '../forms.ts';
import { DateInput } from '../dateInput.tsx';
import { defineMessages } from '../i18n/defineMessages.ts';
import { useMessages } from '../i18n/I18nProvider.tsx';
import { useLabels } from '../i18n/labels.tsx';
import { ErrorBox, Field, Notice, Options, PageHeader, addDays, chinaToday, useMutation, useSession } from '../ui.tsx';
import { useSettingValues } from './deadlines.tsx';

const M = defineMessages('apply', {
  title: '申请共享',
  intro: '有条件共享的字段经提供部门同意后共享。提供部门应在 {days} 个工作日内答复（R5）；逾期未答复或有争议的，提请协调机构（电子政务办）处理。数据仅限用于申明的用途（R6）。',
  submitted: '申请已提交。',
  onePerProvider: '每个提供部门各形成一份申请：',
  toProvider: '提交 {provider}，字段 {fields}',
  due: '答复期限 {date}',
  seeAll: '查看我的全部申请',
  notSubmitted: '申请未提交',
  fields: '申请字段',
  fieldsHint: '每行一个字段坐标，如 Person.householdAddress。涉及多个提供部门的字段会分别形成申请。',
  purpose: '使用用途',
  choose: '请选择…',
  justification: '申请理由',
  justificationHint: '哪项职责或事项需要这些数据，为何需要这些字段。',
  legalBasis: '法律依据',
  legalBasisHint: '如《社会救助暂行办法》第十一条',
  caseRef: '案件编号（选填）',
  from: '起始日期（选填）',
  fromHint: '默认今天，{today}',
  until: '截止日期',
  untilHint: '最长三年，格式 YYYY-MM-DD',
  submitting: '正在提交…',
  submit: '提交申请',
}, {
  title: 'Apply for access',
  intro: 'Conditional fields are shared once their provider agrees. The provider answers within {days} working days (R5); what stays unanswered or is contested goes to the coordinating office. Use the data for the stated purpose only (R6).',
  submitted: 'Application submitted.',
  onePerProvider: 'One application is made per providing department:',
  toProvider: 'to {provider} for {fields}',
  due: 'answer due {date}',
  seeAll: 'See all my applications',
  notSubmitted: 'The application was not submitted',
  fields: 'Fields',
  fieldsHint: 'One field coordinate per line, e.g. Person.householdAddress. Fields of several providers make one application each.',
  purpose: 'Purpose of use',
  choose: 'choose…',
  justification: 'Justification',
  justificationHint: 'Which duty or matter needs the data, and why these fields.',
  legalBasis: 'Legal basis',
  legalBasisHint: 'e.g. 《社会救助暂行办法》第十一条',
  caseRef: 'Case reference (optional)',
  from: 'From (optional)',
  fromHint: 'default today, {today}',
  until: 'Until',
  untilHint: 'at most three years, YYYY-MM-DD',
  submitting: 'Submitting…',
  submit: 'Submit application',
});

interface Created { id: string; provider: string; status: string; dueDate: string | null; decisionReason: string | null; fields: { coordinate: string }[] }

export function ApplyPage({ query }: { query: Readonly<Record<string, string>> }) {
  const { session } = useSession();
  const t = useMessages(M);
  const formText = useMessages(APPLY_FORM_MESSAGES);
  const { purpose: purposeName, department, of } = useLabels();
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
  const set = (key: keyof ApplyForm) => (e: { target: { value: string } }) => setValue(key, e.target.value);
  const setValue = (key: keyof ApplyForm, value: string) => {
    setForm({ ...form, [key]: value });
    if (shown[key]) setShown({ ...shown, [key]: undefined });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = validateApplication(form, purposes, today, maxGrantDays, formText);
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
      <PageHeader title={t('title')}>{t('intro', { days: answerDays })}</PageHeader>
      {apply.result && (
        <Notice kind="success" testId="apply-success">
          <strong>{t('submitted')}</strong> {t('onePerProvider')}
          <ul>
            {apply.result.applyForAccess.map((a) => (
              <li key={a.id}>
                <a href={hrefOf('applications', [a.id])} data-testid="created-application">{a.id}</a>{' '}
                {t('toProvider', { provider: `${department(a.provider)} (${a.provider})`, fields: a.fields.map((f) => f.coordinate).join(', ') })} — <strong title={a.status} data-testid="created-status">{of('status', a.status)}</strong>
                {a.dueDate && <> · {t('due', { date: a.dueDate })}</>}
                {a.decisionReason && <div className="muted">{a.decisionReason}</div>}
              </li>
            ))}
          </ul>
          <a href={hrefOf('applications', [], { role: 'CONSUMER' })}>{t('seeAll')}</a>
        </Notice>
      )}
      <ErrorBox error={apply.error} title={t('notSubmitted')} />
      <form className="form" onSubmit={submit} noValidate data-testid="apply-form">
        <Field label={t('fields')} htmlFor="coordinates" error={shown.coordinates} hint={t('fieldsHint')}>
          <textarea id="coordinates" rows={3} value={form.coordinates} onChange={set('coordinates')} />
        </Field>
        <Field label={t('purpose')} htmlFor="purpose" error={shown.purpose}>
          <select id="purpose" value={form.purpose} onChange={set('purpose')}>
            <Options values={purposes} labels={(c) => `${purposeName(c)} (${c})`} blank={t('choose')} />
          </select>
        </Field>
        <Field label={t('justification')} htmlFor="justification" error={shown.justification} hint={t('justificationHint')}>
          <textarea id="justification" rows={3} value={form.justification} onChange={set('justification')} />
        </Field>
        <Field label={t('legalBasis')} htmlFor="legalBasis" error={shown.legalBasis} hint={t('legalBasisHint')}>
          <input id="legalBasis" value={form.legalBasis} onChange={set('legalBasis')} />
        </Field>
        <Field label={t('caseRef')} htmlFor="caseRef" error={shown.caseRef}>
          <input id="caseRef" value={form.caseRef} onChange={set('caseRef')} />
        </Field>
        <div className="field-row">
          <Field label={t('from')} htmlFor="requestedFrom" error={shown.requestedFrom} hint={t('fromHint', { today })}>
            <DateInput id="requestedFrom" value={form.requestedFrom} onChange={(v) => setValue('requestedFrom', v)} />
          </Field>
          <Field label={t('until')} htmlFor="requestedUntil" error={shown.requestedUntil} hint={t('untilHint')}>
            <DateInput id="requestedUntil" value={form.requestedUntil} onChange={(v) => setValue('requestedUntil', v)} />
          </Field>
        </div>
        <div className="actions">
          <button type="submit" disabled={apply.busy} data-testid="apply-submit">{apply.busy ? t('submitting') : t('submit')}</button>
        </div>
      </form>
    </section>
  );
}
