/** The resource catalogue (R2): the department's view (what it may read or apply for) and the full catalogue. */
import * as Q from '../queries.ts';
import type { CatalogueEntry, MyCatalogueEntry } from '../types.ts';
import { Async, Badge, Coordinate, DataTable, Empty, List, Options, PageHeader, formatTime, useQuery, useSession } from '../ui.tsx';
import { applyHref } from './access.tsx';

const CATEGORIES = ['BASIC', 'THEMATIC', 'DEPARTMENTAL'] as const;

export function CataloguePage({ query, navigate }: { query: Readonly<Record<string, string>>; navigate(query: Record<string, string | undefined>): void }) {
  const { session } = useSession();
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  const view = platform ? 'full' : (query.view ?? 'mine');
  return (
    <section>
      <PageHeader title="Catalogue">
        The government information resource catalogue (GB/T 21063): each resource with its provider, update cycle and the
        sharing class and conditions of every item.
      </PageHeader>
      {!platform && (
        <div className="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={view === 'mine'} className={view === 'mine' ? 'tab active' : 'tab'} onClick={() => navigate({ view: 'mine' })} data-testid="catalogue-tab-mine">For my department</button>
          <button type="button" role="tab" aria-selected={view === 'full'} className={view === 'full' ? 'tab active' : 'tab'} onClick={() => navigate({ view: 'full' })} data-testid="catalogue-tab-full">Full catalogue</button>
        </div>
      )}
      {view === 'mine' ? <MyCatalogue /> : <FullCatalogue category={query.category ?? ''} provider={query.provider ?? ''} navigate={navigate} />}
    </section>
  );
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

function FullCatalogue({ category, provider, navigate }: { category: string; provider: string; navigate(query: Record<string, string | undefined>): void }) {
  const { session } = useSession();
  const value = useQuery<{ catalogue: CatalogueEntry[] }>(Q.CATALOGUE, { category: category || null, provider: provider || null });
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
              <details key={e.code} className="entry" data-testid={`catalogue-entry-${e.code}`}>
                <summary>
                  <span className="entry-name">{e.name} <span className="muted">{e.nameEn}</span></span>
                  <code>{e.code}</code>
                  <span className="muted">{e.provider.name}</span>
                  <span className="entry-counts">
                    <Badge value={e.sharing.type} label={e.sharing.name} />
                    {e.updatePending && <Badge value="PENDING" label="update pending" />}
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
                </dl>
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
