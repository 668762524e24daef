/** The audit trail (R10): who read what, for which purpose and case, and every administrative action. */
import { useEffect, useState, type FormEvent } from 'react';
import * as Q from '../queries.ts';
import type { AuditRecord } from '../types.ts';
import { Badge, Coordinate, DataTable, DownloadButton, ErrorBox, Loading, Options, PageHeader, formatTime, useSession } from '../ui.tsx';

interface Filter {
  kind: string; consumer: string; app: string; field: string; outcome: string; keyKind: string; keyValue: string;
  purpose: string; caseId: string; requestId: string; from: string; to: string; limit: string; order: string;
}

const EMPTY: Filter = { kind: '', consumer: '', app: '', field: '', outcome: '', keyKind: '', keyValue: '', purpose: '', caseId: '', requestId: '', from: '', to: '', limit: '50', order: 'desc' };

/** The form as the API's AuditFilter: blank inputs are left out; datetime-local inputs become ISO instants. */
function filterInput(f: Filter, after: number | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['kind', 'consumer', 'app', 'field', 'outcome', 'keyKind', 'keyValue', 'purpose', 'caseId', 'requestId', 'order'] as const) {
    if (f[key].trim()) out[key] = f[key].trim();
  }
  if (f.from) out.from = new Date(f.from).toISOString();
  if (f.to) out.to = new Date(f.to).toISOString();
  out.limit = Math.min(Math.max(Number(f.limit) || 50, 1), 1000);
  if (after !== null) out.after = after;
  return out;
}

interface Parsed {
  credentialId?: string; operationName?: string | null; requested?: string[]; denied?: string[]; keys?: { kind: string; value: string }[];
  subgraphs?: string[]; status?: number | null; latencyMs?: number | null; action?: string | null; target?: string | null; reason?: string | null;
}

function parse(json: string): Parsed {
  try {
    return JSON.parse(json) as Parsed;
  } catch {
    return {};
  }
}

function Summary({ record }: { record: AuditRecord }) {
  const r = parse(record.json);
  if (record.kind === 'ADMIN') {
    return <span><strong>{r.action}</strong>{r.target ? <> on <code>{r.target}</code></> : null}{r.reason ? <> — {r.reason}</> : null}</span>;
  }
  return (
    <span>
      {r.requested?.length ?? 0} field(s) requested{r.denied?.length ? <>, denied: {r.denied.map((d) => <Coordinate key={d} value={d} />)}</> : ', none denied'}
      {r.keys?.length ? <div className="muted">keys: {r.keys.map((k) => `${k.kind} ${k.value}`).join(', ')}</div> : null}
      <div className="muted">HTTP {r.status ?? '—'} · {r.latencyMs ?? '—'} ms · {(r.subgraphs ?? []).join(', ') || 'no subgraph'}</div>
    </span>
  );
}

export function AuditPage() {
  const { session, request } = useSession();
  const [form, setForm] = useState<Filter>(EMPTY);
  const [pages, setPages] = useState<{ records: AuditRecord[]; next: number | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (key: keyof Filter) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });

  const load = async (after: number | null) => {
    setBusy(true);
    setError(null);
    try {
      const data = await request<{ auditRecords: { records: AuditRecord[]; next: number | null } }>(Q.AUDIT, { filter: filterInput(form, after) });
      setPages((prev) => ({ records: after !== null && prev ? [...prev.records, ...data.auditRecords.records] : data.auditRecords.records, next: data.auditRecords.next }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  // The newest records at once: that is what someone opening the audit trail wants first.
  useEffect(() => {
    void load(null);
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void load(null);
  };

  return (
    <section>
      <PageHeader title="Audit trail">
        {session.me.kind === 'PLATFORM_ADMIN'
          ? 'Every access through the gateway and every administrative action on the platform.'
          : 'Accesses to your department\'s data, requests by your own apps, and your department\'s administrative actions.'}
        {' '}Records are hash-chained: none can be changed or removed unnoticed.
      </PageHeader>
      <form className="panel form audit-filter" onSubmit={submit} noValidate data-testid="audit-filter">
        <div className="field-grid">
          <label>Kind <select value={form.kind} onChange={set('kind')} data-testid="audit-kind"><Options values={['ACCESS', 'ADMIN']} blank="any" /></select></label>
          <label>Consumer department <select value={form.consumer} onChange={set('consumer')}><Options values={session.departments.map((d) => d.code)} blank="any" /></select></label>
          <label>App (credential id) <input value={form.app} onChange={set('app')} /></label>
          <label>Field <input value={form.field} onChange={set('field')} placeholder="Person.householdAddress" data-testid="audit-field" /></label>
          <label>Outcome (with field) <select value={form.outcome} onChange={set('outcome')}><Options values={['RETURNED', 'DENIED']} blank="any" /></select></label>
          <label>Record key kind <select value={form.keyKind} onChange={set('keyKind')}><Options values={['idNumber', 'creditCode', 'unitNo', 'licenceNo']} blank="—" /></select></label>
          <label>Record key <input value={form.keyValue} onChange={set('keyValue')} placeholder="440106…" /></label>
          <label>Purpose <select value={form.purpose} onChange={set('purpose')}><Options values={session.purposes.map((p) => p.code)} blank="any" /></select></label>
          <label>Case id <input value={form.caseId} onChange={set('caseId')} /></label>
          <label>Request id <input value={form.requestId} onChange={set('requestId')} /></label>
          <label>From <input type="datetime-local" value={form.from} onChange={set('from')} /></label>
          <label>To <input type="datetime-local" value={form.to} onChange={set('to')} /></label>
          <label>Per page <input type="number" min={1} max={1000} value={form.limit} onChange={set('limit')} /></label>
          <label>Order <select value={form.order} onChange={set('order')}><Options values={['desc', 'asc']} labels={(o) => (o === 'desc' ? 'newest first' : 'oldest first')} /></select></label>
        </div>
        <div className="actions">
          <button type="submit" disabled={busy} data-testid="audit-search">Search</button>
          <button type="button" className="link" onClick={() => setForm(EMPTY)}>Reset</button>
        </div>
      </form>
      <ErrorBox error={error} title="The audit trail could not be searched" />
      {busy && !pages && <Loading what="audit records" />}
      {pages && (
        <>
          <p className="summary">
            <span data-testid="audit-count">{pages.records.length} record(s)</span>
            {pages.records.length > 0 && <DownloadButton text={`${pages.records.map((r) => r.json).join('\n')}\n`} filename="audit-records.jsonl" type="application/x-ndjson" label="Download JSON lines" />}
          </p>
          <DataTable
            testId="audit-table"
            rows={pages.records}
            rowKey={(r) => String(r.seq)}
            rowTestId={(r) => `audit-${r.seq}`}
            empty="No audit record matches."
            columns={[
              { header: '#', render: (r) => r.seq },
              { header: 'Time', className: 'nowrap', render: (r) => formatTime(r.time) },
              { header: 'Kind', render: (r) => <Badge value={r.kind} /> },
              { header: 'Department', render: (r) => <>{r.department ?? '—'}<div className="muted"><code>{parse(r.json).credentialId ?? ''}</code></div></> },
              { header: 'Purpose · case', render: (r) => <>{r.purpose ?? '—'}{r.caseId ? <div className="muted">{r.caseId}</div> : null}</> },
              { header: 'What', render: (r) => <Summary record={r} /> },
              { header: 'Record', render: (r) => <details><summary>JSON</summary><pre className="json">{JSON.stringify(parse(r.json), null, 2)}</pre></details> },
            ]}
          />
          {pages.next !== null && <button type="button" className="secondary" disabled={busy} onClick={() => load(pages.next)} data-testid="audit-more">{busy ? 'Loading…' : 'Load more'}</button>}
        </>
      )}
    </section>
  );
}
