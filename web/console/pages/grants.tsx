/**
 * Grants: the conditional fields each department may read, for which purpose and until when.
 * A department sees the grants it holds and those on its own fields; the coordinating office
 * all. The providing department (or the platform administrator) revokes a grant, stating why:
 * from the next request on the consumer reads the field no more and must apply again (R5).
 *
 * Glossary
 * - grant: one consumer department may read one conditional field for one purpose, from a
 *   date until a date (or until revoked); made when an application is approved or arbitrated.
 * - active: in its validity period and not revoked.
 */
import { useState } from 'react';
import * as Q from '../queries.ts';
import type { Grant } from '../types.ts';
import { Async, Badge, Coordinate, DataTable, Notice, Options, PageHeader, ReasonConfirm, formatTime, useMutation, useQuery, useSession } from '../ui.tsx';
import { defineMessages } from '../i18n/defineMessages.ts';
import { messagesNow, useMessages } from '../i18n/I18nProvider.tsx';
import { useLabels, ValidUntil } from '../i18n/labels.tsx';

const M = defineMessages('grants', {
  stateRevoked: '已撤销 {at}',
  stateActive: '有效',
  stateUpcoming: '自 {at} 起生效',
  stateExpired: '已过期',
  any: '不限',
  grantsWhat: '授权',
  heldByMyDepartment: '本部门持有的',
  all: '全部',
  onMyDepartmentS: '本部门字段上的',
  grants: '共享授权',
  eachGrantLetsA: '每项授权允许一个部门为一个使用目的读取一个有条件共享字段，直至到期或被撤销（R5、R6）。',
  youSeeEveryGrant: ' 您可查看并撤销所有授权。',
  youSeeTheGrants: ' 您可查看本部门持有的授权和本部门字段上的授权；可撤销后者。',
  aRevocationStatesIts: '撤销须说明理由，自下一次请求起在所有网关生效；使用部门须重新申请。',
  show: '显示',
  consumer: '使用部门',
  field: '字段',
  includeExpiredAndRevoked: '包含已过期和已撤销的',
  refresh: '刷新',
  noGrantsMatch: '没有符合条件的授权。',
  noActiveGrantsMatch: '没有符合条件的有效授权。勾选“包含已过期和已撤销的”可查看以往授权。',
  provider: '提供部门',
  notInTheSchema: '不在 schema 中',
  purpose: '使用目的',
  validFrom: '生效日期',
  validUntil: '有效期至',
  state: '状态',
  grantRevokedMayNo: '授权 {v0} 已撤销：{v1} 不能再为{v3}读取 {v2}，可重新申请。',
  revoke: '撤销',
  yesRevokeSGrant: '确认撤销 {v0} 的授权',
  whyRevokeItKept: '撤销理由（随策略版本保存）',
  aRevocationStatesIts2: '撤销须说明理由：理由记入新的策略版本。',
  theGrantWasNot: '授权未撤销',
}, {
  stateRevoked: 'revoked {at}',
  stateActive: 'active',
  stateUpcoming: 'from {at}',
  stateExpired: 'expired',
  any: 'any',
  grantsWhat: 'grants',
  heldByMyDepartment: 'held by my department',
  all: 'all',
  onMyDepartmentS: 'on my department’s fields',
  grants: 'Grants',
  eachGrantLetsA: 'Each grant lets a department read one conditional field for one purpose, until it expires or is revoked (R5, R6).',
  youSeeEveryGrant: ' You see every grant and may revoke any.',
  youSeeTheGrants: ' You see the grants your department holds and those on its own fields; you may revoke the latter.',
  aRevocationStatesIts: 'A revocation states its reason and takes effect from the next request on every gateway; the consumer must then apply again.',
  show: 'Show',
  consumer: 'Consumer',
  field: 'Field',
  includeExpiredAndRevoked: 'include expired and revoked',
  refresh: 'Refresh',
  noGrantsMatch: 'No grants match.',
  noActiveGrantsMatch: 'No active grants match. Tick “include expired and revoked” to see past ones.',
  provider: 'Provider',
  notInTheSchema: 'not in the schema',
  purpose: 'Purpose',
  validFrom: 'Valid from',
  validUntil: 'Valid until',
  state: 'State',
  grantRevokedMayNo: 'Grant {v0} revoked: {v1} may no longer read {v2} for {v3}. It may apply again.',
  revoke: 'Revoke',
  yesRevokeSGrant: 'Yes, revoke {v0}\'s grant',
  whyRevokeItKept: 'Why revoke it? (kept with the policy version)',
  aRevocationStatesIts2: 'A revocation states its reason: it is recorded with the new policy version.',
  theGrantWasNot: 'The grant was not revoked',
});

type Navigate = (query: Record<string, string | undefined>) => void;

/** held: the caller's department reads with it; given: it is on the caller's department's fields. */
const SIDES = ['held', 'given'] as const;
const SIDE_KEY: Readonly<Record<string, 'heldByMyDepartment' | 'onMyDepartmentS'>> = { held: 'heldByMyDepartment', given: 'onMyDepartmentS' };

type FullGrant = Grant & { consumer: string };

function stateOf(g: FullGrant, now: number): { value: string; label: string } {
  const t = messagesNow(M);
  if (g.revokedAt) return { value: 'revoked', label: t('stateRevoked', { at: formatTime(g.revokedAt) }) };
  if (g.active) return { value: 'active', label: t('stateActive') };
  if (Date.parse(g.validFrom) > now) return { value: 'upcoming', label: t('stateUpcoming', { at: formatTime(g.validFrom) }) };
  return { value: 'expired', label: t('stateExpired') };
}

export function GrantsPage({ query, navigate }: { query: Readonly<Record<string, string>>; navigate: Navigate }) {
  const { purpose } = useLabels();
  const t = useMessages(M);
  const { session, departmentName } = useSession();
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  const includeInactive = query.inactive === '1';
  const consumer = query.consumer ?? '';
  const side = platform ? '' : (query.side ?? '');
  const value = useQuery<{ grants: FullGrant[]; fieldPolicies: { coordinate: string; provider: string }[] }>(Q.GRANTS, { consumer: consumer || null, includeInactive });
  const [text, setText] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const nav = (q: Record<string, string | undefined>) => navigate({ inactive: includeInactive ? '1' : undefined, consumer: consumer || undefined, side: side || undefined, ...q });

  return (
    <section>
      <PageHeader title={t('grants')}>
        {t('eachGrantLetsA')}
        {platform ? t('youSeeEveryGrant') : t('youSeeTheGrants')}
        {' '}{t('aRevocationStatesIts')}
      </PageHeader>
      {done && <Notice kind="success" testId="grant-revoked">{done}</Notice>}
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        {!platform && (
          <label>{t('show')} <select value={side} onChange={(e) => nav({ side: e.target.value })} data-testid="grants-side"><Options values={SIDES} labels={(s) => (SIDE_KEY[s] ? t(SIDE_KEY[s]) : s)} blank={t('all')} /></select></label>
        )}
        <label>{t('consumer')} <select value={consumer} onChange={(e) => nav({ consumer: e.target.value })} data-testid="grants-consumer"><Options values={session.departments.map((d) => d.code)} labels={(c) => `${c} — ${departmentName(c)}`} blank={t('any')} /></select></label>
        <label>{t('field')} <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Person.householdAddress" data-testid="grants-search" /></label>
        <label className="check"><input type="checkbox" checked={includeInactive} onChange={(e) => nav({ inactive: e.target.checked ? '1' : undefined })} data-testid="grants-inactive" /> {t('includeExpiredAndRevoked')}</label>
        <button type="button" className="secondary" onClick={value.reload}>{t('refresh')}</button>
      </form>
      <Async value={value} what={t('grantsWhat')}>
        {({ grants, fieldPolicies }) => {
          const providerOf = new Map(fieldPolicies.map((f) => [f.coordinate, f.provider]));
          const mine = session.me.department;
          const needle = text.trim().toLowerCase();
          const now = Date.now();
          const rows = grants
            .filter((g) => !side || (side === 'held' ? g.consumer === mine : providerOf.get(g.coordinate) === mine))
            .filter((g) => !needle || g.coordinate.toLowerCase().includes(needle))
            .sort((a, b) => a.coordinate.localeCompare(b.coordinate) || a.consumer.localeCompare(b.consumer) || a.purpose.localeCompare(b.purpose));
          // What the API would allow; it decides anyway, and its refusal is shown as given.
          const mayRevoke = (g: FullGrant) => !g.revokedAt && (!g.validUntil || Date.parse(g.validUntil) > now)
            && (platform || (session.me.kind === 'DEPARTMENT_ADMIN' && providerOf.get(g.coordinate) === mine));
          return (
            <DataTable
              testId="grants-list"
              rows={rows}
              rowKey={(g) => g.id}
              rowTestId={(g) => `grant-${g.id}`}
              empty={includeInactive ? t('noGrantsMatch') : t('noActiveGrantsMatch')}
              columns={[
                { header: t('field'), render: (g) => <Coordinate value={g.coordinate} /> },
                { header: t('provider'), render: (g) => { const p = providerOf.get(g.coordinate); return p ? <span title={departmentName(p)}>{p}</span> : <span className="muted">{t('notInTheSchema')}</span>; } },
                { header: t('consumer'), render: (g) => <>{g.consumer} <span className="muted">{departmentName(g.consumer)}</span></> },
                { header: t('purpose'), render: (g) => g.purpose },
                { header: t('validFrom'), render: (g) => formatTime(g.validFrom) },
                { header: t('validUntil'), render: (g) => <ValidUntil iso={g.validUntil} /> },
                { header: t('state'), render: (g) => { const s = stateOf(g, now); return <span data-testid="grant-state"><Badge value={s.value} label={s.label} /></span>; } },
                {
                  header: '',
                  render: (g) => (mayRevoke(g)
                    ? <RevokeGrant grant={g} onDone={(revoked) => { setDone(t('grantRevokedMayNo', { v0: revoked.id, v1: revoked.consumer, v2: revoked.coordinate, v3: purpose(revoked.purpose) })); value.reload(); }} />
                    : null),
                },
              ]}
            />
          );
        }}
      </Async>
    </section>
  );
}

function RevokeGrant({ grant, onDone }: { grant: FullGrant; onDone(revoked: FullGrant): void }) {
  const t = useMessages(M);
  const revoke = useMutation<{ revokeGrant: FullGrant }>(Q.REVOKE_GRANT);
  return (
    <ReasonConfirm
      label={t('revoke')}
      confirmLabel={t('yesRevokeSGrant', { v0: grant.consumer })}
      reasonLabel={t('whyRevokeItKept')}
      reasonRequired={t('aRevocationStatesIts2')}
      busy={revoke.busy}
      error={revoke.error}
      errorTitle={t('theGrantWasNot')}
      testId={`revoke-grant-${grant.id}`}
      onConfirm={async (reason) => {
        const done = await revoke.run({ id: grant.id, reason });
        if (done) onDone(done.revokeGrant);
        return done !== null;
      }}
    />
  );
}
