/** The audit trail (R10): who read what, for which purpose and case, and every administrative action. */
import { useEffect, useState, type FormEvent } from 'react';
import { maskCitizenIds } from '../format.ts';
import * as Q from '../queries.ts';
import type { AuditRecord } from '../types.ts';
import { Badge, Coordinate, DataTable, DownloadButton, ErrorBox, Loading, Options, PageHeader, formatTime, useSession } from '../ui.tsx';
import { defineMessages } from '../i18n/defineMessages.ts';
import { useMessages } from '../i18n/I18nProvider.tsx';

const M = defineMessages('audit', {
  any: '不限',
  on: '，对象',
  fieldSRequested: ' 个字段被请求',
  denied: '，被拒绝：',
  noneDenied: '，无拒绝',
  keys: '记录键：',
  noSubgraph: '未经子图',
  auditTrail: '审计日志',
  everyAccessThroughThe: '经网关的每次访问与平台上的每项管理操作。',
  accessesToYourDepartment: '对本部门数据的访问、本部门应用的请求，以及本部门的管理操作。',
  recordsAreHashChained: '记录以哈希链相连：任何修改或删除都会被发现。',
  kind: '类型',
  consumerDepartment: '使用部门',
  appCredentialId: '应用（凭证 ID）',
  field: '字段',
  outcomeWithField: '结果（含字段）',
  recordKeyKind: '记录键类型',
  recordKey: '记录键',
  purpose: '使用目的',
  caseId: '案件编号',
  requestId: '请求 ID',
  from: '起始时间',
  to: '截止时间',
  perPage: '每页条数',
  order: '排序',
  newestFirst: '最新在前',
  oldestFirst: '最早在前',
  search: '查询',
  reset: '重置',
  theAuditTrailCould: '无法查询审计日志',
  auditRecords: '审计记录',
  recordS: ' 条记录',
  downloadJsonLines: '下载 JSON Lines',
  noAuditRecordMatches: '没有符合条件的审计记录。',
  time: '时间',
  department: '部门',
  purposeCase: '使用目的 · 案件',
  what: '内容',
  record: '记录',
  loading: '正在加载…',
  loadMore: '加载更多',
}, {
  any: 'any',
  on: 'on',
  fieldSRequested: 'field(s) requested',
  denied: ', denied:',
  noneDenied: ', none denied',
  keys: 'keys:',
  noSubgraph: 'no subgraph',
  auditTrail: 'Audit trail',
  everyAccessThroughThe: 'Every access through the gateway and every administrative action on the platform.',
  accessesToYourDepartment: 'Accesses to your department\'s data, requests by your own apps, and your department\'s administrative actions.',
  recordsAreHashChained: 'Records are hash-chained: none can be changed or removed unnoticed.',
  kind: 'Kind',
  consumerDepartment: 'Consumer department',
  appCredentialId: 'App (credential id)',
  field: 'Field',
  outcomeWithField: 'Outcome (with field)',
  recordKeyKind: 'Record key kind',
  recordKey: 'Record key',
  purpose: 'Purpose',
  caseId: 'Case id',
  requestId: 'Request id',
  from: 'From',
  to: 'To',
  perPage: 'Per page',
  order: 'Order',
  newestFirst: 'newest first',
  oldestFirst: 'oldest first',
  search: 'Search',
  reset: 'Reset',
  theAuditTrailCould: 'The audit trail could not be searched',
  auditRecords: 'audit records',
  recordS: 'record(s)',
  downloadJsonLines: 'Download JSON lines',
  noAuditRecordMatches: 'No audit record matches.',
  time: 'Time',
  department: 'Department',
  purposeCase: 'Purpose · case',
  what: 'What',
  record: 'Record',
  loading: 'Loading…',
  loadMore: 'Load more',
});

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
  const t = useMessages(M);
  const r = parse(record.json);
  if (record.kind === 'ADMIN') {
    return <span><strong>{r.action}</strong>{r.target ? <> {t('on')} <code>{r.target}</code></> : null}{r.reason ? <> — {r.reason}</> : null}</span>;
  }
  return (
    <span>
      {r.requested?.length ?? 0} {t('fieldSRequested')}{r.denied?.length ? <>{t('denied')} {r.denied.map((d) => <Coordinate key={d} value={d} />)}</> : t('noneDenied')}
      {r.keys?.length ? <div className="muted">{t('keys')} {maskCitizenIds(r.keys.map((k) => `${k.kind} ${k.value}`).join(', '))}</div> : null}
      <div className="muted">HTTP {r.status ?? '—'} · {r.latencyMs ?? '—'} ms · {(r.subgraphs ?? []).join(', ') || t('noSubgraph')}</div>
    </span>
  );
}

export function AuditPage() {
  const t = useMessages(M);
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
      <PageHeader title={t('auditTrail')}>
        {session.me.kind === 'PLATFORM_ADMIN'
          ? t('everyAccessThroughThe')
          : t('accessesToYourDepartment')}
        {' '}{t('recordsAreHashChained')}
      </PageHeader>
      <form className="panel form audit-filter" onSubmit={submit} noValidate data-testid="audit-filter">
        <div className="field-grid">
          <label>{t('kind')} <select value={form.kind} onChange={set('kind')} data-testid="audit-kind"><Options values={['ACCESS', 'ADMIN']} blank={t('any')} /></select></label>
          <label>{t('consumerDepartment')} <select value={form.consumer} onChange={set('consumer')}><Options values={session.departments.map((d) => d.code)} blank={t('any')} /></select></label>
          <label>{t('appCredentialId')} <input value={form.app} onChange={set('app')} /></label>
          <label>{t('field')} <input value={form.field} onChange={set('field')} placeholder="Person.householdAddress" data-testid="audit-field" /></label>
          <label>{t('outcomeWithField')} <select value={form.outcome} onChange={set('outcome')}><Options values={['RETURNED', 'DENIED']} blank={t('any')} /></select></label>
          <label>{t('recordKeyKind')} <select value={form.keyKind} onChange={set('keyKind')}><Options values={['idNumber', 'creditCode', 'unitNo', 'licenceNo']} blank="—" /></select></label>
          <label>{t('recordKey')} <input value={form.keyValue} onChange={set('keyValue')} placeholder="440106…" /></label>
          <label>{t('purpose')} <select value={form.purpose} onChange={set('purpose')}><Options values={session.purposes.map((p) => p.code)} blank={t('any')} /></select></label>
          <label>{t('caseId')} <input value={form.caseId} onChange={set('caseId')} /></label>
          <label>{t('requestId')} <input value={form.requestId} onChange={set('requestId')} /></label>
          <label>{t('from')} <input type="datetime-local" value={form.from} onChange={set('from')} /></label>
          <label>{t('to')} <input type="datetime-local" value={form.to} onChange={set('to')} /></label>
          <label>{t('perPage')} <input type="number" min={1} max={1000} value={form.limit} onChange={set('limit')} /></label>
          <label>{t('order')} <select value={form.order} onChange={set('order')}><Options values={['desc', 'asc']} labels={(o) => (o === 'desc' ? t('newestFirst') : t('oldestFirst'))} /></select></label>
        </div>
        <div className="actions">
          <button type="submit" disabled={busy} data-testid="audit-search">{t('search')}</button>
          <button type="button" className="link" onClick={() => setForm(EMPTY)}>{t('reset')}</button>
        </div>
      </form>
      <ErrorBox error={error} title={t('theAuditTrailCould')} />
      {busy && !pages && <Loading what={t('auditRecords')} />}
      {pages && (
        <>
          <p className="summary">
            <span data-testid="audit-count">{pages.records.length} {t('recordS')}</span>
            {pages.records.length > 0 && <DownloadButton text={maskCitizenIds(`${pages.records.map((r) => r.json).join('\n')}\n`)} filename="audit-records.jsonl" type="application/x-ndjson" label={t('downloadJsonLines')} />}
          </p>
          <DataTable
            testId="audit-table"
            rows={pages.records}
            rowKey={(r) => String(r.seq)}
            rowTestId={(r) => `audit-${r.seq}`}
            empty={t('noAuditRecordMatches')}
            columns={[
              { header: '#', render: (r) => r.seq },
              { header: t('time'), className: 'nowrap', render: (r) => formatTime(r.time) },
              { header: t('kind'), render: (r) => <Badge value={r.kind} /> },
              { header: t('department'), render: (r) => <>{r.department ?? '—'}<div className="muted"><code>{parse(r.json).credentialId ?? ''}</code></div></> },
              { header: t('purposeCase'), render: (r) => <>{r.purpose ?? '—'}{r.caseId ? <div className="muted">{r.caseId}</div> : null}</> },
              { header: t('what'), render: (r) => <Summary record={r} /> },
              { header: t('record'), render: (r) => <details><summary>JSON</summary><pre className="json">{maskCitizenIds(JSON.stringify(parse(r.json), null, 2))}</pre></details> },
            ]}
          />
          {pages.next !== null && <button type="button" className="secondary" disabled={busy} onClick={() => load(pages.next)} data-testid="audit-more">{busy ? t('loading') : t('loadMore')}</button>}
        </>
      )}
    </section>
  );
}
