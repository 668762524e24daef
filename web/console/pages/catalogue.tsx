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
import { defineMessages } from '../i18n/defineMessages.ts';
import { useMessages } from '../i18n/I18nProvider.tsx';

const M = defineMessages('catalogue', {
  listSeparator: '、',
  aLawOrRegulation: '法律法规变化',
  theDepartmentSFunctions: '部门职能变化',
  sharingPolicyChanged: '共享策略变化',
  legalBasisChanged: '法律依据变化',
  schemaChanged: 'schema 变化',
  newResource: '新增资源',
  noLongerProvided: '不再提供',
  forMyDepartment: '本部门相关',
  fullCatalogue: '完整目录',
  updateTasksR3: '更新任务（R3）',
  catalogue: '资源目录',
  theGovernmentInformationResource: '政务信息资源目录（GB/T 21063）：每项资源的提供部门、更新周期，以及每个数据项的共享类别与条件。',
  aProvidingDepartmentKeeps: ' 提供部门须保持其目录条目现行：在法律、职能或数据变化后，于目录规定的工作日内更新（R3）。',
  theCatalogue: '资源目录',
  theCatalogueHasNo: '目录尚无条目。',
  toApplyFor: '{v0} 项需申请',
  notShared: '{v0} 项不予共享',
  stale: '待更新',
  noItems: '没有数据项。',
  item: '数据项',
  field: '字段',
  class: '共享类别',
  forYou: '对您',
  readableFor: '可读取的使用目的',
  condition: '条件',
  apply: '申请',
  catalogue2: '目录',
  all: '全部',
  provider: '提供部门',
  any: '不限',
  noCatalogueEntryMatches: '没有匹配的目录条目。',
  updateOverdue: '更新逾期',
  updateDue: '更新期限 {v0}',
  updatePending: '待更新',
  resourceCode: '资源代码',
  classification: '分类',
  format: '格式',
  provision: '提供方式',
  sharing: '共享',
  updateCycle: '更新周期',
  released: '发布日期',
  lastUpdated: '最近更新',
  dataLastChanged: '数据最近变化',
  problems: '问题',
  openUpdate: '未结更新',
  due: '—— 期限',
  unclassified: '未分类',
  purposes: '使用目的',
  keepThisEntryCurrent: '保持此条目现行（R3）',
  publishedItsLastUpdate: '{v0} 已发布：最近更新日期为 {v1}，其未结更新任务已关闭。',
  submittedForReview: '{v0} 已提交协调机构审核备案（{v1}，{v2} 前），备案后发布。',
  isNoLongerProvided: '{v0} 已不由任何子图提供：已从目录中撤下。',
  theEntryChangedSince: '条目自上次发布后已变化：描述无误后请发布。',
  publishedAsItIs: '已按现状发布；再次发布将记录新的最近更新日期。',
  theEntryWasNot: '条目未发布',
  noteOnPublishingOptional: '发布 {v0} 的说明（可选）',
  noteOptional: '说明（可选）',
  noteOptional2: '说明（可选）',
  whatWasUpdated: '更新了什么',
  publishTheEntry: '发布条目',
  publishTheEntryAs: '按现状发布条目',
  sayWhatChangedThe: '请说明变化：法律及条款，或部门新增或失去的职能。',
  updateTaskForIs: '{v1} 的更新任务 {v0} 已开启：请在 {v2} 前（{v3} 个工作日）发布更新后的条目。',
  aChangeOfLaw: '影响此资源的法律或职能变化会开启更新任务，须在目录规定的工作日内完成。',
  theChangeWasNot: '变化未报告',
  whatChanged: '变化内容',
  details: '详情',
  eGTheHousehold: '例如《户口登记条例》修订，第十条',
  reportTheChange: '报告变化',
  everyDepartmentSUpdate: '所有部门的更新任务。',
  updateTasksOfS: '{v0} 条目的更新任务。',
  aTaskOpensWhen: '条目的策略、法律依据或 schema 变化，或提供部门报告法律或职能变化时，开启任务；发布条目即关闭任务。',
  includeClosed: '包含已关闭的',
  overdueOnly: '仅逾期的',
  refresh: '刷新',
  comparedEveryEntryWith: '已将每个条目与现行策略比对：开启或修订了 {v0} 项任务。',
  compareWithTheCurrent: '立即与现行策略比对',
  theCatalogueWasNot: '目录未比对',
  updateTasks: '更新任务',
  noUpdateTasks: '没有更新任务。',
  noOpenUpdateTasks: '没有未结更新任务：所有条目均为现行。',
  entry: '条目',
  why: '原因',
  opened: '开启时间',
  due2: '期限',
  unknown: '未知',
}, {
  listSeparator: ', ',
  aLawOrRegulation: 'a law or regulation changed',
  theDepartmentSFunctions: 'the department\'s functions changed',
  sharingPolicyChanged: 'sharing policy changed',
  legalBasisChanged: 'legal basis changed',
  schemaChanged: 'schema changed',
  newResource: 'new resource',
  noLongerProvided: 'no longer provided',
  forMyDepartment: 'For my department',
  fullCatalogue: 'Full catalogue',
  updateTasksR3: 'Update tasks (R3)',
  catalogue: 'Catalogue',
  theGovernmentInformationResource: 'The government information resource catalogue (GB/T 21063): each resource with its provider, update cycle and the sharing class and conditions of every item.',
  aProvidingDepartmentKeeps: ' A providing department keeps its entries current: within the catalogue\'s working days after a change of law, of its functions or of its data (R3).',
  theCatalogue: 'the catalogue',
  theCatalogueHasNo: 'The catalogue has no entries yet.',
  toApplyFor: '{v0} to apply for',
  notShared: '{v0} not shared',
  stale: 'stale',
  noItems: 'No items.',
  item: 'Item',
  field: 'Field',
  class: 'Class',
  forYou: 'For you',
  readableFor: 'Readable for',
  condition: 'Condition',
  apply: 'Apply',
  catalogue2: 'Catalogue',
  all: 'all',
  provider: 'Provider',
  any: 'any',
  noCatalogueEntryMatches: 'No catalogue entry matches.',
  updateOverdue: 'update overdue',
  updateDue: 'update due {v0}',
  updatePending: 'update pending',
  resourceCode: 'Resource code',
  classification: 'Classification',
  format: 'Format',
  provision: 'Provision',
  sharing: 'Sharing',
  updateCycle: 'Update cycle',
  released: 'Released',
  lastUpdated: 'Last updated',
  dataLastChanged: 'Data last changed',
  problems: 'Problems',
  openUpdate: 'Open update',
  due: '— due',
  unclassified: 'unclassified',
  purposes: 'Purposes',
  keepThisEntryCurrent: 'Keep this entry current (R3)',
  publishedItsLastUpdate: '{v0} published: its last update is now {v1}, and its open update task is closed.',
  submittedForReview: '{v0} was submitted to the coordinating office for review and filing ({v1}, due {v2}); it is published once filed.',
  isNoLongerProvided: '{v0} is no longer provided by any subgraph: it was withdrawn from the catalogue.',
  theEntryChangedSince: 'The entry changed since it was last published: publish it once its description is right.',
  publishedAsItIs: 'Published as it is; publishing again records a new last-update date.',
  theEntryWasNot: 'The entry was not published',
  noteOnPublishingOptional: 'Note on publishing {v0} (optional)',
  noteOptional: 'note (optional)',
  noteOptional2: 'Note (optional)',
  whatWasUpdated: 'what was updated',
  publishTheEntry: 'Publish the entry',
  publishTheEntryAs: 'Publish the entry as it is now',
  sayWhatChangedThe: 'Say what changed: the law and article, or the function the department gained or lost.',
  updateTaskForIs: 'Update task {v0} for {v1} is open: publish the updated entry by {v2} ({v3} working days).',
  aChangeOfLaw: 'A change of law or of your functions that affects this resource opens an update task, due within the catalogue\'s working days.',
  theChangeWasNot: 'The change was not reported',
  whatChanged: 'What changed',
  details: 'Details',
  eGTheHousehold: 'e.g. the Household Registration Regulations amended, art. 10',
  reportTheChange: 'Report the change',
  everyDepartmentSUpdate: 'Every department\'s update tasks.',
  updateTasksOfS: 'Update tasks of {v0}\'s entries.',
  aTaskOpensWhen: 'A task opens when an entry\'s policy, legal basis or schema changes, or when its provider reports a change of law or functions; publishing the entry closes it.',
  includeClosed: 'include closed',
  overdueOnly: 'overdue only',
  refresh: 'Refresh',
  comparedEveryEntryWith: 'Compared every entry with the current policy: {v0} task(s) opened or amended.',
  compareWithTheCurrent: 'Compare with the current policy now',
  theCatalogueWasNot: 'The catalogue was not reconciled',
  updateTasks: 'update tasks',
  noUpdateTasks: 'No update tasks.',
  noOpenUpdateTasks: 'No open update tasks: every entry is current.',
  entry: 'Entry',
  why: 'Why',
  opened: 'Opened',
  due2: 'Due',
  unknown: 'unknown',
});

const CATEGORIES = ['BASIC', 'THEMATIC', 'DEPARTMENTAL'] as const;
/** The catalogue key naming each cause of an update task (R3). */
const CAUSE_KEY: Readonly<Record<string, 'aLawOrRegulation' | 'theDepartmentSFunctions' | 'sharingPolicyChanged' | 'legalBasisChanged' | 'schemaChanged' | 'newResource' | 'noLongerProvided'>> = {
  LAW_CHANGED: 'aLawOrRegulation', FUNCTIONS_CHANGED: 'theDepartmentSFunctions',
  POLICY: 'sharingPolicyChanged', LEGAL_BASIS: 'legalBasisChanged', DEFINITION: 'schemaChanged', NEW_RESOURCE: 'newResource', WITHDRAWN: 'noLongerProvided',
};

type Navigate = (query: Record<string, string | undefined>) => void;
type View = 'mine' | 'full' | 'updates';

export function CataloguePage({ query, navigate }: { query: Readonly<Record<string, string>>; navigate: Navigate }) {
  const t = useMessages(M);
  const { session } = useSession();
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  const admin = session.me.kind !== 'APP';
  const views: View[] = [...(platform ? [] : ['mine' as const]), 'full', ...(admin ? ['updates' as const] : [])];
  const asked = query.view as View | undefined;
  const view: View = asked && views.includes(asked) ? asked : views[0]!;
  const [done, setDone] = useState<string | null>(null);
  const label: Record<View, string> = { mine: t('forMyDepartment'), full: t('fullCatalogue'), updates: t('updateTasksR3') };
  return (
    <section>
      <PageHeader title={t('catalogue')}>
        {t('theGovernmentInformationResource')}{admin && t('aProvidingDepartmentKeeps')}
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
  const t = useMessages(M);
  const value = useQuery<{ myCatalogue: MyCatalogueEntry[] }>(Q.MY_CATALOGUE);
  const { departmentName } = useSession();
  return (
    <Async value={value} what={t('theCatalogue')}>
      {({ myCatalogue }) => myCatalogue.length === 0 ? <Empty>{t('theCatalogueHasNo')}</Empty> : (
        <div className="entries">
          {myCatalogue.map((e) => (
            <details key={e.code} className="entry" data-testid={`catalogue-entry-${e.code}`}>
              <summary>
                <span className="entry-name">{e.name} <span className="muted">{e.nameEn}</span></span>
                <code>{e.code}</code>
                <span className="muted">{departmentName(e.provider)}</span>
                <span className="entry-counts">
                  <Badge value="READ" label={`${e.read} readable`} />
                  {e.apply > 0 && <Badge value="APPLY" label={t('toApplyFor', { v0: e.apply })} />}
                  {e.notShared > 0 && <Badge value="NOT_SHARED" label={t('notShared', { v0: e.notShared })} />}
                  {e.own > 0 && <Badge value="OWN" label={`${e.own} own`} />}
                  {e.freshness.stale && <Badge value="OVERDUE" label={t('stale')} />}
                </span>
              </summary>
              <DataTable
                rows={e.items}
                rowKey={(i) => i.coordinate}
                rowTestId={(i) => `catalogue-item-${i.coordinate}`}
                empty={t('noItems')}
                columns={[
                  { header: t('item'), render: (i) => <>{i.name ?? i.nameEn} <span className="muted">{i.nameEn}</span></> },
                  { header: t('field'), render: (i) => <Coordinate value={i.coordinate} /> },
                  { header: t('class'), render: (i) => <Badge value={i.sharingClass} /> },
                  { header: t('forYou'), render: (i) => <Badge value={i.status} /> },
                  { header: t('readableFor'), render: (i) => <List values={i.readableFor} /> },
                  { header: t('condition'), render: (i) => <span className="basis">{i.condition}</span> },
                  { header: '', render: (i) => (i.applicableFor.length ? <a className="button small" href={applyHref(i.coordinate, i.applicableFor)} data-testid={`catalogue-apply-${i.coordinate}`}>{t('apply')}</a> : null) },
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
  const t = useMessages(M);
  const { session } = useSession();
  const maintains = useMaintains();
  const value = useQuery<{ catalogue: CatalogueEntry[] }>(Q.CATALOGUE, { category: category || null, provider: provider || null });
  const done = (message: string) => { onDone(message); value.reload(); };
  return (
    <>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>{t('catalogue2')} <select value={category} onChange={(e) => navigate({ view: 'full', category: e.target.value, provider })}><Options values={CATEGORIES} labels={(c) => c.toLowerCase()} blank={t('all')} /></select></label>
        <label>{t('provider')} <select value={provider} onChange={(e) => navigate({ view: 'full', category, provider: e.target.value })}><Options values={session.departments.map((d) => d.code)} labels={(c) => `${c} — ${session.departments.find((d) => d.code === c)?.name ?? ''}`} blank={t('any')} /></select></label>
      </form>
      <Async value={value} what={t('theCatalogue')}>
        {({ catalogue }) => catalogue.length === 0 ? <Empty>{t('noCatalogueEntryMatches')}</Empty> : (
          <div className="entries">
            {catalogue.map((e) => (
              <details key={e.code} className="entry" open={open === e.code || undefined} data-testid={`catalogue-entry-${e.code}`}>
                <summary>
                  <span className="entry-name">{e.name} <span className="muted">{e.nameEn}</span></span>
                  <code>{e.code}</code>
                  <span className="muted">{e.provider.name}</span>
                  <span className="entry-counts">
                    <Badge value={e.sharing.type} label={e.sharing.name} />
                    {e.openUpdate && <Badge value={e.openUpdate.overdue ? 'OVERDUE' : 'PENDING'} label={e.openUpdate.overdue ? t('updateOverdue') : t('updateDue', { v0: e.openUpdate.dueDate ?? '?' })} />}
                    {e.updatePending && !e.openUpdate && <Badge value="PENDING" label={t('updatePending')} />}
                    {e.freshness.stale && <Badge value="OVERDUE" label={t('stale')} />}
                    {e.problems.length > 0 && <Badge value="UNCLASSIFIED" label={`${e.problems.length} problem(s)`} />}
                  </span>
                </summary>
                <dl className="facts">
                  <dt>{t('resourceCode')}</dt><dd><code>{e.resourceCode}</code></dd>
                  <dt>{t('classification')}</dt><dd>{e.classification.categoryName} ({e.classification.category})</dd>
                  <dt>{t('provider')}</dt><dd>{e.provider.name} · {e.provider.nameEn} (<code>{e.provider.code}</code>)</dd>
                  <dt>{t('format')}</dt><dd>{e.format.name} <span className="muted">{e.format.mediaType}</span></dd>
                  <dt>{t('provision')}</dt><dd>{e.sharing.methods.filter((m) => m.available).map((m) => m.name).join('、') || '—'}</dd>
                  <dt>{t('sharing')}</dt><dd>{e.sharing.condition}</dd>
                  <dt>{t('updateCycle')}</dt><dd>{e.updateCycleName}</dd>
                  <dt>{t('released')}</dt><dd>{formatTime(e.releaseDate)}</dd>
                  <dt>{t('lastUpdated')}</dt><dd>{formatTime(e.lastUpdated)}</dd>
                  <dt>{t('dataLastChanged')}</dt><dd>{formatTime(e.freshness.dataLastChanged)}{e.freshness.error ? ` (${e.freshness.error})` : ''}</dd>
                  {e.problems.length > 0 && <><dt>{t('problems')}</dt><dd>{e.problems.join('; ')}</dd></>}
                  {e.openUpdate && <><dt>{t('openUpdate')}</dt><dd data-testid="entry-open-update">{e.openUpdate.causes.map((c) => (CAUSE_KEY[c] ? t(CAUSE_KEY[c]) : c)).join(t('listSeparator'))}: {e.openUpdate.reason} {t('due')} {e.openUpdate.dueDate ?? e.openUpdate.dueProblem ?? '?'}</dd></>}
                </dl>
                {maintains(e.provider.code) && <EntryMaintenance entry={e} onDone={done} />}
                <DataTable
                  rows={e.items}
                  rowKey={(i) => i.coordinate}
                  empty={t('noItems')}
                  columns={[
                    { header: t('item'), render: (i) => <>{i.name ?? i.nameEn} <span className="muted">{i.nameEn}</span></> },
                    { header: t('field'), render: (i) => <Coordinate value={i.coordinate} /> },
                    { header: t('class'), render: (i) => <>{<Badge value={i.sharingClass} />}{i.unclassified && <> <Badge value="UNCLASSIFIED" label={t('unclassified')} /></>}</> },
                    { header: t('purposes'), render: (i) => <List values={i.purposes} empty={t('any')} /> },
                    { header: t('condition'), render: (i) => <span className="basis">{i.condition}</span> },
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
  const t = useMessages(M);
  return (
    <div className="entry-actions" data-testid={`entry-actions-${entry.code}`}>
      <h3>{t('keepThisEntryCurrent')}</h3>
      <div className="field-row">
        <PublishEntry code={entry.code} pending={entry.updatePending || entry.openUpdate !== null} onDone={onDone} />
        <ReportChange code={entry.code} onDone={onDone} />
      </div>
    </div>
  );
}

function PublishEntry({ code, pending, onDone, compact }: { code: string; pending: boolean; onDone(message: string): void; compact?: boolean }) {
  const t = useMessages(M);
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
      ? t('submittedForReview', { v0: code, v1: review.id, v2: review.dueDate ?? '' })
      : done.publishCatalogueEntry
      ? t('publishedItsLastUpdate', { v0: code, v1: formatTime(done.publishCatalogueEntry.lastUpdated) })
      : t('isNoLongerProvided', { v0: code }));
  };
  return (
    <form className={compact ? 'inline-form' : 'form'} onSubmit={submit} noValidate data-testid={`publish-entry-form-${code}`}>
      {!compact && <p className="muted">{pending ? t('theEntryChangedSince') : t('publishedAsItIs')}</p>}
      <ErrorBox error={publish.error} title={t('theEntryWasNot')} />
      {compact
        ? <input aria-label={t('noteOnPublishingOptional', { v0: code })} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('noteOptional')} />
        : (
          <Field label={t('noteOptional2')} htmlFor={`publish-note-${code}`}>
            <input id={`publish-note-${code}`} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('whatWasUpdated')} />
          </Field>
        )}
      <div className="actions">
        <button type="submit" className={[pending ? '' : 'secondary', compact ? 'small' : ''].join(' ').trim() || undefined} disabled={publish.busy} data-testid={`publish-entry-${code}`}>
          {compact ? t('publishTheEntry') : t('publishTheEntryAs')}
        </button>
      </div>
    </form>
  );
}

function ReportChange({ code, onDone }: { code: string; onDone(message: string): void }) {
  const t = useMessages(M);
  const report = useMutation<{ reportCatalogueChange: CatalogueUpdate }>(Q.REPORT_CATALOGUE_CHANGE);
  const [cause, setCause] = useState<CatalogueReportedCause>('LAW_CHANGED');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const p = requireText(reason, t('sayWhatChangedThe'));
    setProblem(p);
    if (p) return;
    const done = await report.run({ code, cause, reason: reason.trim() });
    if (!done) return;
    setReason('');
    const u = done.reportCatalogueChange;
    onDone(t('updateTaskForIs', { v0: u.id, v1: code, v2: u.dueDate ?? u.dueProblem ?? '?', v3: u.workingDays }));
  };
  return (
    <form className="form" onSubmit={submit} noValidate data-testid={`report-change-form-${code}`}>
      <p className="muted">{t('aChangeOfLaw')}</p>
      <ErrorBox error={report.error} title={t('theChangeWasNot')} />
      <Field label={t('whatChanged')} htmlFor={`report-cause-${code}`}>
        <select id={`report-cause-${code}`} value={cause} onChange={(e) => setCause(e.target.value as CatalogueReportedCause)}>
          <Options values={CATALOGUE_REPORTED_CAUSES} labels={(c) => (CAUSE_KEY[c] ? t(CAUSE_KEY[c]) : c)} />
        </select>
      </Field>
      <Field label={t('details')} htmlFor={`report-reason-${code}`} error={problem}>
        <textarea id={`report-reason-${code}`} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('eGTheHousehold')} />
      </Field>
      <div className="actions"><button type="submit" className="secondary" disabled={report.busy} data-testid={`report-change-${code}`}>{t('reportTheChange')}</button></div>
    </form>
  );
}

function UpdateTasks({ includeClosed, overdueOnly, navigate, onDone }: { includeClosed: boolean; overdueOnly: boolean; navigate: Navigate; onDone(message: string): void }) {
  const t = useMessages(M);
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
        {platform ? t('everyDepartmentSUpdate') : t('updateTasksOfS', { v0: departmentName(session.me.department) })} {t('aTaskOpensWhen')}
      </p>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label className="check"><input type="checkbox" checked={includeClosed} onChange={(e) => nav({ closed: e.target.checked ? '1' : undefined })} data-testid="updates-closed" /> {t('includeClosed')}</label>
        <label className="check"><input type="checkbox" checked={overdueOnly} onChange={(e) => nav({ overdue: e.target.checked ? '1' : undefined })} /> {t('overdueOnly')}</label>
        <button type="button" className="secondary" onClick={value.reload}>{t('refresh')}</button>
        {platform && (
          <button type="button" className="secondary" disabled={reconcile.busy} data-testid="reconcile"
            onClick={async () => { const r = await reconcile.run({}); if (r) done(t('comparedEveryEntryWith', { v0: r.reconcileCatalogue.length })); }}>
            {t('compareWithTheCurrent')}
          </button>
        )}
      </form>
      <ErrorBox error={reconcile.error} title={t('theCatalogueWasNot')} />
      <Async value={value} what={t('updateTasks')}>
        {({ catalogueUpdates }) => (
          <DataTable
            testId="updates-table"
            rows={catalogueUpdates}
            rowKey={(u) => u.id}
            rowTestId={(u) => `update-${u.entryCode}`}
            empty={includeClosed ? t('noUpdateTasks') : t('noOpenUpdateTasks')}
            columns={[
              { header: t('entry'), className: 'nowrap', render: (u) => <a href={hrefOf('catalogue', [], { view: 'full', entry: u.entryCode })}><code>{u.entryCode}</code></a> },
              { header: t('provider'), render: (u) => <span title={departmentName(u.provider)}>{u.provider}</span> },
              { header: t('why'), render: (u) => <>{u.causes.map((c) => <span key={c} className="chip">{(CAUSE_KEY[c] ? t(CAUSE_KEY[c]) : c)}</span>)}<span className="basis">{u.reason}</span>{u.changedItems.length > 0 && <div><List values={u.changedItems} /></div>}</> },
              { header: t('opened'), className: 'nowrap', render: (u) => <>{formatTime(u.openedAt)}<div className="muted">{u.openedBy}</div></> },
              {
                header: t('due2'),
                className: 'nowrap',
                render: (u) => (u.closedAt ? <Badge value="closed" label={`closed ${formatTime(u.closedAt)}`} /> : <>{u.dueDate ?? <span className="muted" title={u.dueProblem ?? ''}>{t('unknown')}</span>}<ProvisionalMark provisional={u.dueDateProvisional} />{u.overdue && <> <Badge value="OVERDUE" /></>}</>),
              },
              { header: '', render: (u) => (!u.closedAt && maintains(u.provider) ? <PublishEntry code={u.entryCode} pending compact onDone={done} /> : u.closedAt ? <span className="muted">{u.resolution} · {u.closedBy}</span> : null) },
            ]}
          />
        )}
      </Async>
    </>
  );
}
