/** My access: what the caller's department may read, for which purposes, and what needs an application. */
import { useMemo, useState } from 'react';
import { hrefOf } from '../routes.ts';
import * as Q from '../queries.ts';
import type { FieldAccess, Grant } from '../types.ts';
import { Async, Badge, Coordinate, DataTable, List, Options, PageHeader, formatTime, useQuery, useSession } from '../ui.tsx';

const STATUSES = ['READ', 'APPLY', 'NOT_SHARED', 'OWN'] as const;
const STATUS_LABEL: Record<string, string> = { READ: 'readable', APPLY: 'needs application', NOT_SHARED: 'not shared', OWN: 'own data' };

/** The application form, prefilled with the field, and with the purpose when only one may be applied for. */
export function applyHref(coordinate: string, purposes: readonly string[]): string {
  return hrefOf('apply', [], { coordinates: coordinate, purpose: purposes.length === 1 ? purposes[0] : undefined });
}

export function AccessPage() {
  const { session, departmentName } = useSession();
  const value = useQuery<{ myAccess: FieldAccess[]; grants: Grant[] }>(Q.MY_ACCESS, { consumer: session.me.department });
  const [text, setText] = useState('');
  const [status, setStatus] = useState('');
  const [provider, setProvider] = useState('');

  return (
    <section>
      <PageHeader title="My access">
        What <strong>{departmentName(session.me.department)}</strong> may read through the gateway, for which declared purposes (R6),
        and which conditional fields need an application to their provider (R5). Not-shared fields are never returned to another department (R1).
      </PageHeader>
      <Async value={value} what="your access">
        {(data) => <AccessTables data={data} text={text} status={status} provider={provider} setText={setText} setStatus={setStatus} setProvider={setProvider} />}
      </Async>
    </section>
  );
}

function AccessTables({ data, text, status, provider, setText, setStatus, setProvider }: {
  data: { myAccess: FieldAccess[]; grants: Grant[] }; text: string; status: string; provider: string;
  setText(v: string): void; setStatus(v: string): void; setProvider(v: string): void;
}) {
  const { session, departmentName } = useSession();
  // Listing every registered purpose on most rows hides the rows that differ.
  const purposes = (values: readonly string[]) => (values.length > 0 && values.length === session.purposes.length ? <span className="chip">any purpose</span> : <List values={values} />);
  const providers = useMemo(() => [...new Set(data.myAccess.map((f) => f.provider))].sort(), [data]);
  const needle = text.trim().toLowerCase();
  const rows = data.myAccess.filter((f) => (!status || f.status === status) && (!provider || f.provider === provider) && (!needle || f.coordinate.toLowerCase().includes(needle)));
  const counts = Object.fromEntries(STATUSES.map((s) => [s, data.myAccess.filter((f) => f.status === s).length]));
  return (
    <>
      <p className="summary" data-testid="access-summary">
        {STATUSES.map((s) => (
          <button key={s} type="button" className={`summary-filter${status === s ? ' active' : ''}`} aria-pressed={status === s} onClick={() => setStatus(status === s ? '' : s)} data-testid={`access-count-${s}`}>
            <Badge value={s} label={STATUS_LABEL[s]} /> {counts[s]}
          </button>
        ))}
      </p>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>Search <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Person.householdAddress" data-testid="access-search" /></label>
        <label>Status <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="access-status"><Options values={STATUSES} labels={(s) => STATUS_LABEL[s] ?? s} blank="any" /></select></label>
        <label>Provider <select value={provider} onChange={(e) => setProvider(e.target.value)}><Options values={providers} labels={(p) => `${p} — ${departmentName(p)}`} blank="any" /></select></label>
      </form>
      <DataTable
        testId="access-table"
        rows={rows}
        rowKey={(f) => f.coordinate}
        rowTestId={(f) => `access-row-${f.coordinate}`}
        empty={data.myAccess.length ? 'No field matches the filters.' : 'The policy lists no fields.'}
        columns={[
          { header: 'Field', render: (f) => <><Coordinate value={f.coordinate} />{f.unclassified && <> <Badge value="UNCLASSIFIED" label="unclassified" /></>}</> },
          { header: 'Provider', render: (f) => <span title={departmentName(f.provider)}>{f.provider}</span> },
          { header: 'Sharing class', render: (f) => <Badge value={f.sharingClass} /> },
          { header: 'Status', render: (f) => <span data-testid="access-status"><Badge value={f.status} label={STATUS_LABEL[f.status]} /></span> },
          { header: 'Readable for', render: (f) => <span data-testid="access-readable">{purposes(f.readableFor)}</span> },
          { header: 'Can apply for', render: (f) => <List values={f.applicableFor} /> },
          {
            header: 'Conditions',
            render: (f) => (
              <span className="conditions">
                {f.caseIdRequired && <span className="chip">case id required</span>}
                {f.rowCondition && <span className="chip" title="only records within your jurisdiction">rows: {f.rowCondition}</span>}
                {f.basis && <span className="basis">{f.basis}</span>}
              </span>
            ),
          },
          {
            header: '',
            render: (f) => f.applicableFor.length > 0
              ? <a className="button small" href={applyHref(f.coordinate, f.applicableFor)} data-testid={`apply-${f.coordinate}`}>Apply</a>
              : null,
          },
        ]}
      />
      <h2>Grants held</h2>
      <p className="muted">Each grant lets your department read one conditional field for one purpose, until it expires or its provider revokes it.</p>
      <DataTable
        testId="grants-table"
        rows={data.grants}
        rowKey={(g) => g.id}
        empty="Your department holds no grants."
        columns={[
          { header: 'Field', render: (g) => <Coordinate value={g.coordinate} /> },
          { header: 'Purpose', render: (g) => g.purpose },
          { header: 'Valid from', className: 'nowrap', render: (g) => formatTime(g.validFrom) },
          { header: 'Valid until', className: 'nowrap', render: (g) => formatTime(g.validUntil) },
          { header: 'State', render: (g) => (g.revokedAt ? <Badge value="revoked" label={`revoked ${formatTime(g.revokedAt)}`} /> : <Badge value={g.active ? 'active' : 'inactive'} />) },
        ]}
      />
    </>
  );
}
