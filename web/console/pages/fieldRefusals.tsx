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

export const REFUSAL_GROUND_LABEL: Record<RefusalGround, string> = {
  STATE_SECRET: '国家秘密 (state secret)',
  PERSONAL_PRIVACY: '个人隐私 (personal privacy)',
  COMMERCIAL_SECRET: '商业秘密 (commercial secret)',
  LAW_OR_REGULATION: '法律法规 (a named law or regulation)',
  OTHER: '其他 (other legal reason)',
};

export interface RefusalDraft { ground: RefusalGround | ''; lawName: string; text: string }
const EMPTY: RefusalDraft = { ground: '', lawName: '', text: '' };

/** What one refusal lacks, or undefined. */
function refusalProblem(draft: RefusalDraft): string | undefined {
  if (!draft.ground) return 'Choose the legal ground for not sharing this field.';
  if (draft.ground === 'LAW_OR_REGULATION' && !draft.lawName.trim()) return 'Name the law or regulation.';
  return requireText(draft.text, 'Say why this field is not shared.');
}

/**
 * The refusals of the fields an approval leaves out: a ground and text for each (and the law's
 * name with LAW_OR_REGULATION). `check()` shows what is missing and returns the input for the
 * API, or null.
 */
export function useRefusals(prefix: string, leftOut: readonly string[]) {
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
        <legend>Why each field left out is not shared (R5)</legend>
        {leftOut.map((c) => {
          const d = draftOf(c);
          const id = `${prefix}-refusal-${c}`;
          return (
            <div key={c} className="refusal" data-testid={id}>
              <Coordinate value={c} />
              <Field label="Legal ground" htmlFor={`${id}-ground`} error={problems[c]}>
                <select id={`${id}-ground`} value={d.ground} onChange={(e) => set(c, { ground: e.target.value as RefusalGround })} data-testid={`${id}-ground`}>
                  <Options values={REFUSAL_GROUNDS} labels={(g) => REFUSAL_GROUND_LABEL[g as RefusalGround]} blank="choose…" />
                </select>
              </Field>
              {d.ground === 'LAW_OR_REGULATION' && (
                <Field label="Law or regulation" htmlFor={`${id}-law`}>
                  <input id={`${id}-law`} value={d.lawName} onChange={(e) => set(c, { lawName: e.target.value })} placeholder="《中华人民共和国个人信息保护法》第二十八条" data-testid={`${id}-law`} />
                </Field>
              )}
              <Field label="Reason" htmlFor={`${id}-text`}>
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
  const r = field.refusal;
  if (!r) return <span className="muted">—</span>;
  return (
    <span data-testid={`refusal-${field.coordinate}`}>
      <Badge value={r.ground} label={REFUSAL_GROUND_LABEL[r.ground]} /> {r.lawName && <span className="basis">{r.lawName}</span>} {r.text}
    </span>
  );
}

function ContestState({ field }: { field: ApplicationField }) {
  const c = field.contest;
  if (!c) return <span className="muted">not contested</span>;
  return (
    <span data-testid={`contest-${field.coordinate}`}>
      <Badge value={c.status} label={{ OPEN: 'contested: with the coordinating office', GRANTED: 'granted on arbitration', UPHELD: 'refusal upheld' }[c.status]} />
      {' '}{c.reason}{c.decisionReason && <> — <em>{c.decisionReason}</em></>}{c.grantedUntil && <> (until {c.grantedUntil})</>}
    </span>
  );
}

/**
 * The refused fields of an application with their reasons; the consumer contests one (only
 * after a partial approval, once); the coordinating office decides an open contest.
 */
export function RefusedFields({ application: a, onDone }: { application: Application; onDone(): void }) {
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
      <h2>Refused fields</h2>
      <DataTable
        rows={refused}
        rowKey={(f) => f.coordinate}
        rowTestId={(f) => `refused-${f.coordinate}`}
        empty="No field was refused."
        columns={[
          { header: 'Field', render: (f) => <><Coordinate value={f.coordinate} />{f.approved && <> <Badge value="GRANTED" label="granted" /></>}</> },
          { header: 'Refusal', render: (f) => <RefusalText field={f} /> },
          { header: 'Contest', render: (f) => <><ContestState field={f} />{action(f)}</> },
        ]}
      />
    </div>
  );
}

function ContestField({ application, coordinate, onDone }: { application: Application; coordinate: string; onDone(): void }) {
  const contest = useMutation<unknown>(Q.CONTEST_FIELD);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const id = `contest-field-${coordinate}`;
  const submit = async () => {
    const p = requireText(reason, 'Say why the coordinating office should reconsider this field.');
    setProblem(p);
    if (!p && (await contest.run({ id: application.id, coordinate, reason: reason.trim() }))) onDone();
  };
  return (
    <form className="form" onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate data-testid={id}>
      <ErrorBox error={contest.error} title="The contest was not recorded" />
      <Field label="Contest this field: why should the coordinating office reconsider?" htmlFor={`${id}-reason`} error={problem}>
        <textarea id={`${id}-reason`} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} data-testid={`${id}-reason`} />
      </Field>
      <button type="submit" disabled={contest.busy} data-testid={`${id}-submit`}>Contest this field</button>
    </form>
  );
}

function ArbitrateField({ application, coordinate, onDone }: { application: Application; coordinate: string; onDone(): void }) {
  const arbitrate = useMutation<unknown>(Q.ARBITRATE_FIELD);
  const [reason, setReason] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const id = `arbitrate-field-${coordinate}`;
  const decide = async (grant: boolean) => {
    const p = requireText(reason, 'An arbitration states its reason.');
    setProblem(p);
    if (!p && (await arbitrate.run({ id: application.id, coordinate, grant, reason: reason.trim(), validUntil: grant && validUntil ? validUntil : null }))) onDone();
  };
  return (
    <form className="form" onSubmit={(e) => e.preventDefault()} noValidate data-testid={id}>
      <ErrorBox error={arbitrate.error} title="The decision was not recorded" />
      <Field label="Valid until (optional, if granted)" htmlFor={`${id}-until`} hint={`default: as asked, ${application.requestedUntil}`}>
        <input id={`${id}-until`} type="date" value={validUntil} max={application.requestedUntil} onChange={(e) => setValidUntil(e.target.value)} />
      </Field>
      <Field label="Reason" htmlFor={`${id}-reason`} error={problem}>
        <textarea id={`${id}-reason`} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} data-testid={`${id}-reason`} />
      </Field>
      <div className="actions">
        <button type="button" disabled={arbitrate.busy} onClick={() => decide(true)} data-testid={`${id}-grant`}>Grant this field</button>
        <button type="button" className="danger" disabled={arbitrate.busy} onClick={() => decide(false)} data-testid={`${id}-uphold`}>Uphold refusal</button>
      </div>
    </form>
  );
}
