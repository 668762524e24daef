/** My access: what the caller's department may read, for which purposes, and what needs an application. */
import { useMemo, useState } from 'react';
import { hrefOf } from '../routes.ts';
import * as Q from '../queries.ts';
import type { FieldAccess, Grant } from '../types.ts';
import { defineMessages } from '../i18n/defineMessages.ts';
import { useMessages } from '../i18n/I18nProvider.tsx';
import { CodeBadge, PurposeList, PurposeName, ValidUntil, useLabels } from '../i18n/labels.tsx';
import { Async, Badge, Coordinate, DataTable, Options, PageHeader, formatTime, useQuery, useSession } from '../ui.tsx';

const STATUSES = ['READ', 'APPLY', 'NOT_SHARED', 'OWN'] as const;

const M = defineMessages('access', {
  title: '我的权限',
  intro: '{department} 可通过网关读取哪些字段、用于哪些申明的用途（R6），以及哪些有条件共享字段需向提供部门申请（R5）。不予共享的字段不会提供给其他部门（R1）。',
  loading: '您的权限',
  anyPurpose: '任何用途',
  search: '搜索',
  searchPlaceholder: '字段或数据项名称，如 户籍地址',
  status: '状态',
  provider: '提供部门',
  any: '全部',
  noMatch: '没有符合筛选条件的字段。',
  noFields: '策略中没有字段。',
  field: '字段（数据项）',
  sharingClass: '共享类别',
  readableFor: '可用于',
  canApplyFor: '可申请用途',
  conditions: '条件',
  actions: '操作',
  caseIdRequired: '须提供案件编号',
  rows: '行级：{condition}',
  rowsTitle: '仅限本辖区内的记录',
  apply: '申请',
  applyTitle: '申请读取 {field}',
  grantsHeld: '已获授权',
  grantsIntro: '每项授权允许本部门为一种用途读取一个有条件共享字段，直至到期或被提供部门撤销。',
  noGrants: '本部门尚无授权。',
  purpose: '用途',
  validFrom: '生效日期',
  validUntil: '有效期至',
  state: '状态',
  revokedOn: '已撤销 {time}',
}, {
  title: 'My access',
  intro: 'What {department} may read through the gateway, for which declared purposes (R6), and which conditional fields need an application to their provider (R5). Not-shared fields are never returned to another department (R1).',
  loading: 'your access',
  anyPurpose: 'any purpose',
  search: 'Search',
  searchPlaceholder: 'field or item name, e.g. Person.householdAddress',
  status: 'Status',
  provider: 'Provider',
  any: 'any',
  noMatch: 'No field matches the filters.',
  noFields: 'The policy lists no fields.',
  field: 'Field (item)',
  sharingClass: 'Sharing class',
  readableFor: 'Readable for',
  canApplyFor: 'Can apply for',
  conditions: 'Conditions',
  actions: 'Actions',
  caseIdRequired: 'case id required',
  rows: 'rows: {condition}',
  rowsTitle: 'only records within your jurisdiction',
  apply: 'Apply',
  applyTitle: 'Apply to read {field}',
  grantsHeld: 'Grants held',
  grantsIntro: 'Each grant lets your department read one conditional field for one purpose, until it expires or its provider revokes it.',
  noGrants: 'Your department holds no grants.',
  purpose: 'Purpose',
  validFrom: 'Valid from',
  validUntil: 'Valid until',
  state: 'State',
  revokedOn: 'revoked {time}',
});

/** A catalogue item's names (数据项名称), by field coordinate. */
type ItemNames = ReadonlyMap<string, { name: string; nameEn: string | null }>;

interface AccessData {
  myAccess: FieldAccess[];
  grants: Grant[];
  myCatalogue: { items: { coordinate: string; name: string; nameEn: string | null }[] }[];
}

/** The application form, prefilled with the field, and with the purpose when only one may be applied for. */
export function applyHref(coordinate: string, purposes: readonly string[]): string {
  return hrefOf('apply', [], { coordinates: coordinate, purpose: purposes.length === 1 ? purposes[0] : undefined });
}

/** A field's coordinate with its catalogue item name (数据项名称) above it. */
export function FieldWithName({ coordinate, names }: { coordinate: string; names: ItemNames }) {
  const { t } = useLabels();
  const item = names.get(coordinate);
  const name = item && (t.locale === 'en' ? item.nameEn || item.name : item.name);
  return <>{name && <span className="item-name" data-testid="item-name">{name}</span>}<Coordinate value={coordinate} /></>;
}

export function AccessPage() {
  const { session } = useSession();
  const t = useMessages(M);
  const { department } = useLabels();
  const value = useQuery<AccessData>(Q.MY_ACCESS, { consumer: session.me.department });
  const [text, setText] = useState('');
  const [status, setStatus] = useState('');
  const [provider, setProvider] = useState('');

  return (
    <section>
      <PageHeader title={t('title')}>
        {t.rich('intro', { department: <strong>{department(session.me.department)}</strong> })}
      </PageHeader>
      <Async value={value} what={t('loading')}>
        {(data) => <AccessTables data={data} text={text} status={status} provider={provider} setText={setText} setStatus={setStatus} setProvider={setProvider} />}
      </Async>
    </section>
  );
}

function AccessTables({ data, text, status, provider, setText, setStatus, setProvider }: {
  data: AccessData; text: string; status: string; provider: string;
  setText(v: string): void; setStatus(v: string): void; setProvider(v: string): void;
}) {
  const { session } = useSession();
  const t = useMessages(M);
  const { of, department } = useLabels();
  const names: ItemNames = useMemo(() => new Map(data.myCatalogue.flatMap((e) => e.items).map((i) => [i.coordinate, i])), [data]);
  // Listing every registered purpose on most rows hides the rows that differ.
  const purposes = (values: readonly string[]) => (values.length > 0 && values.length === session.purposes.length ? <span className="chip">{t('anyPurpose')}</span> : <PurposeList codes={values} />);
  const providers = useMemo(() => [...new Set(data.myAccess.map((f) => f.provider))].sort(), [data]);
  const needle = text.trim().toLowerCase();
  const matches = (f: FieldAccess) => {
    const item = names.get(f.coordinate);
    return [f.coordinate, item?.name, item?.nameEn].some((s) => s?.toLowerCase().includes(needle));
  };
  const rows = data.myAccess.filter((f) => (!status || f.status === status) && (!provider || f.provider === provider) && (!needle || matches(f)));
  const counts = Object.fromEntries(STATUSES.map((s) => [s, data.myAccess.filter((f) => f.status === s).length]));
  return (
    <>
      <p className="summary" data-testid="access-summary">
        {STATUSES.map((s) => (
          <button key={s} type="button" className={`summary-filter${status === s ? ' active' : ''}`} aria-pressed={status === s} onClick={() => setStatus(status === s ? '' : s)} data-testid={`access-count-${s}`}>
            <Badge value={s} label={of('access', s)} /> {counts[s]}
          </button>
        ))}
      </p>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>{t('search')} <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('searchPlaceholder')} data-testid="access-search" /></label>
        <label>{t('status')} <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="access-status"><Options values={STATUSES} labels={(s) => of('access', s)} blank={t('any')} /></select></label>
        <label>{t('provider')} <select value={provider} onChange={(e) => setProvider(e.target.value)}><Options values={providers} labels={(p) => `${department(p)} (${p})`} blank={t('any')} /></select></label>
      </form>
      <DataTable
        testId="access-table"
        rows={rows}
        rowKey={(f) => f.coordinate}
        rowTestId={(f) => `access-row-${f.coordinate}`}
        empty={data.myAccess.length ? t('noMatch') : t('noFields')}
        columns={[
          { header: t('field'), render: (f) => <><FieldWithName coordinate={f.coordinate} names={names} />{f.unclassified && <> <CodeBadge group="class" value="UNCLASSIFIED" /></>}</> },
          { header: t('provider'), render: (f) => <span title={f.provider}>{department(f.provider)}</span> },
          { header: t('sharingClass'), render: (f) => <CodeBadge group="class" value={f.sharingClass} showCode /> },
          { header: t('status'), render: (f) => <span data-testid="access-status" title={f.status}><Badge value={f.status} label={of('access', f.status)} /></span> },
          { header: t('readableFor'), render: (f) => <span data-testid="access-readable">{purposes(f.readableFor)}</span> },
          { header: t('canApplyFor'), render: (f) => <PurposeList codes={f.applicableFor} /> },
          {
            header: t('conditions'),
            render: (f) => (
              <span className="conditions">
                {f.caseIdRequired && <span className="chip">{t('caseIdRequired')}</span>}
                {f.rowCondition && <span className="chip" title={t('rowsTitle')}>{t('rows', { condition: f.rowCondition })}</span>}
                {f.basis && <span className="basis">{f.basis}</span>}
              </span>
            ),
          },
          {
            header: t('actions'),
            className: 'row-actions',
            render: (f) => f.applicableFor.length > 0
              ? <a className="button small" href={applyHref(f.coordinate, f.applicableFor)} title={t('applyTitle', { field: f.coordinate })} data-testid={`apply-${f.coordinate}`}>{t('apply')}</a>
              : null,
          },
        ]}
      />
      <h2>{t('grantsHeld')}</h2>
      <p className="muted">{t('grantsIntro')}</p>
      <DataTable
        testId="grants-table"
        rows={data.grants}
        rowKey={(g) => g.id}
        empty={t('noGrants')}
        columns={[
          { header: t('field'), render: (g) => <FieldWithName coordinate={g.coordinate} names={names} /> },
          { header: t('purpose'), render: (g) => <PurposeName code={g.purpose} /> },
          { header: t('validFrom'), className: 'nowrap', render: (g) => formatTime(g.validFrom) },
          { header: t('validUntil'), className: 'nowrap', render: (g) => <ValidUntil iso={g.validUntil} /> },
          { header: t('state'), render: (g) => (g.revokedAt ? <Badge value="revoked" label={t('revokedOn', { time: formatTime(g.revokedAt) })} /> : <CodeBadge group="status" value={g.active ? 'active' : 'inactive'} />) },
        ]}
      />
    </>
  );
}
