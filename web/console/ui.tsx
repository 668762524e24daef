/**
 * Shared pieces of the console: the session context, data hooks over the management API, and
 * small presentational components (tables, badges, errors, form fields).
 */
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from './api.ts';
import type { Session } from './types.ts';
import { COMMON } from './i18n/common.ts';
import { useMessages } from './i18n/I18nProvider.tsx';

export { addDays, chinaToday, formatTime } from './format.ts';

// --- session -------------------------------------------------------------------------------

export interface SessionValue {
  readonly session: Session;
  /** Runs an operation with the session's token; a refused token ends the session. */
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  departmentName(code: string): string;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() is used outside <SessionContext.Provider>: render pages inside the signed-in shell');
  return value;
}

// --- data hooks ----------------------------------------------------------------------------

export type Loadable<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'error'; readonly error: unknown }
  | { readonly state: 'ok'; readonly data: T };

/**
 * Loads an operation and reloads it when `variables` change (compared as JSON, so callers can
 * pass object literals). A slower earlier answer never overwrites a later one.
 */
export function useQuery<T>(query: string, variables: Record<string, unknown> = {}, options: { skip?: boolean } = {}): Loadable<T> & { reload(): void } {
  const { request } = useSession();
  const [state, setState] = useState<Loadable<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(variables);
  const latest = useRef(0);
  useEffect(() => {
    if (options.skip) return;
    const id = ++latest.current;
    setState((s) => (s.state === 'ok' ? s : { state: 'loading' }));
    request<T>(query, JSON.parse(key) as Record<string, unknown>).then(
      (data) => id === latest.current && setState({ state: 'ok', data }),
      (error: unknown) => id === latest.current && setState({ state: 'error', error }),
    );
  }, [query, key, tick, request, options.skip]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

export interface Mutation<T> {
  readonly busy: boolean;
  readonly error: unknown;
  readonly result: T | null;
  run(variables: Record<string, unknown>): Promise<T | null>;
  reset(): void;
}

/** A mutation's state; run() resolves null on failure (the error is in `error`, for display). */
export function useMutation<T>(mutation: string): Mutation<T> {
  const { request } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<T | null>(null);
  const run = useCallback(async (variables: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      const data = await request<T>(mutation, variables);
      setResult(data);
      return data;
    } catch (e) {
      setError(e);
      setResult(null);
      return null;
    } finally {
      setBusy(false);
    }
  }, [mutation, request]);
  const reset = useCallback(() => {
    setError(null);
    setResult(null);
  }, []);
  return { busy, error, result, run, reset };
}

// --- components ----------------------------------------------------------------------------

/** Whether a text can be shown in the current language (pages not yet translated pass English `what`s). */
function speaks(locale: string, text: string): boolean {
  return locale === 'en' || /[\u3400-\u9fff]/.test(text);
}

export function Loading({ what }: { what?: string }) {
  const t = useMessages(COMMON);
  return <p className="loading" role="status" data-testid="loading">{what && speaks(t.locale, what) ? t('loadingWhat', { what }) : t('loading')}</p>;
}

/** An API (or other) error, with its code, as the API reported it. */
export function ErrorBox({ error, title }: { error: unknown; title?: string }) {
  const t = useMessages(COMMON);
  if (!error) return null;
  const details = error instanceof ApiError ? error.details : [{ message: error instanceof Error ? error.message : String(error), code: null }];
  return (
    <div className="error" role="alert" data-testid="error">
      <strong>{title && speaks(t.locale, title) ? title : t('refused')}</strong>
      <ul>
        {details.map((d, i) => (
          <li key={i}>
            {d.code && <code className="error-code" data-testid="error-code">{d.code}</code>} <span data-testid="error-message">{d.message}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Renders a Loadable: loading and error states, then `children(data)`. */
export function Async<T>({ value, what, children }: { value: Loadable<T>; what?: string; children: (data: T) => ReactNode }) {
  const t = useMessages(COMMON);
  if (value.state === 'loading') return <Loading what={what} />;
  if (value.state === 'error') return <ErrorBox error={value.error} title={t('couldNotLoad', { what: what && speaks(t.locale, what) ? what : t('thisPage') })} />;
  return <>{children(value.data)}</>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty" data-testid="empty">{children}</p>;
}

export function Notice({ kind = 'info', children, testId }: { kind?: 'info' | 'success' | 'warning'; children: ReactNode; testId?: string }) {
  return <div className={`notice notice-${kind}`} role={kind === 'success' ? 'status' : undefined} data-testid={testId}>{children}</div>;
}

const BADGE_TONE: Record<string, string> = {
  UNCONDITIONAL: 'green', CONDITIONAL: 'amber', NOT_SHARED: 'red',
  READ: 'green', APPLY: 'amber', OWN: 'blue',
  PENDING: 'amber', APPROVED: 'green', GRANTED_ON_ARBITRATION: 'green', REJECTED: 'red', REFUSED: 'red',
  UPHELD_ON_ARBITRATION: 'red', ESCALATED: 'purple', WITHDRAWN: 'grey',
  OPEN: 'amber', CORRECTED: 'green', CONFIRMED: 'blue', ACCEPTED: 'green',
  ACCESS: 'blue', ADMIN: 'purple', OVERRIDE: 'purple', SDL: 'grey', KEY: 'grey', UNCLASSIFIED: 'red',
  APP: 'blue', DEPARTMENT_ADMIN: 'purple', PLATFORM_ADMIN: 'red',
  healthy: 'green', unhealthy: 'red', active: 'green', inactive: 'grey', revoked: 'grey', expired: 'grey', upcoming: 'blue', closed: 'grey',
  PUBLISH: 'blue', ROLLBACK: 'purple', POLICY: 'blue', GRANT: 'green', BREAKING: 'red', passes: 'green', fails: 'red', unread: 'amber', OVERDUE: 'red', CONTESTED: 'purple',
};

export function Badge({ value, label }: { value: string; label?: string }) {
  return <span className={`badge badge-${BADGE_TONE[value] ?? 'grey'}`} data-testid="badge">{label ?? value}</span>;
}

export function Coordinate({ value }: { value: string }) {
  return <code className="coordinate">{value}</code>;
}

export function List({ values, empty = '—' }: { values: readonly string[]; empty?: string }) {
  if (values.length === 0) return <span className="muted">{empty}</span>;
  return <>{values.map((v) => <span key={v} className="chip">{v}</span>)}</>;
}

export interface Column<T> {
  readonly header: string;
  readonly render: (row: T) => ReactNode;
  readonly className?: string;
}

export function DataTable<T>({ rows, columns, rowKey, empty, testId, rowTestId, caption }: {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  empty: ReactNode;
  testId?: string;
  rowTestId?: (row: T) => string;
  caption?: string;
}) {
  if (rows.length === 0) return <Empty>{empty}</Empty>;
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>{columns.map((c) => <th key={c.header} scope="col" className={c.className}>{c.header}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} data-testid={rowTestId?.(row)}>
              {columns.map((c) => <td key={c.header} className={c.className}>{c.render(row)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Field({ label, error, hint, children, htmlFor }: { label: string; error?: string | undefined; hint?: ReactNode; children: ReactNode; htmlFor: string }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && !error && <small className="hint">{hint}</small>}
      {error && <small className="field-error" role="alert" data-testid={`invalid-${htmlFor}`}>{error}</small>}
    </div>
  );
}

/** Options of a <select> for purposes, departments and enums. */
export function Options({ values, labels, blank }: { values: readonly string[]; labels?: (v: string) => string; blank?: string }) {
  return (
    <>
      {blank !== undefined && <option value="">{blank}</option>}
      {values.map((v) => <option key={v} value={v}>{labels ? labels(v) : v}</option>)}
    </>
  );
}

export function PageHeader({ title, children, testId }: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <header className="page-header">
      <h1 data-testid={testId ?? 'page-title'}>{title}</h1>
      {children && <div className="page-intro">{children}</div>}
    </header>
  );
}

/**
 * A destructive or weighty action in two clicks, without window.confirm (which blocks the
 * page and is easy to click through).
 */
export function ConfirmButton({ label, confirmLabel, onConfirm, disabled, testId, className }: {
  label: string; confirmLabel: string; onConfirm: () => void; disabled?: boolean; testId?: string; className?: string;
}) {
  const [armed, setArmed] = useState(false);
  const t = useMessages(COMMON);
  if (!armed) return <button type="button" className={className ?? 'secondary'} disabled={disabled} onClick={() => setArmed(true)} data-testid={testId}>{label}</button>;
  return (
    <span className="confirm">
      <button type="button" className="danger" disabled={disabled} onClick={() => { setArmed(false); onConfirm(); }} data-testid={testId ? `${testId}-confirm` : undefined}>{confirmLabel}</button>
      <button type="button" className="link" onClick={() => setArmed(false)}>{t('cancel')}</button>
    </span>
  );
}

/**
 * A weighty action that states its reason, in two clicks: the first opens the reason, the
 * second (once a reason is given) runs it. `onConfirm` resolves true when the action succeeded,
 * which closes the form; otherwise it stays open with `error` shown as the API gave it.
 */
export function ReasonConfirm({ label, confirmLabel, reasonLabel, reasonRequired, onConfirm, busy, error, errorTitle, testId, className }: {
  label: string;
  confirmLabel: string;
  reasonLabel: string;
  /** The message when no reason is given. */
  reasonRequired: string;
  onConfirm: (reason: string) => Promise<boolean>;
  busy?: boolean;
  error?: unknown;
  errorTitle?: string;
  testId: string;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const t = useMessages(COMMON);
  if (!open) return <button type="button" className={className ?? 'secondary small'} disabled={busy} onClick={() => setOpen(true)} data-testid={testId}>{label}</button>;
  const confirm = async () => {
    const p = reason.trim() ? undefined : reasonRequired;
    setProblem(p);
    if (p) return;
    if (await onConfirm(reason.trim())) {
      setOpen(false);
      setReason('');
    }
  };
  const id = `${testId}-reason`;
  return (
    <div className="inline-form reason-confirm" data-testid={`${testId}-form`}>
      <ErrorBox error={error} title={errorTitle} />
      <label htmlFor={id}>{reasonLabel}</label>
      <textarea id={id} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} data-testid={id} autoFocus />
      {problem && <small className="field-error" role="alert" data-testid={`${testId}-invalid`}>{problem}</small>}
      <div className="actions">
        <button type="button" className="danger" disabled={busy} onClick={confirm} data-testid={`${testId}-confirm`}>{confirmLabel}</button>
        <button type="button" className="link" onClick={() => { setOpen(false); setProblem(undefined); }}>{t('cancel')}</button>
      </div>
    </div>
  );
}

/** Offers a text as a file download (evaluation reports, audit JSON), built in the browser. */
export function DownloadButton({ text, filename, type, label, testId }: { text: string; filename: string; type: string; label: string; testId?: string }) {
  const onClick = () => {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    // Let the download start before the object URL goes away.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return <button type="button" className="secondary" onClick={onClick} data-testid={testId}>{label}</button>;
}
