/** The subgraph registry: each department's subgraph with its health, and the published supergraph versions. */
import * as Q from '../queries.ts';
import type { Subgraph, SupergraphVersion } from '../types.ts';
import { Async, Badge, DataTable, List, PageHeader, formatTime, useQuery, useSession } from '../ui.tsx';

export function RegistryPage() {
  const { departmentName } = useSession();
  const value = useQuery<{ subgraphs: Subgraph[]; supergraphVersions: SupergraphVersion[] }>(Q.REGISTRY);
  return (
    <section>
      <PageHeader title="Subgraph registry">
        Departments register their subgraphs (URL and SDL); every change is checked and published as a new supergraph version that every
        gateway serves at once. Publishing is done through the API or the CLI.
      </PageHeader>
      <button type="button" className="secondary" onClick={value.reload}>Refresh</button>
      <Async value={value} what="the registry">
        {({ subgraphs, supergraphVersions }) => (
          <>
            <h2>Subgraphs</h2>
            <DataTable
              testId="subgraphs-table"
              rows={subgraphs}
              rowKey={(s) => s.name}
              rowTestId={(s) => `subgraph-${s.name}`}
              empty="No subgraph is registered."
              columns={[
                { header: 'Subgraph', render: (s) => <strong>{s.name}</strong> },
                { header: 'Department', render: (s) => <>{s.department} <span className="muted">{departmentName(s.department)}</span></> },
                { header: 'URL', render: (s) => <code>{s.url}</code> },
                { header: 'Health', render: (s) => <Badge value={s.healthy ? 'healthy' : 'unhealthy'} /> },
                { header: 'Since', render: (s) => formatTime(s.healthSince) },
                { header: 'Detail', render: (s) => s.healthDetail },
              ]}
            />
            <h2>Supergraph versions</h2>
            <DataTable
              testId="versions-table"
              rows={supergraphVersions}
              rowKey={(v) => String(v.version)}
              empty="No version is published."
              columns={[
                { header: 'Version', render: (v) => v.version },
                { header: 'Kind', render: (v) => v.kind },
                { header: 'When', className: 'nowrap', render: (v) => formatTime(v.createdAt) },
                { header: 'Who', render: (v) => <code>{v.actor}</code> },
                { header: 'Reason', render: (v) => v.reason },
                { header: 'Subgraphs', render: (v) => <List values={v.subgraphs} /> },
              ]}
            />
          </>
        )}
      </Async>
    </section>
  );
}
