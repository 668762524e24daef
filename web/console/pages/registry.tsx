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
import { defineMessages } from '../i18n/defineMessages.ts';
import { useMessages } from '../i18n/I18nProvider.tsx';

const M = defineMessages('registry', {
  subgraphRegistry: '子图注册',
  departmentsRegisterTheirSubgraphs: '各部门注册其子图（URL 与 SDL）。每项变更都要经过检查——须能与其他子图组合，每个字段须有共享类别，受限字段须有法律依据（R1）——并作为新的超图版本发布，所有网关立即采用。',
  youMayRegisterFor: '您可为任何部门注册子图，并可回滚超图。',
  youRegisterSSubgraphs: '您为 {v0} 注册子图。',
  publishedSupergraphVersionIs: '已发布 {v0}：超图版本 {v1} 已启用（{v2}）。',
  refresh: '刷新',
  theRegistry: '注册信息',
  subgraphs: '子图',
  noSubgraphIsRegistered: '尚未注册子图。',
  subgraph: '子图',
  department: '部门',
  health: '健康状况',
  since: '自',
  detail: '详情',
  checkAChange: '检查变更',
  supergraphVersions: '超图版本',
  noVersionIsPublished: '尚未发布版本。',
  version: '版本',
  served: '启用中',
  kind: '类型',
  when: '时间',
  who: '操作人',
  reason: '理由',
  supergraphVersionIsServed: '超图版本 {v0} 已启用：恢复为版本 {v1} 的 schema。',
  rollBackToThis: '回滚到此版本',
  yesServeVersionAgain: '确认重新启用版本 {v0}',
  whyRollBackKept: '回滚理由（随新版本保存）',
  aRollbackStatesIts: '回滚须说明理由：理由记入新的超图版本。',
  theSupergraphWasNot: '超图未回滚',
  theFormChangedAfter: '上次检查后表单已修改；发布前请重新检查。',
  pasteTheSubgraphS: '粘贴子图的 SDL 进行检查，不会发布任何内容；发布之前对任何人都没有变化。',
  subgraphName: '子图名称',
  eGSocialAssistance: '例如 social-assistance；使用已有名称即修改该子图。',
  url: 'URL',
  whereTheGatewayReaches: '网关访问它的地址（http(s)://…/graphql）。',
  owner: '所属部门',
  defaultItsCurrentOwner: '默认：当前所属部门；新子图属于您的部门。',
  default: '默认',
  sdl: 'SDL',
  theSubgraphSSchema: '子图的 schema，含 @sharing 与 @catalogue 指令。留空则由注册中心从运行中的子图读取（_service）。',
  theChangeWasNot: '变更未检查',
  checking: '正在检查…',
  check: '检查',
  clear: '清空',
  publish: '发布',
  keptWithTheSupergraph: '随超图版本保存（谁、何时、为何）。',
  iAcceptTheBreaking: '我接受这些破坏性变更：上列部门已获告知并同意。',
  nothingWasPublished: '未发布任何内容',
  publishWithBreakingChanges: '发布（含破坏性变更）',
  thisChangeDoesNot: '此变更未通过检查，不能发布：请修正上述问题后重新检查。',
  checkOf: '检查：',
  passesTheChecks: '通过检查',
  doesNotPassThe: '未通过检查',
  breakingChangeS: '{v0} 项破坏性变更',
  composition: '组合',
  itComposesWithThe: '能与其他子图组合。',
  code: '代码',
  problem: '问题',
  where: '位置',
  classificationR1: '分类（R1）',
  everyFieldHasA: '每个字段都有共享类别，受限字段均注明法律依据。',
  fieldSHaveNo: ' 个字段没有共享类别：分类之前按有条件共享处理，并显示为未分类。',
  breakingChanges: '破坏性变更',
  noneNothingThePublished: '无：已发布 schema 提供的内容均未移除。',
  affects: '影响',
  change: '变更',
  description: '说明',
  whoUsedTheAffected: '近期使用受影响字段的部门',
  theAuditTrailShows: '审计日志显示近期没有部门读取受影响的字段。',
  field: '字段',
  operation: '操作',
  anonymous: '匿名',
  requests: '请求数',
  lastSeen: '最近一次',
}, {
  subgraphRegistry: 'Subgraph registry',
  departmentsRegisterTheirSubgraphs: 'Departments register their subgraphs (URL and SDL). Every change is checked — it must compose with the other subgraphs, and every field needs a sharing class, with a legal basis when it is restricted (R1) — and published as a new supergraph version that every gateway serves at once.',
  youMayRegisterFor: 'You may register for any department and roll the supergraph back.',
  youRegisterSSubgraphs: 'You register {v0}\'s subgraphs.',
  publishedSupergraphVersionIs: 'Published {v0}: supergraph version {v1} is served ({v2}).',
  refresh: 'Refresh',
  theRegistry: 'the registry',
  subgraphs: 'Subgraphs',
  noSubgraphIsRegistered: 'No subgraph is registered.',
  subgraph: 'Subgraph',
  department: 'Department',
  health: 'Health',
  since: 'Since',
  detail: 'Detail',
  checkAChange: 'Check a change',
  supergraphVersions: 'Supergraph versions',
  noVersionIsPublished: 'No version is published.',
  version: 'Version',
  served: 'served',
  kind: 'Kind',
  when: 'When',
  who: 'Who',
  reason: 'Reason',
  supergraphVersionIsServed: 'Supergraph version {v0} is served: the schemas of version {v1} again.',
  rollBackToThis: 'Roll back to this version',
  yesServeVersionAgain: 'Yes, serve version {v0} again',
  whyRollBackKept: 'Why roll back? (kept with the new version)',
  aRollbackStatesIts: 'A rollback states its reason: it is recorded with the new supergraph version.',
  theSupergraphWasNot: 'The supergraph was not rolled back',
  theFormChangedAfter: 'The form changed after the last check; check again before publishing.',
  pasteTheSubgraphS: 'Paste the subgraph\'s SDL to check it without publishing anything; nothing changes for anyone until you publish.',
  subgraphName: 'Subgraph name',
  eGSocialAssistance: 'e.g. social-assistance; an existing name changes that subgraph.',
  url: 'URL',
  whereTheGatewayReaches: 'Where the gateway reaches it (http(s)://…/graphql).',
  owner: 'Owner',
  defaultItsCurrentOwner: 'Default: its current owner; a new subgraph is yours.',
  default: 'default',
  sdl: 'SDL',
  theSubgraphSSchema: 'The subgraph\'s schema with its @sharing and @catalogue directives. Left empty, the registry reads it from the running subgraph (_service).',
  theChangeWasNot: 'The change was not checked',
  checking: 'Checking…',
  check: 'Check',
  clear: 'Clear',
  publish: 'Publish',
  keptWithTheSupergraph: 'Kept with the supergraph version (who, when, why).',
  iAcceptTheBreaking: 'I accept the breaking changes: the departments listed above have been told and agree.',
  nothingWasPublished: 'Nothing was published',
  publishWithBreakingChanges: 'Publish with breaking changes',
  thisChangeDoesNot: 'This change does not pass the checks, so it cannot be published: fix the problems above and check again.',
  checkOf: 'Check of',
  passesTheChecks: 'passes the checks',
  doesNotPassThe: 'does not pass the checks',
  breakingChangeS: '{v0} breaking change(s)',
  composition: 'Composition',
  itComposesWithThe: 'It composes with the other subgraphs.',
  code: 'Code',
  problem: 'Problem',
  where: 'Where',
  classificationR1: 'Classification (R1)',
  everyFieldHasA: 'Every field has a sharing class, and restricted ones cite their legal basis.',
  fieldSHaveNo: 'field(s) have no sharing class: until classified they are treated as conditional and shown as unclassified.',
  breakingChanges: 'Breaking changes',
  noneNothingThePublished: 'None: nothing the published schema offers goes away.',
  affects: 'Affects',
  change: 'Change',
  description: 'Description',
  whoUsedTheAffected: 'Who used the affected fields recently',
  theAuditTrailShows: 'The audit trail shows no department reading the affected fields lately.',
  field: 'Field',
  operation: 'Operation',
  anonymous: 'anonymous',
  requests: 'Requests',
  lastSeen: 'Last seen',
});

const EMPTY_FORM: SubgraphForm = { name: '', url: '', sdl: '', department: '' };
const EMPTY_PUBLISH: PublishForm = { reason: '', acceptBreaking: false };

/** A check and the exact input it was made for: publishing needs a check of what is in the form now. */
interface Checked { readonly key: string; readonly report: SubgraphCheck }

export function RegistryPage() {
  const t = useMessages(M);
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
      <PageHeader title={t('subgraphRegistry')}>
        {t('departmentsRegisterTheirSubgraphs')} {platform ? t('youMayRegisterFor') : t('youRegisterSSubgraphs', { v0: departmentName(session.me.department) })}
      </PageHeader>
      {notice && <Notice kind="success" testId="registry-done">{notice}</Notice>}
      <SubgraphChange form={form} setForm={setForm} onPublished={(p) => { setNotice(t('publishedSupergraphVersionIs', { v0: p.check.subgraph, v1: p.version.version, v2: p.version.subgraphs.join(', ') })); value.reload(); }} />
      <div className="actions section-actions">
        <button type="button" className="secondary" onClick={value.reload}>{t('refresh')}</button>
      </div>
      <Async value={value} what={t('theRegistry')}>
        {({ subgraphs, supergraphVersions }) => (
          <>
            <h2>{t('subgraphs')}</h2>
            <DataTable
              testId="subgraphs-table"
              rows={subgraphs}
              rowKey={(s) => s.name}
              rowTestId={(s) => `subgraph-${s.name}`}
              empty={t('noSubgraphIsRegistered')}
              columns={[
                { header: t('subgraph'), render: (s) => <strong>{s.name}</strong> },
                { header: t('department'), render: (s) => <>{s.department} <span className="muted">{departmentName(s.department)}</span></> },
                { header: 'URL', render: (s) => <code>{s.url}</code> },
                { header: t('health'), render: (s) => <Badge value={s.healthy ? 'healthy' : 'unhealthy'} /> },
                { header: t('since'), render: (s) => formatTime(s.healthSince) },
                { header: t('detail'), render: (s) => s.healthDetail },
                { header: '', render: (s) => (mayChange(s) ? <button type="button" className="secondary small" onClick={() => startChange(s)} data-testid={`change-${s.name}`}>{t('checkAChange')}</button> : null) },
              ]}
            />
            <h2>{t('supergraphVersions')}</h2>
            <DataTable
              testId="versions-table"
              rows={supergraphVersions}
              rowKey={(v) => String(v.version)}
              rowTestId={(v) => `version-${v.version}`}
              empty={t('noVersionIsPublished')}
              columns={[
                { header: t('version'), render: (v) => <>{v.version}{v === supergraphVersions[0] && <> <Badge value="active" label={t('served')} /></>}</> },
                { header: t('kind'), render: (v) => <Badge value={v.kind} /> },
                { header: t('when'), className: 'nowrap', render: (v) => formatTime(v.createdAt) },
                { header: t('who'), render: (v) => <code>{v.actor}</code> },
                { header: t('reason'), render: (v) => v.reason },
                { header: t('subgraphs'), render: (v) => <List values={v.subgraphs} /> },
                ...(platform ? [{
                  header: '',
                  render: (v: SupergraphVersion) => (v === supergraphVersions[0] ? null : (
                    <RollbackSupergraph version={v.version} onDone={(to) => { setNotice(t('supergraphVersionIsServed', { v0: to.version, v1: v.version })); value.reload(); }} />
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
  const t = useMessages(M);
  const rollback = useMutation<{ rollbackSupergraph: SupergraphVersion }>(Q.ROLLBACK_SUPERGRAPH);
  return (
    <ReasonConfirm
      label={t('rollBackToThis')}
      confirmLabel={t('yesServeVersionAgain', { v0: version })}
      reasonLabel={t('whyRollBackKept')}
      reasonRequired={t('aRollbackStatesIts')}
      busy={rollback.busy}
      error={rollback.error}
      errorTitle={t('theSupergraphWasNot')}
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
  const t = useMessages(M);
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
        <Notice kind="warning" testId="check-stale">{t('theFormChangedAfter')}</Notice>
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
  const t = useMessages(M);
  const { session, departmentName } = useSession();
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  return (
    <form className="form wide" onSubmit={onCheck} noValidate data-testid="subgraph-form">
      <h2>{t('checkAChange')}</h2>
      <p className="muted">{t('pasteTheSubgraphS')}</p>
      <div className="field-row">
        <Field label={t('subgraphName')} htmlFor="subgraph-name" error={shown.name} hint={t('eGSocialAssistance')}>
          <input id="subgraph-name" value={form.name} onChange={set('name')} spellCheck={false} autoComplete="off" />
        </Field>
        <Field label={t('url')} htmlFor="subgraph-url" error={shown.url} hint={t('whereTheGatewayReaches')}>
          <input id="subgraph-url" value={form.url} onChange={set('url')} spellCheck={false} autoComplete="off" />
        </Field>
        {platform && (
          <Field label={t('owner')} htmlFor="subgraph-department" hint={t('defaultItsCurrentOwner')}>
            <select id="subgraph-department" value={form.department} onChange={set('department')}>
              <Options values={session.departments.map((d) => d.code)} labels={(c) => `${c} — ${departmentName(c)}`} blank={t('default')} />
            </select>
          </Field>
        )}
      </div>
      <Field label={t('sdl')} htmlFor="subgraph-sdl" hint={t('theSubgraphSSchema')}>
        <textarea id="subgraph-sdl" className="sdl" rows={12} value={form.sdl} onChange={set('sdl')} spellCheck={false} />
      </Field>
      <ErrorBox error={check.error} title={t('theChangeWasNot')} />
      <div className="actions">
        <button type="submit" disabled={check.busy} data-testid="subgraph-check">{check.busy ? t('checking') : t('check')}</button>
        <button type="button" className="link" onClick={onClear}>{t('clear')}</button>
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
  const t = useMessages(M);
  return (
    <div className="publish" data-testid="publish-panel">
      <h2>{t('publish')}</h2>
      {report.ok ? (
        <div className="form">
          <Field label={t('reason')} htmlFor="publish-reason" error={publishShown.reason} hint={t('keptWithTheSupergraph')}>
            <textarea id="publish-reason" rows={2} value={publishForm.reason} onChange={(e) => setPublishForm({ ...publishForm, reason: e.target.value })} />
          </Field>
          {report.breakingChanges.length > 0 && (
            <div className={`field${publishShown.acceptBreaking ? ' field-invalid' : ''}`}>
              <label className="check accept-breaking">
                <input type="checkbox" checked={publishForm.acceptBreaking} onChange={(e) => setPublishForm({ ...publishForm, acceptBreaking: e.target.checked })} data-testid="accept-breaking" />
                {t('iAcceptTheBreaking')}
              </label>
              {publishShown.acceptBreaking && <small className="field-error" role="alert" data-testid="invalid-accept-breaking">{publishShown.acceptBreaking}</small>}
            </div>
          )}
          <ErrorBox error={publish.error} title={t('nothingWasPublished')} />
          <div className="actions">
            <button type="button" disabled={publish.busy} onClick={onPublish} data-testid="subgraph-publish">
              {report.breakingChanges.length ? t('publishWithBreakingChanges') : t('publish')}
            </button>
          </div>
        </div>
      ) : (
        <>
          <ErrorBox error={publish.error} title={t('nothingWasPublished')} />
          <Notice kind="warning" testId="publish-blocked">{t('thisChangeDoesNot')}</Notice>
        </>
      )}
    </div>
  );
}

function CheckReport({ report }: { report: SubgraphCheck }) {
  const t = useMessages(M);
  const { departmentName } = useSession();
  return (
    <div className="check-report" data-testid="check-result">
      <h2>
        {t('checkOf')} <code>{report.subgraph}</code>{' '}
        <span data-testid="check-outcome"><Badge value={report.ok ? 'passes' : 'fails'} label={report.ok ? t('passesTheChecks') : t('doesNotPassThe')} /></span>
        {report.breakingChanges.length > 0 && <> <Badge value="BREAKING" label={t('breakingChangeS', { v0: report.breakingChanges.length })} /></>}
      </h2>

      <h3>{t('composition')}</h3>
      {report.composition.length === 0 ? <p className="muted" data-testid="check-composes">{t('itComposesWithThe')}</p> : (
        <DataTable
          testId="check-composition"
          rows={report.composition}
          rowKey={(p) => `${p.code}:${p.message}`}
          empty=""
          columns={[
            { header: t('code'), render: (p) => <code>{p.code}</code> },
            { header: t('problem'), render: (p) => p.message },
            { header: t('where'), className: 'nowrap', render: (p) => <List values={p.locations.map((l) => `${l.subgraph ?? '?'} ${l.line}:${l.column}`)} /> },
          ]}
        />
      )}

      <h3>{t('classificationR1')}</h3>
      {report.classificationErrors.length === 0 && report.unclassified.length === 0 && <p className="muted">{t('everyFieldHasA')}</p>}
      {report.classificationErrors.length > 0 && (
        <ul className="problems" data-testid="check-classification">
          {report.classificationErrors.map((e) => <li key={e}>{e}</li>)}
        </ul>
      )}
      {report.unclassified.length > 0 && (
        <Notice kind="warning" testId="check-unclassified">
          {report.unclassified.length} {t('fieldSHaveNo')}
          <div><List values={report.unclassified} /></div>
        </Notice>
      )}

      <h3>{t('breakingChanges')}</h3>
      {report.breakingChanges.length === 0 ? <p className="muted" data-testid="check-no-breaking">{t('noneNothingThePublished')}</p> : (
        <DataTable
          testId="check-breaking"
          rows={report.breakingChanges}
          rowKey={(c) => `${c.kind}:${c.description}`}
          empty=""
          columns={[
            { header: t('affects'), render: (c) => <Coordinate value={c.coordinate} /> },
            { header: t('change'), render: (c) => <code>{c.kind}</code> },
            { header: t('description'), render: (c) => c.description },
          ]}
        />
      )}
      {report.breakingChanges.length > 0 && (
        <>
          <h3>{t('whoUsedTheAffected')}</h3>
          <DataTable
            testId="check-usage"
            rows={report.affectedUsage}
            rowKey={(u) => `${u.coordinate}:${u.consumer}:${u.operationName ?? ''}`}
            rowTestId={(u) => `usage-${u.consumer}-${u.coordinate}`}
            empty={t('theAuditTrailShows')}
            columns={[
              { header: t('field'), render: (u) => <Coordinate value={u.coordinate} /> },
              { header: t('department'), render: (u) => <>{u.consumer} <span className="muted">{departmentName(u.consumer)}</span></> },
              { header: t('operation'), render: (u) => (u.operationName ? <code>{u.operationName}</code> : <span className="muted">{t('anonymous')}</span>) },
              { header: t('requests'), className: 'num', render: (u) => u.requests },
              { header: t('lastSeen'), className: 'nowrap', render: (u) => formatTime(u.lastSeen) },
            ]}
          />
        </>
      )}
    </div>
  );
}
