/**
 * The resource catalogue (R2): the department's view (what it may read or apply for), the full
 * catalogue, and — for administrators — the update tasks (R3). The providing department's
 * administrator (or the platform administrator) keeps its entries current: it reports a change
 * of law or of its functions (which opens an update task), and publishes the entry as it now is
 * (which closes the task and sets the entry's last update).
 *
 * Glossary
 * - entry: one information resource with its items (fields), provider, update cycle and dates.
 * - update task: the duty to re-publish an entry within the catalogue's working days after a
 *   change (detected from the policy or the schema, or reported by the provider).
 */
import { useState, type FormEvent } from 'react';
import { hrefOf } from '../routes.ts';
import * as Q from '../queries.ts';
import { requireText } from '../forms.ts';
import { CATALOGUE_REPORTED_CAUSES, type CatalogueEntry, type CatalogueReportedCause, type CatalogueUpdate, type MyCatalogueEntry } from '../types.ts';
import {
  Async, Badge, Coordinate, DataTable, Empty, ErrorBox, Field, List, Notice, Options, PageHeader, formatTime, useMutation, useQuery, useSession,
} from '../ui.tsx';
import { ProvisionalMark } from './calendar.tsx';
import { applyHref } from './access.tsx';

const CATEGORIES = ['BASIC', 'THEMATIC', 'DEPARTMENTAL'] as const;
const CAUSE_LABEL: Record<string, string> = {
  LAW_CHANGED: 'a law or regulation changed', FUNCTIONS_CHANGED: 'the department\'s functions changed',
  POLICY: 'sharing policy changed', LEGAL_BASIS: 'legal basis changed', DEFINITION: 'schema changed', NEW_RESOURCE: 'new resource', WITHDRAWN: 'no longer provided',
};

type Navigate = (query: Record<string, string | undefined>) => void;
type View = 'mine' | 'full' | 'updates';

export function CataloguePage({ query, navigate }: { query: Readonly<Record<string, string>>; navigate: Navigate }) {
  const { session } = useSession();
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  const admin = session.me.kind !== 'APP';
  const views: View[] = [...(platform ? [] : ['mine' as const]), 'full', ...(admin ? ['updates' as const] : [])];
  const asked = query.view as View | undefined;
  const view: View = asked && views.includes(asked) ? asked : views[0]!;
  const [done, setDone] = useState<string | null>(null);
  const label: Record<View, string> = { mine: 'For my department', full: 'Full catalogue', updates: 'Update tasks (R3)' };
  return (
    <section>
      <PageHeader title="Catalogue">
        The government information resource catalogue (GB/T 21063): each resource with its provider, update cycle and the
        sharing class and conditions of every item.{admin && ' A providing department keeps its entries current: within the catalogue\'s working days after a change of law, of its functions or of its data (R3).'}
      </PageHeader>
      {views.length > 1 && (
        <div className="tabs" role="tablist">
          {views.map((v) => (
            <button key={v} type="button" role="tab" aria-selected={view === v} className={view === v ? 'tab active' : 'tab'} onClick={() => { setDone(null); navigate({ view: v }); }} data-testid={`catalogue-tab-${v}`}>{label[v]}</button>
          ))}
        </div>
      )}
      {done && <Notice kind="success" testId="catalogue-done">{done}</Notice>}
      {view === 'mine' && <MyCatalogue />}
      {view === 'full' && <FullCatalogue category={query.category ?? ''} provider={query.provider ?? ''} open={query.entry ?? ''} navigate={navigate} onDone={setDone} />}
      {view === 'updates' && <UpdateTasks includeClosed={query.closed === '1'} overdueOnly={query.overdue === '1'} navigate={navigate} onDone={setDone} />}
    </section>
  );
}

/** Whether the signed-in principal maintains a provider's entries (the API decides anyway). */
function useMaintains(): (provider: string) => boolean {
  const { session } = useSession();
  return (provider) => session.me.kind === 'PLATFORM_ADMIN' || (session.me.kind === 'DEPARTMENT_ADMIN' && session.me.department === provider);
}

function MyCatalogue() {
  const value = useQuery<{ myCatalogue: MyCatalogueEntry[] }>(Q.MY_CATALOGUE);
  const { departmentName } = useSession();
  return (
    <Async value={value} what="the catalogue">
      {({ myCatalogue }) => myCatalogue.length === 0 ? <Empty>The catalogue has no entries yet.</Empty> : (
        <div className="entries">
          {myCatalogue.map((e) => (
            <details key={e.code} className="entry" data-testid={`catalogue-entry-${e.code}`}>
              <summary>
                <span className="entry-name">{e.name} <span className="muted">{e.nameEn}</span></span>
                <code>{e.code}</code>
                <span className="muted">{departmentName(e.provider)}</span>
                <span className="entry-counts">
                  <Badge value="READ" label={`${e.read} readable`} />
                  {e.apply > 0 && <Badge value="APPLY" label={`${e.apply} to apply for`} />}
                  {e.notShared > 0 && <Badge value="NOT_SHARED" label={`${e.notShared} not shared`} />}
                  {e.own > 0 && <Badge value="OWN" label={`${e.own} own`} />}
                  {e.freshness.stale && <Badge value="OVERDUE" label="stale" />}
                </span>
              </summary>
              <DataTable
                rows={e.items}
                rowKey={(i) => i.coordinate}
                rowTestId={(i) => `catalogue-item-${i.coordinate}`}
                empty="No items."
                columns={[
                  { header: 'Item', render: (i) => <>{i.name ?? i.nameEn} <span className="muted">{i.nameEn}</span></> },
                  { header: 'Field', render: (i) => <Coordinate value={i.coordinate} /> },
                  { header: 'Class', render: (i) => <Badge value={i.sharingClass} /> },
                  { header: 'For you', render: (i) => <Badge value={i.status} /> },
                  { header: 'Readable for', render: (i) => <List values={i.readableFor} /> },
                  { header: 'Condition', render: (i) => <span className="basis">{i.condition}</span> },
                  { header: '', render: (i) => (i.applicableFor.length ? <a className="button small" href={applyHref(i.coordinate, i.applicableFor)} data-testid={`catalogue-apply-${i.coordinate}`}>Apply</a> : null) },
                ]}
              />
            </details>
          ))}
        </div>
      )}
    </Async>
  );
}

function FullCatalogue({ category, provider, open, navigate, onDone }: { category: string; provider: string; open: string; navigate: Navigate; onDone(message: string): void }) {
  const { session } = useSession();
  const maintains = useMaintains();
  const value = useQuery<{ catalogue: CatalogueEntry[] }>(Q.CATALOGUE, { category: category || null, provider: provider || null });
  const done = (message: string) => { onDone(message); value.reload(); };
  return (
    <>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>Catalogue <select value={category} onChange={(e) => navigate({ view: 'full', category: e.target.value, provider })}><Options values={CATEGORIES} labels={(c) => c.toLowerCase()} blank="all" /></select></label>
        <label>Provider <select value={provider} onChange={(e) => navigate({ view: 'full', category, provider: e.target.value })}><Options values={session.departments.map((d) => d.code)} labels={(c) => `${c} — ${session.departments.find((d) => d.code === c)?.name ?? ''}`} blank="any" /></select></label>
      </form>
      <Async value={value} what="the catalogue">
        {({ catalogue }) => catalogue.length === 0 ? <Empty>No catalogue entry matches.</Empty> : (
          <div className="entries">
            {catalogue.map((e) => (
              <details key={e.code} className="entry" open={open === e.code || undefined} data-testid={`catalogue-entry-${e.code}`}>
                <summary>
                  <span className="entry-name">{e.name} <span className="muted">{e.nameEn}</span></span>
                  <code>{e.code}</code>
                  <span className="muted">{e.provider.name}</span>
                  <span className="entry-counts">
                    <Badge value={e.sharing.type} label={e.sharing.name} />
                    {e.openUpdate && <Badge value={e.openUpdate.overdue ? 'OVERDUE' : 'PENDING'} label={e.openUpdate.overdue ? 'update overdue' : `update due ${e.openUpdate.dueDate ?? '?'}`} />}
                    {e.updatePending && !e.openUpdate && <Badge value="PENDING" label="update pending" />}
                    {e.freshness.stale && <Badge value="OVERDUE" label="stale" />}
                    {e.problems.length > 0 && <Badge value="UNCLASSIFIED" label={`${e.problems.length} problem(s)`} />}
                  </span>
                </summary>
                <dl className="facts">
                  <dt>Resource code</dt><dd><code>{e.resourceCode}</code></dd>
                  <dt>Classification</dt><dd>{e.classification.categoryName} ({e.classification.category})</dd>
                  <dt>Provider</dt><dd>{e.provider.name} · {e.provider.nameEn} (<code>{e.provider.code}</code>)</dd>
                  <dt>Format</dt><dd>{e.format.name} <span className="muted">{e.format.mediaType}</span></dd>
                  <dt>Provision</dt><dd>{e.sharing.methods.filter((m) => m.available).map((m) => m.name).join('、') || '—'}</dd>
                  <dt>Sharing</dt><dd>{e.sharing.condition}</dd>
                  <dt>Update cycle</dt><dd>{e.updateCycleName}</dd>
                  <dt>Released</dt><dd>{formatTime(e.releaseDate)}</dd>
                  <dt>Last updated</dt><dd>{formatTime(e.lastUpdated)}</dd>
                  <dt>Data last changed</dt><dd>{formatTime(e.freshness.dataLastChanged)}{e.freshness.error ? ` (${e.freshness.error})` : ''}</dd>
                  {e.problems.length > 0 && <><dt>Problems</dt><dd>{e.problems.join('; ')}</dd></>}
                  {e.openUpdate && <><dt>Open update</dt><dd data-testid="entry-open-update">{e.openUpdate.causes.map((c) => CAUSE_LABEL[c] ?? c).join(', ')}: {e.openUpdate.reason} — due {e.openUpdate.dueDate ?? e.openUpdate.dueProblem ?? '?'}</dd></>}
                </dl>
                {maintains(e.provider.code) && <EntryMaintenance entry={e} onDone={done} />}
                <DataTable
                  rows={e.items}
                  rowKey={(i) => i.coordinate}
                  empty="No items."
                  columns={[
                    { header: 'Item', render: (i) => <>{i.name ?? i.nameEn} <span className="muted">{i.nameEn}</span></> },
                    { header: 'Field', render: (i) => <Coordinate value={i.coordinate} /> },
                    { header: 'Class', render: (i) => <>{<Badge value={i.sharingClass} />}{i.unclassified && <> <Badge value="UNCLASSIFIED" label="unclassified" /></>}</> },
                    { header: 'Purposes', render: (i) => <List values={i.purposes} empty="any" /> },
                    { header: 'Condition', render: (i) => <span className="basis">{i.condition}</span> },
                  ]}
                />
              </details>
            ))}
          </div>
        )}
      </Async>
    </>
  );
}

/** The provider's side of one entry: publish it as it is now, or report a change that makes it due for an update. */
function EntryMaintenance({ entry, onDone }: { entry: CatalogueEntry; onDone(message: string): void }) {
  return (
    <div className="entry-actions" data-testid={`entry-actions-${entry.code}`}>
      <h3>Keep this entry current (R3)</h3>
      <div className="field-row">
        <PublishEntry code={entry.code} pending={entry.updatePending || entry.openUpdate !== null} onDone={onDone} />
        <ReportChange code={entry.code} onDone={onDone} />
      </div>
    </div>
  );
}

function PublishEntry({ code, pending, onDone, compact }: { code: string; pending: boolean; onDone(message: string): void; compact?: boolean }) {
  const publish = useMutation<{ publishCatalogueEntry: { code: string; lastUpdated: string | null; pendingReview: { id: string; dueDate: string | null } | null } | null }>(Q.PUBLISH_CATALOGUE_ENTRY);
  const [note, setNote] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await publish.run({ code, note: note.trim() || null });
    if (!done) return;
    setNote('');
    // Issue 21 (001 art. 9–10): a department's change waits for the coordinating office's review (目录审核备案).
    const review = done.publishCatalogueEntry?.pendingReview;
    onDone(review
      ? `${code} 已提交协调机构审核备案（${review.id}，${review.dueDate ?? ''} 前）— submitted for review and filing; it is published once filed.`
      : done.publishCatalogueEntry
      ? `${code} published: its last update is now ${formatTime(done.publishCatalogueEntry.lastUpdated)}, and its open update task is closed.`
      : `${code} is no longer provided by any subgraph: it was withdrawn from the catalogue.`);
  };
  return (
    <form className={compact ? 'inline-form' : 'form'} onSubmit={submit} noValidate data-testid={`publish-entry-form-${code}`}>
      {!compact && <p className="muted">{pending ? 'The entry changed since it was last published: publish it once its description is right.' : 'Published as it is; publishing again records a new last-update date.'}</p>}
      <ErrorBox error={publish.error} title="The entry was not published" />
      {compact
        ? <input aria-label={`Note on publishing ${code} (optional)`} value={note} onChange={(e) => setNote(e.target.value)} placeholder="note (optional)" />
        : (
          <Field label="Note (optional)" htmlFor={`publish-note-${code}`}>
            <input id={`publish-note-${code}`} value={note} onChange={(e) => setNote(e.target.value)} placeholder="what was updated" />
          </Field>
        )}
      <div className="actions">
        <button type="submit" className={[pending ? '' : 'secondary', compact ? 'small' : ''].join(' ').trim() || undefined} disabled={publish.busy} data-testid={`publish-entry-${code}`}>
          {compact ? 'Publish the entry' : 'Publish the entry as it is now'}
        </button>
      </div>
    </form>
  );
}

function ReportChange({ code, onDone }: { code: string; onDone(message: string): void }) {
  const report = useMutation<{ reportCatalogueChange: CatalogueUpdate }>(Q.REPORT_CATALOGUE_CHANGE);
  const [cause, setCause] = useState<CatalogueReportedCause>('LAW_CHANGED');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const p = requireText(reason, 'Say what changed: the law and article, or the function the department gained or lost.');
    setProblem(p);
    if (p) return;
    const done = await report.run({ code, cause, reason: reason.trim() });
    if (!done) return;
    setReason('');
    const u = done.reportCatalogueChange;
    onDone(`Update task ${u.id} for ${code} is open: publish the updated entry by ${u.dueDate ?? u.dueProblem ?? '?'} (${u.workingDays} working days).`);
  };
  return (
    <form className="form" onSubmit={submit} noValidate data-testid={`report-change-form-${code}`}>
      <p className="muted">A change of law or of your functions that affects this resource opens an update task, due within the catalogue's working days.</p>
      <ErrorBox error={report.error} title="The change was not reported" />
      <Field label="What changed" htmlFor={`report-cause-${code}`}>
        <select id={`report-cause-${code}`} value={cause} onChange={(e) => setCause(e.target.value as CatalogueReportedCause)}>
          <Options values={CATALOGUE_REPORTED_CAUSES} labels={(c) => CAUSE_LABEL[c] ?? c} />
        </select>
      </Field>
      <Field label="Details" htmlFor={`report-reason-${code}`} error={problem}>
        <textarea id={`report-reason-${code}`} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. 《户口登记条例》 amended, art. 10" />
      </Field>
      <div className="actions"><button type="submit" className="secondary" disabled={report.busy} data-testid={`report-change-${code}`}>Report the change</button></div>
    </form>
  );
}

function UpdateTasks({ includeClosed, overdueOnly, navigate, onDone }: { includeClosed: boolean; overdueOnly: boolean; navigate: Navigate; onDone(message: string): void }) {
  const { session, departmentName } = useSession();
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  const maintains = useMaintains();
  const value = useQuery<{ catalogueUpdates: CatalogueUpdate[] }>(Q.CATALOGUE_UPDATES, { includeClosed, overdueOnly });
  const reconcile = useMutation<{ reconcileCatalogue: CatalogueUpdate[] }>(Q.RECONCILE_CATALOGUE);
  const nav = (q: Record<string, string | undefined>) => navigate({ view: 'updates', closed: includeClosed ? '1' : undefined, overdue: overdueOnly ? '1' : undefined, ...q });
  const done = (message: string) => { onDone(message); value.reload(); };
  return (
    <>
      <p className="muted">
        {platform ? 'Every department\'s update tasks.' : `Update tasks of ${departmentName(session.me.department)}'s entries.`} A task opens when an entry's
        policy, legal basis or schema changes, or when its provider reports a change of law or functions; publishing the entry closes it.
      </p>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label className="check"><input type="checkbox" checked={includeClosed} onChange={(e) => nav({ closed: e.target.checked ? '1' : undefined })} data-testid="updates-closed" /> include closed</label>
        <label className="check"><input type="checkbox" checked={overdueOnly} onChange={(e) => nav({ overdue: e.target.checked ? '1' : undefined })} /> overdue only</label>
        <button type="button" className="secondary" onClick={value.reload}>Refresh</button>
        {platform && (
          <button type="button" className="secondary" disabled={reconcile.busy} data-testid="reconcile"
            onClick={async () => { const r = await reconcile.run({}); if (r) done(`Compared every entry with the current policy: ${r.reconcileCatalogue.length} task(s) opened or amended.`); }}>
            Compare with the current policy now
          </button>
        )}
      </form>
      <ErrorBox error={reconcile.error} title="The catalogue was not reconciled" />
      <Async value={value} what="update tasks">
        {({ catalogueUpdates }) => (
          <DataTable
            testId="updates-table"
            rows={catalogueUpdates}
            rowKey={(u) => u.id}
            rowTestId={(u) => `update-${u.entryCode}`}
            empty={includeClosed ? 'No update tasks.' : 'No open update tasks: every entry is current.'}
            columns={[
              { header: 'Entry', className: 'nowrap', render: (u) => <a href={hrefOf('catalogue', [], { view: 'full', entry: u.entryCode })}><code>{u.entryCode}</code></a> },
              { header: 'Provider', render: (u) => <span title={departmentName(u.provider)}>{u.provider}</span> },
              { header: 'Why', render: (u) => <>{u.causes.map((c) => <span key={c} className="chip">{CAUSE_LABEL[c] ?? c}</span>)}<span className="basis">{u.reason}</span>{u.changedItems.length > 0 && <div><List values={u.changedItems} /></div>}</> },
              { header: 'Opened', className: 'nowrap', render: (u) => <>{formatTime(u.openedAt)}<div className="muted">{u.openedBy}</div></> },
              {
                header: 'Due',
                className: 'nowrap',
                render: (u) => (u.closedAt ? <Badge value="closed" label={`closed ${formatTime(u.closedAt)}`} /> : <>{u.dueDate ?? <span className="muted" title={u.dueProblem ?? ''}>unknown</span>}<ProvisionalMark provisional={u.dueDateProvisional} />{u.overdue && <> <Badge value="OVERDUE" /></>}</>),
              },
              { header: '', render: (u) => (!u.closedAt && maintains(u.provider) ? <PublishEntry code={u.entryCode} pending compact onDone={done} /> : u.closedAt ? <span className="muted">{u.resolution} · {u.closedBy}</span> : null) },
            ]}
          />
        )}
      </Async>
    </>
  );
}
