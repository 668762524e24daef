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

type Navigate = (query: Record<string, string | undefined>) => void;

/** held: the caller's department reads with it; given: it is on the caller's department's fields. */
const SIDES = ['held', 'given'] as const;
const SIDE_LABEL: Record<string, string> = { held: 'held by my department', given: 'on my department’s fields' };

type FullGrant = Grant & { consumer: string };

function stateOf(g: FullGrant, now: number): { value: string; label: string } {
  if (g.revokedAt) return { value: 'revoked', label: `revoked ${formatTime(g.revokedAt)}` };
  if (g.active) return { value: 'active', label: 'active' };
  if (Date.parse(g.validFrom) > now) return { value: 'upcoming', label: `from ${formatTime(g.validFrom)}` };
  return { value: 'expired', label: 'expired' };
}

export function GrantsPage({ query, navigate }: { query: Readonly<Record<string, string>>; navigate: Navigate }) {
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
      <PageHeader title="Grants">
        Each grant lets a department read one conditional field for one purpose, until it expires or is revoked (R5, R6).
        {platform ? ' You see every grant and may revoke any.' : ' You see the grants your department holds and those on its own fields; you may revoke the latter.'}
        {' '}A revocation states its reason and takes effect from the next request on every gateway; the consumer must then apply again.
      </PageHeader>
      {done && <Notice kind="success" testId="grant-revoked">{done}</Notice>}
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        {!platform && (
          <label>Show <select value={side} onChange={(e) => nav({ side: e.target.value })} data-testid="grants-side"><Options values={SIDES} labels={(s) => SIDE_LABEL[s] ?? s} blank="all" /></select></label>
        )}
        <label>Consumer <select value={consumer} onChange={(e) => nav({ consumer: e.target.value })} data-testid="grants-consumer"><Options values={session.departments.map((d) => d.code)} labels={(c) => `${c} — ${departmentName(c)}`} blank="any" /></select></label>
        <label>Field <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Person.householdAddress" data-testid="grants-search" /></label>
        <label className="check"><input type="checkbox" checked={includeInactive} onChange={(e) => nav({ inactive: e.target.checked ? '1' : undefined })} data-testid="grants-inactive" /> include expired and revoked</label>
        <button type="button" className="secondary" onClick={value.reload}>Refresh</button>
      </form>
      <Async value={value} what="grants">
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
              empty={includeInactive ? 'No grants match.' : 'No active grants match. Tick “include expired and revoked” to see past ones.'}
              columns={[
                { header: 'Field', render: (g) => <Coordinate value={g.coordinate} /> },
                { header: 'Provider', render: (g) => { const p = providerOf.get(g.coordinate); return p ? <span title={departmentName(p)}>{p}</span> : <span className="muted">not in the schema</span>; } },
                { header: 'Consumer', render: (g) => <>{g.consumer} <span className="muted">{departmentName(g.consumer)}</span></> },
                { header: 'Purpose', render: (g) => g.purpose },
                { header: 'Valid from', render: (g) => formatTime(g.validFrom) },
                { header: 'Valid until', render: (g) => formatTime(g.validUntil) },
                { header: 'State', render: (g) => { const s = stateOf(g, now); return <span data-testid="grant-state"><Badge value={s.value} label={s.label} /></span>; } },
                {
                  header: '',
                  render: (g) => (mayRevoke(g)
                    ? <RevokeGrant grant={g} onDone={(revoked) => { setDone(`Grant ${revoked.id} revoked: ${revoked.consumer} may no longer read ${revoked.coordinate} for ${revoked.purpose}. It may apply again.`); value.reload(); }} />
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
  const revoke = useMutation<{ revokeGrant: FullGrant }>(Q.REVOKE_GRANT);
  return (
    <ReasonConfirm
      label="Revoke"
      confirmLabel={`Yes, revoke ${grant.consumer}'s grant`}
      reasonLabel="Why revoke it? (kept with the policy version)"
      reasonRequired="A revocation states its reason: it is recorded with the new policy version."
      busy={revoke.busy}
      error={revoke.error}
      errorTitle="The grant was not revoked"
      testId={`revoke-grant-${grant.id}`}
      onConfirm={async (reason) => {
        const done = await revoke.run({ id: grant.id, reason });
        if (done) onDone(done.revokeGrant);
        return done !== null;
      }}
    />
  );
}
