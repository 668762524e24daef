/**
 * The subgraph registry: each department's subgraph with its health, the published supergraph
 * versions, and registering a change — checked first (composition, classification (R1),
 * breaking changes and who used the affected fields), then published with a reason. The
 * platform administrator also rolls the supergraph back to an earlier version.
 *
 * Who may check or publish what is the API's decision (a department administrator its own
 * department's subgraphs, the platform administrator any); the console shows its refusals as given.
 *
 * Glossary
 * - check: what publishing would do, without publishing (checkSubgraph).
 * - breaking change: a type or field the published schema has and the new one would lose or
 *   change incompatibly; consumers who read it lately are listed from the audit trail.
 * - supergraph version: the composed schema of every registered subgraph at one moment.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../api.ts';
import * as Q from '../queries.ts';
import { subgraphInput, validatePublish, validateSubgraph, type Problems, type PublishForm, type SubgraphForm } from '../forms.ts';
import type { Subgraph, SubgraphCheck, SubgraphPublication, SupergraphVersion } from '../types.ts';
import {
  Async, Badge, Coordinate, DataTable, ErrorBox, Field, List, Notice, Options, PageHeader, ReasonConfirm, formatTime, useMutation, useQuery, useSession, type Mutation,
} from '../ui.tsx';

const EMPTY_FORM: SubgraphForm = { name: '', url: '', sdl: '', department: '' };
const EMPTY_PUBLISH: PublishForm = { reason: '', acceptBreaking: false };

/** A check and the exact input it was made for: publishing needs a check of what is in the form now. */
interface Checked { readonly key: string; readonly report: SubgraphCheck }

export function RegistryPage() {
  const { session, departmentName } = useSession();
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  const value = useQuery<{ subgraphs: Subgraph[]; supergraphVersions: SupergraphVersion[] }>(Q.REGISTRY);
  const [form, setForm] = useState<SubgraphForm>(EMPTY_FORM);
  const [notice, setNotice] = useState<string | null>(null);

  const mayChange = (s: Subgraph) => platform || s.department === session.me.department;
  const startChange = (s: Subgraph) => {
    setForm({ name: s.name, url: s.url, sdl: '', department: platform ? s.department : '' });
    document.getElementById('subgraph-change')?.scrollIntoView({ block: 'start' });
  };

  return (
    <section>
      <PageHeader title="Subgraph registry">
        Departments register their subgraphs (URL and SDL). Every change is checked — it must compose with the other subgraphs, and
        every field needs a sharing class, with a legal basis when it is restricted (R1) — and published as a new supergraph version
        that every gateway serves at once. {platform ? 'You may register for any department and roll the supergraph back.' : `You register ${departmentName(session.me.department)}'s subgraphs.`}
      </PageHeader>
      {notice && <Notice kind="success" testId="registry-done">{notice}</Notice>}
      <SubgraphChange form={form} setForm={setForm} onPublished={(p) => { setNotice(`Published ${p.check.subgraph}: supergraph version ${p.version.version} is served (${p.version.subgraphs.join(', ')}).`); value.reload(); }} />
      <div className="actions section-actions">
        <button type="button" className="secondary" onClick={value.reload}>Refresh</button>
      </div>
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
                { header: '', render: (s) => (mayChange(s) ? <button type="button" className="secondary small" onClick={() => startChange(s)} data-testid={`change-${s.name}`}>Check a change</button> : null) },
              ]}
            />
            <h2>Supergraph versions</h2>
            <DataTable
              testId="versions-table"
              rows={supergraphVersions}
              rowKey={(v) => String(v.version)}
              rowTestId={(v) => `version-${v.version}`}
              empty="No version is published."
              columns={[
                { header: 'Version', render: (v) => <>{v.version}{v === supergraphVersions[0] && <> <Badge value="active" label="served" /></>}</> },
                { header: 'Kind', render: (v) => <Badge value={v.kind} /> },
                { header: 'When', className: 'nowrap', render: (v) => formatTime(v.createdAt) },
                { header: 'Who', render: (v) => <code>{v.actor}</code> },
                { header: 'Reason', render: (v) => v.reason },
                { header: 'Subgraphs', render: (v) => <List values={v.subgraphs} /> },
                ...(platform ? [{
                  header: '',
                  render: (v: SupergraphVersion) => (v === supergraphVersions[0] ? null : (
                    <RollbackSupergraph version={v.version} onDone={(to) => { setNotice(`Supergraph version ${to.version} is served: the schemas of version ${v.version} again.`); value.reload(); }} />
                  )),
                }] : []),
              ]}
            />
          </>
        )}
      </Async>
    </section>
  );
}

function RollbackSupergraph({ version, onDone }: { version: number; onDone(to: SupergraphVersion): void }) {
  const rollback = useMutation<{ rollbackSupergraph: SupergraphVersion }>(Q.ROLLBACK_SUPERGRAPH);
  return (
    <ReasonConfirm
      label="Roll back to this version"
      confirmLabel={`Yes, serve version ${version} again`}
      reasonLabel="Why roll back? (kept with the new version)"
      reasonRequired="A rollback states its reason: it is recorded with the new supergraph version."
      busy={rollback.busy}
      error={rollback.error}
      errorTitle="The supergraph was not rolled back"
      testId={`rollback-supergraph-${version}`}
      onConfirm={async (reason) => {
        const done = await rollback.run({ toVersion: version, reason });
        if (done) onDone(done.rollbackSupergraph);
        return done !== null;
      }}
    />
  );
}

/** The check-then-publish form of one subgraph change. */
function SubgraphChange({ form, setForm, onPublished }: { form: SubgraphForm; setForm(form: SubgraphForm): void; onPublished(publication: SubgraphPublication): void }) {
  const [shown, setShown] = useState<Problems<keyof SubgraphForm>>({});
  const [checked, setChecked] = useState<Checked | null>(null);
  const [publishForm, setPublishForm] = useState<PublishForm>(EMPTY_PUBLISH);
  const [publishShown, setPublishShown] = useState<Problems<keyof PublishForm>>({});
  const check = useMutation<{ checkSubgraph: SubgraphCheck }>(Q.CHECK_SUBGRAPH);
  const publish = useMutation<{ publishSubgraph: SubgraphPublication }>(Q.PUBLISH_SUBGRAPH);
  const input = useMemo(() => subgraphInput(form), [form]);
  const key = JSON.stringify(input);
  const current = checked?.key === key ? checked.report : null;
  const set = (k: keyof SubgraphForm) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const onCheck = async (e: FormEvent) => {
    e.preventDefault();
    const problems = validateSubgraph(form);
    setShown(problems);
    if (Object.keys(problems).length) return;
    publish.reset();
    setPublishForm(EMPTY_PUBLISH);
    setPublishShown({});
    const done = await check.run({ input });
    setChecked(done ? { key, report: done.checkSubgraph } : null);
  };

  // A refused publication carries the registry's report (extensions.check): it is newer than our check.
  const refusedReport = publish.error instanceof ApiError ? (publish.error.details[0]?.extensions?.check as SubgraphCheck | undefined) : undefined;
  const report = current ? (refusedReport ?? current) : null;

  const onPublish = async () => {
    if (!report) return;
    const problems = validatePublish(publishForm, report.breakingChanges.length);
    setPublishShown(problems);
    if (Object.keys(problems).length) return;
    const done = await publish.run({ input, reason: publishForm.reason.trim(), acceptBreaking: publishForm.acceptBreaking });
    if (done) {
      setChecked(null);
      setPublishForm(EMPTY_PUBLISH);
      setForm(EMPTY_FORM);
      onPublished(done.publishSubgraph);
    }
  };
  const onClear = () => { setForm(EMPTY_FORM); setShown({}); setChecked(null); check.reset(); publish.reset(); };
  return (
    <div className="panel" id="subgraph-change">
      <ChangeForm form={form} set={set} shown={shown} check={check} onCheck={onCheck} onClear={onClear} />
      {checked && !current && (
        <Notice kind="warning" testId="check-stale">The form changed after the last check; check again before publishing.</Notice>
      )}
      {report && <CheckReport report={report} />}
      {report && (
        <PublishPanel report={report} publishForm={publishForm} setPublishForm={setPublishForm} publishShown={publishShown} publish={publish} onPublish={onPublish} />
      )}
    </div>
  );
}

/** The subgraph's name, URL, owner (platform administrator only) and SDL, and the Check button. */
function ChangeForm({ form, set, shown, check, onCheck, onClear }: {
  form: SubgraphForm;
  set(k: keyof SubgraphForm): (e: { target: { value: string } }) => void;
  shown: Problems<keyof SubgraphForm>;
  check: Mutation<{ checkSubgraph: SubgraphCheck }>;
  onCheck(e: FormEvent): void;
  onClear(): void;
}) {
  const { session, departmentName } = useSession();
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  return (
    <form className="form wide" onSubmit={onCheck} noValidate data-testid="subgraph-form">
      <h2>Check a change</h2>
      <p className="muted">Paste the subgraph's SDL to check it without publishing anything; nothing changes for anyone until you publish.</p>
      <div className="field-row">
        <Field label="Subgraph name" htmlFor="subgraph-name" error={shown.name} hint="e.g. social-assistance; an existing name changes that subgraph.">
          <input id="subgraph-name" value={form.name} onChange={set('name')} spellCheck={false} autoComplete="off" />
        </Field>
        <Field label="URL" htmlFor="subgraph-url" error={shown.url} hint="Where the gateway reaches it (http(s)://…/graphql).">
          <input id="subgraph-url" value={form.url} onChange={set('url')} spellCheck={false} autoComplete="off" />
        </Field>
        {platform && (
          <Field label="Owner" htmlFor="subgraph-department" hint="Default: its current owner; a new subgraph is yours.">
            <select id="subgraph-department" value={form.department} onChange={set('department')}>
              <Options values={session.departments.map((d) => d.code)} labels={(c) => `${c} — ${departmentName(c)}`} blank="default" />
            </select>
          </Field>
        )}
      </div>
      <Field label="SDL" htmlFor="subgraph-sdl" hint="The subgraph's schema with its @sharing and @catalogue directives. Left empty, the registry reads it from the running subgraph (_service).">
        <textarea id="subgraph-sdl" className="sdl" rows={12} value={form.sdl} onChange={set('sdl')} spellCheck={false} />
      </Field>
      <ErrorBox error={check.error} title="The change was not checked" />
      <div className="actions">
        <button type="submit" disabled={check.busy} data-testid="subgraph-check">{check.busy ? 'Checking…' : 'Check'}</button>
        <button type="button" className="link" onClick={onClear}>Clear</button>
      </div>
    </form>
  );
}

/** Publishing a checked change: its reason, accepting breaking changes, or why it cannot be published. */
function PublishPanel({ report, publishForm, setPublishForm, publishShown, publish, onPublish }: {
  report: SubgraphCheck;
  publishForm: PublishForm;
  setPublishForm(form: PublishForm): void;
  publishShown: Problems<keyof PublishForm>;
  publish: Mutation<{ publishSubgraph: SubgraphPublication }>;
  onPublish(): void;
}) {
  return (
    <div className="publish" data-testid="publish-panel">
      <h2>Publish</h2>
      {report.ok ? (
        <div className="form">
          <Field label="Reason" htmlFor="publish-reason" error={publishShown.reason} hint="Kept with the supergraph version (who, when, why).">
            <textarea id="publish-reason" rows={2} value={publishForm.reason} onChange={(e) => setPublishForm({ ...publishForm, reason: e.target.value })} />
          </Field>
          {report.breakingChanges.length > 0 && (
            <div className={`field${publishShown.acceptBreaking ? ' field-invalid' : ''}`}>
              <label className="check accept-breaking">
                <input type="checkbox" checked={publishForm.acceptBreaking} onChange={(e) => setPublishForm({ ...publishForm, acceptBreaking: e.target.checked })} data-testid="accept-breaking" />
                I accept the breaking changes: the departments listed above have been told and agree.
              </label>
              {publishShown.acceptBreaking && <small className="field-error" role="alert" data-testid="invalid-accept-breaking">{publishShown.acceptBreaking}</small>}
            </div>
          )}
          <ErrorBox error={publish.error} title="Nothing was published" />
          <div className="actions">
            <button type="button" disabled={publish.busy} onClick={onPublish} data-testid="subgraph-publish">
              {report.breakingChanges.length ? 'Publish with breaking changes' : 'Publish'}
            </button>
          </div>
        </div>
      ) : (
        <>
          <ErrorBox error={publish.error} title="Nothing was published" />
          <Notice kind="warning" testId="publish-blocked">This change does not pass the checks, so it cannot be published: fix the problems above and check again.</Notice>
        </>
      )}
    </div>
  );
}

function CheckReport({ report }: { report: SubgraphCheck }) {
  const { departmentName } = useSession();
  return (
    <div className="check-report" data-testid="check-result">
      <h2>
        Check of <code>{report.subgraph}</code>{' '}
        <span data-testid="check-outcome"><Badge value={report.ok ? 'passes' : 'fails'} label={report.ok ? 'passes the checks' : 'does not pass the checks'} /></span>
        {report.breakingChanges.length > 0 && <> <Badge value="BREAKING" label={`${report.breakingChanges.length} breaking change(s)`} /></>}
      </h2>

      <h3>Composition</h3>
      {report.composition.length === 0 ? <p className="muted" data-testid="check-composes">It composes with the other subgraphs.</p> : (
        <DataTable
          testId="check-composition"
          rows={report.composition}
          rowKey={(p) => `${p.code}:${p.message}`}
          empty=""
          columns={[
            { header: 'Code', render: (p) => <code>{p.code}</code> },
            { header: 'Problem', render: (p) => p.message },
            { header: 'Where', className: 'nowrap', render: (p) => <List values={p.locations.map((l) => `${l.subgraph ?? '?'} ${l.line}:${l.column}`)} /> },
          ]}
        />
      )}

      <h3>Classification (R1)</h3>
      {report.classificationErrors.length === 0 && report.unclassified.length === 0 && <p className="muted">Every field has a sharing class, and restricted ones cite their legal basis.</p>}
      {report.classificationErrors.length > 0 && (
        <ul className="problems" data-testid="check-classification">
          {report.classificationErrors.map((e) => <li key={e}>{e}</li>)}
        </ul>
      )}
      {report.unclassified.length > 0 && (
        <Notice kind="warning" testId="check-unclassified">
          {report.unclassified.length} field(s) have no sharing class: until classified they are treated as conditional and shown as unclassified.
          <div><List values={report.unclassified} /></div>
        </Notice>
      )}

      <h3>Breaking changes</h3>
      {report.breakingChanges.length === 0 ? <p className="muted" data-testid="check-no-breaking">None: nothing the published schema offers goes away.</p> : (
        <DataTable
          testId="check-breaking"
          rows={report.breakingChanges}
          rowKey={(c) => `${c.kind}:${c.description}`}
          empty=""
          columns={[
            { header: 'Affects', render: (c) => <Coordinate value={c.coordinate} /> },
            { header: 'Change', render: (c) => <code>{c.kind}</code> },
            { header: 'Description', render: (c) => c.description },
          ]}
        />
      )}
      {report.breakingChanges.length > 0 && (
        <>
          <h3>Who used the affected fields recently</h3>
          <DataTable
            testId="check-usage"
            rows={report.affectedUsage}
            rowKey={(u) => `${u.coordinate}:${u.consumer}:${u.operationName ?? ''}`}
            rowTestId={(u) => `usage-${u.consumer}-${u.coordinate}`}
            empty="The audit trail shows no department reading the affected fields lately."
            columns={[
              { header: 'Field', render: (u) => <Coordinate value={u.coordinate} /> },
              { header: 'Department', render: (u) => <>{u.consumer} <span className="muted">{departmentName(u.consumer)}</span></> },
              { header: 'Operation', render: (u) => (u.operationName ? <code>{u.operationName}</code> : <span className="muted">anonymous</span>) },
              { header: 'Requests', className: 'num', render: (u) => u.requests },
              { header: 'Last seen', className: 'nowrap', render: (u) => formatTime(u.lastSeen) },
            ]}
          />
        </>
      )}
    </div>
  );
}
