/**
 * Field refusals in the console (R5; 000 art. 13): the provider's legal ground and text for
 * each field it leaves out of an approval; each refused field's reason for the consumer, who
 * may contest that field alone; and the coordinating office's decision on one contested field.
 */
import { useState, type ReactNode } from 'react';
import * as Q from '../queries.ts';
import { requireText } from '../forms.ts';
import { REFUSAL_GROUNDS, type Application, type ApplicationField, type RefusalGround } from '../types.ts';
import { Badge, Coordinate, DataTable, ErrorBox, Field, Options, useMutation, useSession } from '../ui.tsx';
import { defineMessages } from '../i18n/defineMessages.ts';
import { messagesNow, useMessages } from '../i18n/I18nProvider.tsx';

const M = defineMessages('fieldRefusals', {
  lawExample: '《中华人民共和国个人信息保护法》第二十八条',
  untilDate: '（至 {date}）',
  stateSecret: '国家秘密',
  personalPrivacy: '个人隐私',
  commercialSecret: '商业秘密',
  aNamedLawOr: '法律法规',
  otherLegalReason: '其他',
  chooseTheLegalGround: '请选择不予共享该字段的法律依据。',
  nameTheLawOr: '请写明法律或法规名称。',
  sayWhyThisField: '请说明不予共享该字段的理由。',
  whyEachFieldLeft: '未纳入的每个字段不予共享的理由（R5）',
  legalGround: '法律依据',
  choose: '请选择…',
  lawOrRegulation: '法律或法规',
  reason: '理由',
  notContested: '未提出异议',
  contestedWithTheCoordinating: '已提出异议：协调办公室处理中',
  grantedOnArbitration: '仲裁准予',
  refusalUpheld: '维持拒绝',
  refusedFields: '被拒绝的字段',
  noFieldWasRefused: '没有字段被拒绝。',
  field: '字段',
  granted: '已准予',
  refusal: '拒绝理由',
  contest: '提出异议',
  sayWhyTheCoordinating: '请说明协调办公室为何应重新考虑该字段。',
  theContestWasNot: '异议未记录',
  contestThisFieldWhy: '对该字段提出异议：协调办公室为何应重新考虑？',
  contestThisField: '对该字段提出异议',
  anArbitrationStatesIts: '仲裁须说明理由。',
  theDecisionWasNot: '决定未记录',
  validUntilOptionalIf: '有效期至（可选，准予时填写）',
  defaultAsAsked: '默认：按申请，{v0}',
  grantThisField: '准予该字段',
  upholdRefusal: '维持拒绝',
}, {
  lawExample: 'Personal Information Protection Law of the PRC, art. 28',
  untilDate: '(until {date})',
  stateSecret: 'state secret',
  personalPrivacy: 'personal privacy',
  commercialSecret: 'commercial secret',
  aNamedLawOr: 'a named law or regulation',
  otherLegalReason: 'other legal reason',
  chooseTheLegalGround: 'Choose the legal ground for not sharing this field.',
  nameTheLawOr: 'Name the law or regulation.',
  sayWhyThisField: 'Say why this field is not shared.',
  whyEachFieldLeft: 'Why each field left out is not shared (R5)',
  legalGround: 'Legal ground',
  choose: 'choose…',
  lawOrRegulation: 'Law or regulation',
  reason: 'Reason',
  notContested: 'not contested',
  contestedWithTheCoordinating: 'contested: with the coordinating office',
  grantedOnArbitration: 'granted on arbitration',
  refusalUpheld: 'refusal upheld',
  refusedFields: 'Refused fields',
  noFieldWasRefused: 'No field was refused.',
  field: 'Field',
  granted: 'granted',
  refusal: 'Refusal',
  contest: 'Contest',
  sayWhyTheCoordinating: 'Say why the coordinating office should reconsider this field.',
  theContestWasNot: 'The contest was not recorded',
  contestThisFieldWhy: 'Contest this field: why should the coordinating office reconsider?',
  contestThisField: 'Contest this field',
  anArbitrationStatesIts: 'An arbitration states its reason.',
  theDecisionWasNot: 'The decision was not recorded',
  validUntilOptionalIf: 'Valid until (optional, if granted)',
  defaultAsAsked: 'default: as asked, {v0}',
  grantThisField: 'Grant this field',
  upholdRefusal: 'Uphold refusal',
});

/** The catalogue key naming each legal ground for not sharing (R5). */
const REFUSAL_GROUND_KEY = {
  STATE_SECRET: 'stateSecret',
  PERSONAL_PRIVACY: 'personalPrivacy',
  COMMERCIAL_SECRET: 'commercialSecret',
  LAW_OR_REGULATION: 'aNamedLawOr',
  OTHER: 'otherLegalReason',
} as const satisfies Record<RefusalGround, string>;

export interface RefusalDraft { ground: RefusalGround | ''; lawName: string; text: string }
const EMPTY: RefusalDraft = { ground: '', lawName: '', text: '' };

/** What one refusal lacks, or undefined. */
function refusalProblem(draft: RefusalDraft): string | undefined {
  const t = messagesNow(M);
  if (!draft.ground) return t('chooseTheLegalGround');
  if (draft.ground === 'LAW_OR_REGULATION' && !draft.lawName.trim()) return t('nameTheLawOr');
  return requireText(draft.text, t('sayWhyThisField'));
}

/**
 * The refusals of the fields an approval leaves out: a ground and text for each (and the law's
 * name with LAW_OR_REGULATION). `check()` shows what is missing and returns the input for the
 * API, or null.
 */
export function useRefusals(prefix: string, leftOut: readonly string[]) {
  const t = useMessages(M);
  const [drafts, setDrafts] = useState<Record<string, RefusalDraft>>({});
  const [problems, setProblems] = useState<Record<string, string | undefined>>({});
  const draftOf = (c: string) => drafts[c] ?? EMPTY;
  const set = (c: string, change: Partial<RefusalDraft>) => setDrafts({ ...drafts, [c]: { ...draftOf(c), ...change } });
  const input = (c: string) => {
    const d = draftOf(c);
    return { coordinate: c, ground: d.ground, lawName: d.ground === 'LAW_OR_REGULATION' ? d.lawName.trim() : null, text: d.text.trim() };
  };
  return {
    /** For an approval: every field left out needs its refusal. */
    check(): ReturnType<typeof input>[] | null {
      const found = Object.fromEntries(leftOut.map((c) => [c, refusalProblem(draftOf(c))]));
      setProblems(found);
      return Object.values(found).some(Boolean) ? null : leftOut.map(input);
    },
    /** For a rejection: the refusals the provider completed (the rest are refused with the rejection's reason). */
    completed: () => leftOut.filter((c) => !refusalProblem(draftOf(c))).map(input),
    element: leftOut.length === 0 ? null : (
      <fieldset data-testid={`${prefix}-refusals`}>
        <legend>{t('whyEachFieldLeft')}</legend>
        {leftOut.map((c) => {
          const d = draftOf(c);
          const id = `${prefix}-refusal-${c}`;
          return (
            <div key={c} className="refusal" data-testid={id}>
              <Coordinate value={c} />
              <Field label={t('legalGround')} htmlFor={`${id}-ground`} error={problems[c]}>
                <select id={`${id}-ground`} value={d.ground} onChange={(e) => set(c, { ground: e.target.value as RefusalGround })} data-testid={`${id}-ground`}>
                  <Options values={REFUSAL_GROUNDS} labels={(g) => `${t(REFUSAL_GROUND_KEY[g as RefusalGround])} (${g})`} blank={t('choose')} />
                </select>
              </Field>
              {d.ground === 'LAW_OR_REGULATION' && (
                <Field label={t('lawOrRegulation')} htmlFor={`${id}-law`}>
                  <input id={`${id}-law`} value={d.lawName} onChange={(e) => set(c, { lawName: e.target.value })} placeholder={t('lawExample')} data-testid={`${id}-law`} />
                </Field>
              )}
              <Field label={t('reason')} htmlFor={`${id}-text`}>
                <textarea id={`${id}-text`} rows={2} value={d.text} onChange={(e) => set(c, { text: e.target.value })} data-testid={`${id}-text`} />
              </Field>
            </div>
          );
        })}
      </fieldset>
    ),
  };
}

function RefusalText({ field }: { field: ApplicationField }) {
  const t = useMessages(M);
  const r = field.refusal;
  if (!r) return <span className="muted">—</span>;
  return (
    <span data-testid={`refusal-${field.coordinate}`}>
      <Badge value={r.ground} label={t(REFUSAL_GROUND_KEY[r.ground])} /> {r.lawName && <span className="basis">{r.lawName}</span>} {r.text}
    </span>
  );
}

function ContestState({ field }: { field: ApplicationField }) {
  const t = useMessages(M);
  const c = field.contest;
  if (!c) return <span className="muted">{t('notContested')}</span>;
  return (
    <span data-testid={`contest-${field.coordinate}`}>
      <Badge value={c.status} label={{ OPEN: t('contestedWithTheCoordinating'), GRANTED: t('grantedOnArbitration'), UPHELD: t('refusalUpheld') }[c.status]} />
      {' '}{c.reason}{c.decisionReason && <> — <em>{c.decisionReason}</em></>}{c.grantedUntil && ` ${t('untilDate', { date: c.grantedUntil })}`}
    </span>
  );
}

/**
 * The refused fields of an application with their reasons; the consumer contests one (only
 * after a partial approval, once); the coordinating office decides an open contest.
 */
export function RefusedFields({ application: a, onDone }: { application: Application; onDone(): void }) {
  const t = useMessages(M);
  const { session } = useSession();
  const me = session.me;
  const refused = a.fields.filter((f) => f.refusal || f.contest);
  if (refused.length === 0) return null;
  const isConsumer = me.department === a.consumer && me.kind !== 'PLATFORM_ADMIN';
  const action = (f: ApplicationField): ReactNode => {
    if (isConsumer && a.status === 'APPROVED' && f.refusal && !f.contest) return <ContestField application={a} coordinate={f.coordinate} onDone={onDone} />;
    if (me.kind === 'PLATFORM_ADMIN' && f.contest?.status === 'OPEN') return <ArbitrateField application={a} coordinate={f.coordinate} onDone={onDone} />;
    return null;
  };
  return (
    <div className="panel" data-testid="refused-fields">
      <h2>{t('refusedFields')}</h2>
      <DataTable
        rows={refused}
        rowKey={(f) => f.coordinate}
        rowTestId={(f) => `refused-${f.coordinate}`}
        empty={t('noFieldWasRefused')}
        columns={[
          { header: t('field'), render: (f) => <><Coordinate value={f.coordinate} />{f.approved && <> <Badge value="GRANTED" label={t('granted')} /></>}</> },
          { header: t('refusal'), render: (f) => <RefusalText field={f} /> },
          { header: t('contest'), render: (f) => <><ContestState field={f} />{action(f)}</> },
        ]}
      />
    </div>
  );
}

function ContestField({ application, coordinate, onDone }: { application: Application; coordinate: string; onDone(): void }) {
  const t = useMessages(M);
  const contest = useMutation<unknown>(Q.CONTEST_FIELD);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const id = `contest-field-${coordinate}`;
  const submit = async () => {
    const p = requireText(reason, t('sayWhyTheCoordinating'));
    setProblem(p);
    if (!p && (await contest.run({ id: application.id, coordinate, reason: reason.trim() }))) onDone();
  };
  return (
    <form className="form" onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate data-testid={id}>
      <ErrorBox error={contest.error} title={t('theContestWasNot')} />
      <Field label={t('contestThisFieldWhy')} htmlFor={`${id}-reason`} error={problem}>
        <textarea id={`${id}-reason`} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} data-testid={`${id}-reason`} />
      </Field>
      <button type="submit" disabled={contest.busy} data-testid={`${id}-submit`}>{t('contestThisField')}</button>
    </form>
  );
}

function ArbitrateField({ application, coordinate, onDone }: { application: Application; coordinate: string; onDone(): void }) {
  const t = useMessages(M);
  const arbitrate = useMutation<unknown>(Q.ARBITRATE_FIELD);
  const [reason, setReason] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const id = `arbitrate-field-${coordinate}`;
  const decide = async (grant: boolean) => {
    const p = requireText(reason, t('anArbitrationStatesIts'));
    setProblem(p);
    if (!p && (await arbitrate.run({ id: application.id, coordinate, grant, reason: reason.trim(), validUntil: grant && validUntil ? validUntil : null }))) onDone();
  };
  return (
    <form className="form" onSubmit={(e) => e.preventDefault()} noValidate data-testid={id}>
      <ErrorBox error={arbitrate.error} title={t('theDecisionWasNot')} />
      <Field label={t('validUntilOptionalIf')} htmlFor={`${id}-until`} hint={t('defaultAsAsked', { v0: application.requestedUntil })}>
        <input id={`${id}-until`} type="date" value={validUntil} max={application.requestedUntil} onChange={(e) => setValidUntil(e.target.value)} />
      </Field>
      <Field label={t('reason')} htmlFor={`${id}-reason`} error={problem}>
        <textarea id={`${id}-reason`} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} data-testid={`${id}-reason`} />
      </Field>
      <div className="actions">
        <button type="button" disabled={arbitrate.busy} onClick={() => decide(true)} data-testid={`${id}-grant`}>{t('grantThisField')}</button>
        <button type="button" className="danger" disabled={arbitrate.busy} onClick={() => decide(false)} data-testid={`${id}-uphold`}>{t('upholdRefusal')}</button>
      </div>
    </form>
  );
}
