/**
 * The catalogue as the platform runs it: built from the subgraphs' SDL and the current policy
 * snapshot on each read, with what only the catalogue's own database knows — when each entry
 * was published, its open update task, and the providers' freshness.
 *
 * Update tasks (R3): `reconcile` compares each entry's fingerprint (its declared items and
 * elements, and every item's effective policy and legal basis) with the one last published;
 * a difference opens one task per entry, due on the Nth working day after it was noticed
 * (China's working-day calendar, statutory holidays and adjusted working days counted), N the
 * setting CATALOGUE_UPDATE_WORKING_DAYS in force when it opens (a task keeps its deadline).
 * The providing department is told when a task opens, and it and the coordinating office when
 * it becomes overdue, once each (`notify`, given by the platform).
 * `reportChange` opens one for what no fingerprint shows: a change of law or of a department's
 * functions. `publish` (the provider's "catalogue updated") closes it and bumps the entry's
 * last update. Reads reconcile first whenever the policy version moved, so a change made on
 * any replica is noticed on the next read anywhere; the platform also sweeps periodically.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { accessOf } from '../../policies/access.ts';
import type { SubgraphSdl } from '../../policies/fieldsUnderPolicy.ts';
import type { PolicySnapshot } from '../../policies/snapshot.ts';
import { CalendarYearUnknownError, chinaDate, type WorkingDayCalendar } from '../../policies/workingDays.ts';
import { buildCatalogue, type EntryRecord, type ProviderName } from './buildCatalogue.ts';
import type { CatalogueDatabase } from './catalogueDatabase.ts';
import { consumerView, type ConsumerEntry } from './consumerView.ts';
import { diffStates, entryState, fingerprintOf, type EntryState } from './entryState.ts';
import type { FreshnessRecord } from './freshness.ts';
import type { FreshnessSource } from './freshnessSource.ts';
import { REPORTED_CAUSES, type CatalogueCategory, type CatalogueEntry, type CatalogueUpdate, type ChangeCause } from './model.ts';
import { isFederationInternal, placeCatalogue, type CatalogueDefinition } from './placement.ts';
import { SETTING_DEFAULTS } from '../settings/settingDefinitions.ts';
import { CatalogueReviews, FIRST_EDITION_FILER } from './catalogueReview.ts';
import type { CatalogueNotifier } from './catalogueNotifier.ts';

/** R3: catalogue entries are updated within 10 working days (002 art. 9; other measures: 15), by default. */
export const DEFAULT_UPDATE_WORKING_DAYS = SETTING_DEFAULTS.CATALOGUE_UPDATE_WORKING_DAYS;
/** How long a freshness answer is reused before the subgraphs are asked again. @default 60 s */
export const FRESHNESS_TTL_MS = 60_000;
const SYSTEM_ACTOR = 'system:catalogue';

export interface CatalogueServiceOptions {
  readonly db: Kysely<CatalogueDatabase>;
  /**
   * The subgraphs whose SDL the policy is built from: a fixed list (SUBGRAPHS), or the
   * registry's current one (`() => registry.subgraphSdls()`), re-placed whenever it changes.
   */
  readonly subgraphs: readonly SubgraphSdl[] | (() => Promise<readonly SubgraphSdl[]>);
  /** The current policy snapshot (PolicyState.current). */
  readonly snapshot: () => PolicySnapshot;
  /** Departments' names (the platform store's departments). */
  readonly providers: () => Promise<readonly ({ readonly code: string } & ProviderName)[]>;
  readonly calendar: WorkingDayCalendar;
  /** Asks a subgraph for its freshness; absent: the last answers in the database are shown. */
  readonly freshness?: FreshnessSource;
  readonly clock?: () => Date;
  /**
   * Working days an update task is due in: a number, or the setting in force, read when a task
   * opens. @default DEFAULT_UPDATE_WORKING_DAYS (10)
   */
  readonly updateWorkingDays?: number | (() => Promise<number>);
  /** Tells departments of update tasks (opened, overdue), once per key; absent: nobody is told. */
  readonly notify?: CatalogueNotifier;
  /** @default FRESHNESS_TTL_MS */
  readonly freshnessTtlMs?: number;
  /**
   * Working days the coordinating office has to review a provider's catalogue change (issue 21):
   * a number, or the setting CATALOGUE_REVIEW_WORKING_DAYS in force. @default 10
   */
  readonly reviewWorkingDays?: number | (() => Promise<number>);
  /**
   * Reconcile before a read when the policy version moved. Off for read-only users of the
   * database (the export command), which then show pending changes without opening tasks.
   * @default true
   */
  readonly reconcileOnRead?: boolean;
}

export interface CatalogueFilter {
  readonly category?: CatalogueCategory | null;
  readonly provider?: string | null;
  readonly staleOnly?: boolean | null;
  readonly pendingOnly?: boolean | null;
}

export interface UpdateFilter {
  readonly overdueOnly?: boolean | null;
  /** Closed tasks too. @default false */
  readonly includeClosed?: boolean | null;
  readonly provider?: string | null;
  readonly entryCode?: string | null;
}

export type { CatalogueNotifier } from './catalogueNotifier.ts';

/** A request the catalogue cannot carry out; the message says why and what to do. */
export class CatalogueError extends Error {}

type UpdateRow = CatalogueDatabase['catalogue_updates'];

export class CatalogueService {
  private placed: { readonly subgraphs: readonly SubgraphSdl[]; readonly definition: CatalogueDefinition } | null = null;
  private readonly clock: () => Date;
  private readonly workingDays: number | (() => Promise<number>);
  private reconciledVersion: number | null = null;
  private reconciling: Promise<CatalogueUpdate[]> | null = null;
  private freshnessCheckedAt = 0;
  private freshnessRefresh: Promise<void> | null = null;
  private reviewsOf: CatalogueReviews | null = null;

  /** With a fixed subgraph list, throws CatalogueBuildError at once when a field cannot be placed in an entry. */
  constructor(private readonly options: CatalogueServiceOptions) {
    if (Array.isArray(options.subgraphs)) this.placed = { subgraphs: options.subgraphs, definition: placeCatalogue(options.subgraphs) };
    this.clock = options.clock ?? (() => new Date());
    this.workingDays = options.updateWorkingDays ?? DEFAULT_UPDATE_WORKING_DAYS;
    if (typeof this.workingDays === 'number' && (!Number.isInteger(this.workingDays) || this.workingDays < 1)) throw new RangeError(`updateWorkingDays is a whole number of days ≥ 1, received ${this.workingDays}`);
  }

  /** Review and filing of providers' catalogue changes by the coordinating office (catalogueReview.ts). */
  get reviews(): CatalogueReviews {
    this.reviewsOf ??= new CatalogueReviews({
      db: this.options.db, calendar: this.options.calendar, clock: this.clock, catalogue: this,
      workingDays: this.options.reviewWorkingDays ?? SETTING_DEFAULTS.CATALOGUE_REVIEW_WORKING_DAYS, ...(this.options.notify ? { notify: this.options.notify } : {}),
    });
    return this.reviewsOf;
  }

  /** An entry as it is now, to submit for review: its provider, state and fingerprint. */
  async currentState(code: string): Promise<{ provider: string; state: EntryState; fingerprint: string }> {
    await this.current();
    const definition = await this.definition();
    const resource = definition.resources.find((r) => r.code === code);
    if (!resource) throw new CatalogueError(`no catalogue entry ${code} provided now; known: ${definition.resources.map((r) => r.code).join(', ')}`);
    const state = entryState(definition, code, this.options.snapshot());
    return { provider: resource.department, state, fingerprint: fingerprintOf(state) };
  }

  /**
   * Publishes a reviewed state (issue 21: what the coordinating office filed, not what the
   * entry has become since); the open update task is closed as of `updateClosedAt`, when the
   * provider submitted it — the provider's R3 deadline is met by submitting, the review has its own.
   */
  async publishFiled(code: string, state: EntryState, fingerprint: string, actor: string, note: string | null, updateClosedAt: Date): Promise<void> {
    await this.recordPublication(code, state, fingerprint, actor, note, updateClosedAt);
  }

  /** The working days a task opened now is due in. */
  async updateWorkingDays(): Promise<number> {
    return typeof this.workingDays === 'number' ? this.workingDays : this.workingDays();
  }

  /**
   * Where every field coordinate of the current subgraphs belongs; throws CatalogueBuildError,
   * naming each field, when one cannot be placed (a registration the catalogue cannot list).
   */
  async definition(): Promise<CatalogueDefinition> {
    const source = this.options.subgraphs;
    const subgraphs = typeof source === 'function' ? await source() : source;
    if (this.placed?.subgraphs !== subgraphs) this.placed = { subgraphs, definition: placeCatalogue(subgraphs) };
    return this.placed.definition;
  }

  // ---- reads ----------------------------------------------------------------------------

  async entries(filter: CatalogueFilter = {}): Promise<CatalogueEntry[]> {
    await this.current();
    const snapshot = this.options.snapshot();
    const [definition, providers, records, freshness] = await Promise.all([this.definition(), this.providerNames(), this.records(), this.freshnessRecords()]);
    const entries = buildCatalogue({ definition, snapshot, providers, records, freshness, now: this.clock() });
    return entries.filter((e) =>
      (!filter.category || (filter.category === 'DEPARTMENTAL' ? true : e.classification.category === filter.category))
      && (!filter.provider || e.provider.code === filter.provider)
      && (!filter.staleOnly || e.freshness.stale === true)
      && (!filter.pendingOnly || e.updatePending));
  }

  async entry(code: string): Promise<CatalogueEntry | null> {
    return (await this.entries()).find((e) => e.code === code || e.resourceCode === code) ?? null;
  }

  /** The catalogue as one department may use it (R5, R6). */
  async consumerView(department: string): Promise<ConsumerEntry[]> {
    const entries = await this.entries();
    return consumerView(entries, accessOf(this.options.snapshot(), department, this.clock().getTime()));
  }

  async updates(filter: UpdateFilter = {}): Promise<CatalogueUpdate[]> {
    await this.current();
    let query = this.options.db.selectFrom('catalogue_updates').selectAll().orderBy('opened_at', 'asc');
    if (!filter.includeClosed) query = query.where('closed_at', 'is', null);
    if (filter.provider) query = query.where('provider', '=', filter.provider);
    if (filter.entryCode) query = query.where('entry_code', '=', filter.entryCode);
    const updates = (await query.execute()).map((row) => this.toUpdate(row));
    return filter.overdueOnly ? updates.filter((u) => u.overdue) : updates;
  }

  // ---- changes --------------------------------------------------------------------------

  /**
   * Opens an update task for every entry whose fingerprint differs from the one last
   * published (amending the open one, whose deadline stands), and closes detected tasks whose
   * change was undone. The first reconcile of an empty catalogue publishes every entry as it
   * is: that is the catalogue's first edition. Returns the tasks opened or amended.
   */
  reconcile(snapshot: PolicySnapshot = this.options.snapshot()): Promise<CatalogueUpdate[]> {
    // One at a time per replica; replicas racing each other are kept apart by the database.
    const run = (this.reconciling ?? Promise.resolve([])).catch(() => []).then(() => this.reconcileNow(snapshot));
    this.reconciling = run;
    return run.finally(() => {
      if (this.reconciling === run) this.reconciling = null;
    });
  }

  private async reconcileNow(snapshot: PolicySnapshot): Promise<CatalogueUpdate[]> {
    const { db } = this.options;
    const now = this.clock();
    const definition = await this.definition();
    // Right after a publish the policy may not have the new fields yet (or still have the old
    // ones): compare only a snapshot that matches the schema, or every entry would look changed.
    const placed = new Set(definition.items.map((i) => i.coordinate));
    const underPolicy = [...snapshot.fields.keys()].filter((c) => !isFederationInternal(c));
    if (placed.size !== underPolicy.length || [...placed].some((c) => !snapshot.fields.has(c))) return [];
    const rows = await db.selectFrom('catalogue_entries').selectAll().execute();
    const byCode = new Map(rows.map((r) => [r.code, r]));
    const firstEdition = rows.length === 0;
    const touched: CatalogueUpdate[] = [];
    for (const resource of definition.resources) {
      const state = entryState(definition, resource.code, snapshot);
      const fingerprint = fingerprintOf(state);
      const row = byCode.get(resource.code);
      if (!row) {
        await db.insertInto('catalogue_entries').values({
          code: resource.code, type_name: resource.typeName, provider: resource.department,
          release_date: null, last_updated: null, catalogued_fingerprint: null, catalogued_state: null, withdrawn_at: null, created_at: now.toISOString(),
        }).onConflict((oc) => oc.column('code').doNothing()).execute();
        if (firstEdition) {
          await this.recordPublication(resource.code, state, fingerprint, FIRST_EDITION_FILER, 'first edition of the catalogue');
          // Issue 21: the first edition at platform start is on file (备案) as it stands.
          await this.reviews.fileFirstEdition(resource.code, resource.department, fingerprint);
        } else {
          const update = await this.openOrAmend(resource.code, resource.department, diffStates(null, state), snapshot.version, `${resource.code} (${resource.name}) is a new resource of ${resource.department}: catalogue it`, SYSTEM_ACTOR);
          if (update) touched.push(update);
        }
        continue;
      }
      if (row.catalogued_fingerprint === fingerprint && !row.withdrawn_at) {
        await this.closeReverted(resource.code);
        continue;
      }
      // A withdrawn resource that is provided again comes back as new.
      const before = row.catalogued_state && !row.withdrawn_at ? (JSON.parse(row.catalogued_state) as EntryState) : null;
      const difference = diffStates(before, state);
      const update = await this.openOrAmend(resource.code, resource.department, difference, snapshot.version, describe(difference, snapshot.version), SYSTEM_ACTOR);
      if (update) touched.push(update);
    }
    for (const row of rows) {
      if (row.withdrawn_at || definition.resources.some((r) => r.code === row.code)) continue;
      const before = row.catalogued_state ? (JSON.parse(row.catalogued_state) as EntryState) : null;
      const update = await this.openOrAmend(row.code, row.provider, diffStates(before, null), snapshot.version, `${row.code} is no longer provided by any subgraph: withdraw it from the catalogue`, SYSTEM_ACTOR);
      if (update) touched.push(update);
    }
    this.reconciledVersion = snapshot.version;
    return touched;
  }

  /**
   * The provider publishes the entry as it is now ("catalogue updated"): the state is
   * recorded, the entry's last update is now, the release date is set on first publication,
   * and the open task is closed. An entry no subgraph provides any more is withdrawn.
   */
  async publish(code: string, actor: string, note: string | null = null): Promise<CatalogueEntry | null> {
    await this.current();
    const definition = await this.definition();
    const resource = definition.resources.find((r) => r.code === code);
    const row = await this.options.db.selectFrom('catalogue_entries').selectAll().where('code', '=', code).executeTakeFirst();
    if (!resource) {
      if (!row) throw new CatalogueError(`no catalogue entry ${code}; known: ${definition.resources.map((r) => r.code).join(', ')}`);
      const at = this.clock().toISOString();
      await this.options.db.transaction().execute(async (trx) => {
        await trx.updateTable('catalogue_entries').set({ withdrawn_at: at, last_updated: at }).where('code', '=', code).execute();
        await trx.updateTable('catalogue_updates').set({ closed_at: at, closed_by: actor, resolution: 'WITHDRAWN' }).where('entry_code', '=', code).where('closed_at', 'is', null).execute();
      });
      return null;
    }
    const state = entryState(definition, code, this.options.snapshot());
    await this.recordPublication(code, state, fingerprintOf(state), actor, note);
    return this.entry(code);
  }

  /** Alias of `publish`, in the words of R3: the provider has updated its catalogue entry. */
  markUpdated(code: string, actor: string, note: string | null = null): Promise<CatalogueEntry | null> {
    return this.publish(code, actor, note);
  }

  /** Opens (or adds to) an entry's update task for a change of law or of a department's functions. */
  async reportChange(code: string, cause: ChangeCause, reason: string, actor: string): Promise<CatalogueUpdate> {
    if (!REPORTED_CAUSES.includes(cause)) throw new CatalogueError(`a reported change is one of ${REPORTED_CAUSES.join(', ')}, received ${cause}; policy and definition changes are detected by themselves`);
    if (!reason.trim()) throw new CatalogueError('state what changed (the law, article, or the department\'s functions): it is recorded with the update');
    await this.current();
    const definition = await this.definition();
    const resource = definition.resources.find((r) => r.code === code);
    if (!resource) throw new CatalogueError(`no catalogue entry ${code}; known: ${definition.resources.map((r) => r.code).join(', ')}`);
    const update = await this.openOrAmend(code, resource.department, { causes: [cause], changedItems: [] }, this.options.snapshot().version, reason.trim(), actor);
    return update ?? (await this.updates({ entryCode: code }))[0]!;
  }

  /**
   * What a periodic sweep calls: reconciles when the policy version moved since the last
   * reconcile, and asks the subgraphs for their freshness when the last answers are older than
   * the TTL — so the catalogue's database holds current freshness for the offline export too.
   * Otherwise it does nothing (no database access).
   */
  async sync(): Promise<CatalogueUpdate[]> {
    const snapshot = this.options.snapshot();
    const touched = this.reconciledVersion === snapshot.version ? [] : await this.reconcile(snapshot);
    await this.freshenIfOld();
    return touched;
  }

  /** Asks every subgraph for its freshness now (also done on reads, at most once a TTL). */
  refreshFreshness(): Promise<void> {
    this.freshnessRefresh ??= this.fetchFreshness().finally(() => {
      this.freshnessRefresh = null;
    });
    return this.freshnessRefresh;
  }

  // ---- internals ------------------------------------------------------------------------

  /** Before a read: reconciles when the policy moved, and refreshes freshness when it is old. */
  private async current(): Promise<void> {
    if (this.options.reconcileOnRead !== false) await this.sync();
    else await this.freshenIfOld();
  }

  private async freshenIfOld(): Promise<void> {
    if (this.options.freshness && this.clock().getTime() - this.freshnessCheckedAt > (this.options.freshnessTtlMs ?? FRESHNESS_TTL_MS)) await this.refreshFreshness();
  }

  private async fetchFreshness(): Promise<void> {
    const source = this.options.freshness;
    if (!source) return;
    const bySubgraph = new Map<string, string[]>();
    for (const r of (await this.definition()).resources) bySubgraph.set(r.subgraph, [...(bySubgraph.get(r.subgraph) ?? []), r.typeName]);
    const at = this.clock().toISOString();
    await Promise.all([...bySubgraph].map(async ([subgraph, types]) => {
      let answer: Readonly<Record<string, string | null>> | null = null;
      let failure: string | null = null;
      try {
        answer = await source(subgraph);
      } catch (error) {
        failure = `${subgraph} did not answer: ${(error as Error).message}`;
      }
      for (const typeName of types) {
        const reported = answer && Object.hasOwn(answer, typeName);
        const error = failure ?? (reported ? null : `${subgraph} does not report freshness for ${typeName}`);
        const insert = this.options.db.insertInto('catalogue_freshness').values({ type_name: typeName, subgraph, last_changed: reported ? answer![typeName]! : null, checked_at: at, error });
        // A failed check keeps the last known change.
        await (reported
          ? insert.onConflict((oc) => oc.column('type_name').doUpdateSet({ subgraph, last_changed: answer![typeName]!, checked_at: at, error: null }))
          : insert.onConflict((oc) => oc.column('type_name').doUpdateSet({ subgraph, checked_at: at, error }))).execute();
      }
    }));
    this.freshnessCheckedAt = this.clock().getTime();
  }

  private async providerNames(): Promise<Map<string, ProviderName>> {
    return new Map((await this.options.providers()).map((p) => [p.code, { name: p.name, nameEn: p.nameEn }]));
  }

  private async records(): Promise<Map<string, EntryRecord>> {
    const [rows, open] = await Promise.all([
      this.options.db.selectFrom('catalogue_entries').selectAll().execute(),
      this.options.db.selectFrom('catalogue_updates').selectAll().where('closed_at', 'is', null).execute(),
    ]);
    const openByCode = new Map(open.map((u) => [u.entry_code, this.toUpdate(u)]));
    return new Map(rows.map((r) => [r.code, {
      releaseDate: r.release_date, lastUpdated: r.last_updated, cataloguedFingerprint: r.catalogued_fingerprint, openUpdate: openByCode.get(r.code) ?? null,
    }]));
  }

  private async freshnessRecords(): Promise<Map<string, FreshnessRecord>> {
    const rows = await this.options.db.selectFrom('catalogue_freshness').selectAll().execute();
    return new Map(rows.map((r) => [r.type_name, { lastChanged: r.last_changed, checkedAt: r.checked_at, error: r.error }]));
  }

  private due(openedAt: Date, workingDays: number): { dueDate: string | null; dueProblem: string | null } {
    // R3: the update is due on the Nth working day after the change was noticed (China time).
    try {
      return { dueDate: this.options.calendar.addWorkingDays(chinaDate(openedAt), workingDays), dueProblem: null };
    } catch (error) {
      // Listed for the coordinating office rather than failing the reconcile: the deadline
      // is known as soon as the State Council's notice for that year is added.
      if (error instanceof CalendarYearUnknownError) return { dueDate: null, dueProblem: error.message };
      throw error;
    }
  }

  /**
   * Opens the entry's update task, or amends the open one (whose deadline stands): a detected
   * difference replaces the detected causes and changed items (they follow the entry as it is
   * now); a reported change adds its cause and its reason.
   */
  private async openOrAmend(code: string, provider: string, difference: { causes: readonly ChangeCause[]; changedItems: readonly string[] }, policyVersion: number, reason: string, actor: string): Promise<CatalogueUpdate | null> {
    const { db } = this.options;
    const reportedNow = difference.causes.some((c) => REPORTED_CAUSES.includes(c));
    const open = await db.selectFrom('catalogue_updates').selectAll().where('entry_code', '=', code).where('closed_at', 'is', null).executeTakeFirst();
    if (open) {
      const previous = JSON.parse(open.causes) as ChangeCause[];
      const causes = reportedNow
        ? [...new Set([...previous, ...difference.causes])]
        : [...new Set([...previous.filter((c) => REPORTED_CAUSES.includes(c)), ...difference.causes])];
      const changedItems = reportedNow ? JSON.parse(open.changed_items) as string[] : [...difference.changedItems].sort();
      const reasonNow = reportedNow ? `${open.reason}; ${reason}` : open.reason;
      if (!reportedNow && JSON.stringify(causes) === JSON.stringify(previous) && JSON.stringify(changedItems) === open.changed_items) return null;
      const amended = { ...open, causes: JSON.stringify(causes), changed_items: JSON.stringify(changedItems), policy_version: policyVersion, reason: reasonNow };
      await db.updateTable('catalogue_updates').set({ causes: amended.causes, changed_items: amended.changed_items, policy_version: policyVersion, reason: reasonNow }).where('id', '=', open.id).execute();
      return this.toUpdate(amended);
    }
    const openedAt = this.clock();
    const workingDays = await this.updateWorkingDays();
    const { dueDate, dueProblem } = this.due(openedAt, workingDays);
    const row: UpdateRow = {
      id: `cu-${chinaDate(openedAt).replaceAll('-', '')}-${randomUUID().slice(0, 8)}`,
      entry_code: code, provider, causes: JSON.stringify(difference.causes), changed_items: JSON.stringify([...difference.changedItems].sort()),
      reason, opened_at: openedAt.toISOString(), opened_by: actor, policy_version: policyVersion,
      due_date: dueDate, working_days: workingDays, due_problem: dueProblem, closed_at: null, closed_by: null, resolution: null,
    };
    const result = await db.insertInto('catalogue_updates').values(row)
      .onConflict((oc) => oc.column('entry_code').where('closed_at', 'is', null).doNothing())
      .executeTakeFirst();
    // Another replica opened it first: theirs stands.
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return null;
    const opened = this.toUpdate(row);
    // A failed notice is sent by the next noticeUpdates sweep.
    await this.noticeOpened(opened).catch(() => false);
    return opened;
  }

  private noticeOpened(u: CatalogueUpdate): Promise<boolean> {
    if (!this.options.notify) return Promise.resolve(false);
    const due = u.dueDate ? `${u.dueDate} 前（${u.workingDays}个工作日）` : `${u.workingDays}个工作日内（截止日期待日历补充：${u.dueProblem ?? ''}）`;
    return this.options.notify({
      key: `CATALOGUE_UPDATE_OPENED:${u.id}`, departments: [u.provider], toCoordinatingOffice: false, kind: 'CATALOGUE_UPDATE_OPENED',
      message: `目录更新任务 ${u.id}：请于 ${due}更新目录条目 ${u.entryCode}（R3）。原因：${u.reason}`,
      params: { updateId: u.id, entryCode: u.entryCode, provider: u.provider, dueDate: u.dueDate, workingDays: u.workingDays },
    });
  }

  /**
   * What a periodic sweep calls: tells the provider of every open task it was not yet told of
   * (a notice that failed when the task opened), and the provider and the coordinating office
   * of every task now overdue — once each. Returns the notices sent.
   */
  async noticeUpdates(): Promise<number> {
    const notify = this.options.notify;
    if (!notify) return 0;
    const open = (await this.options.db.selectFrom('catalogue_updates').selectAll().where('closed_at', 'is', null).execute()).map((row) => this.toUpdate(row));
    let sent = 0;
    for (const u of open) {
      if (await this.noticeOpened(u)) sent++;
      if (!u.overdue) continue;
      if (await notify({
        key: `CATALOGUE_UPDATE_OVERDUE:${u.id}`, departments: [u.provider], toCoordinatingOffice: true, kind: 'CATALOGUE_UPDATE_OVERDUE',
        message: `目录更新任务 ${u.id} 已逾期：${u.provider} 的目录条目 ${u.entryCode} 应于 ${u.dueDate} 前更新（${u.workingDays}个工作日，R3）`,
        params: { updateId: u.id, entryCode: u.entryCode, provider: u.provider, dueDate: u.dueDate, workingDays: u.workingDays },
      })) sent++;
    }
    return sent;
  }

  /** A detected change undone before publication needs no update any more. */
  private async closeReverted(code: string): Promise<void> {
    const open = await this.options.db.selectFrom('catalogue_updates').selectAll().where('entry_code', '=', code).where('closed_at', 'is', null).executeTakeFirst();
    if (!open || (JSON.parse(open.causes) as ChangeCause[]).some((c) => REPORTED_CAUSES.includes(c))) return;
    await this.options.db.updateTable('catalogue_updates').set({ closed_at: this.clock().toISOString(), closed_by: SYSTEM_ACTOR, resolution: 'REVERTED' }).where('id', '=', open.id).execute();
  }

  private async recordPublication(code: string, state: EntryState, fingerprint: string, actor: string, note: string | null, updateClosedAt?: Date): Promise<void> {
    const at = this.clock();
    const closedAt = (updateClosedAt ?? at).toISOString();
    await this.options.db.transaction().execute(async (trx) => {
      const entry = await trx.selectFrom('catalogue_entries').select(['release_date']).where('code', '=', code).executeTakeFirstOrThrow();
      await trx.updateTable('catalogue_entries').set({
        catalogued_fingerprint: fingerprint, catalogued_state: JSON.stringify(state), last_updated: at.toISOString(),
        release_date: entry.release_date ?? chinaDate(at), withdrawn_at: null,
      }).where('code', '=', code).execute();
      const open = await trx.selectFrom('catalogue_updates').select(['id']).where('entry_code', '=', code).where('closed_at', 'is', null).executeTakeFirst();
      if (open) await trx.updateTable('catalogue_updates').set({ closed_at: closedAt, closed_by: actor, resolution: 'PUBLISHED' }).where('id', '=', open.id).execute();
      await trx.insertInto('catalogue_publications').values({ id: randomUUID(), entry_code: code, published_at: at.toISOString(), published_by: actor, fingerprint, update_id: open?.id ?? null, note }).execute();
    });
  }

  private toUpdate(row: UpdateRow): CatalogueUpdate {
    const today = chinaDate(this.clock());
    return {
      id: row.id,
      entryCode: row.entry_code,
      provider: row.provider,
      causes: JSON.parse(row.causes) as ChangeCause[],
      changedItems: JSON.parse(row.changed_items) as string[],
      reason: row.reason,
      openedAt: row.opened_at,
      openedBy: row.opened_by,
      policyVersion: row.policy_version === null ? null : Number(row.policy_version),
      dueDate: row.due_date,
      workingDays: Number(row.working_days),
      dueProblem: row.due_problem,
      closedAt: row.closed_at,
      closedBy: row.closed_by,
      resolution: row.resolution,
      overdue: row.closed_at === null && row.due_date !== null && today > row.due_date,
    };
  }
}

function describe(difference: { causes: readonly ChangeCause[]; changedItems: readonly string[] }, version: number): string {
  const words: Record<ChangeCause, string> = {
    POLICY: 'sharing policy changed', LEGAL_BASIS: 'legal basis changed', DEFINITION: 'the department\'s declared items or elements changed',
    NEW_RESOURCE: 'new resource', WITHDRAWN: 'resource withdrawn', LAW_CHANGED: 'law changed', FUNCTIONS_CHANGED: 'department functions changed',
  };
  const items = difference.changedItems.length ? ` (${difference.changedItems.join(', ')})` : '';
  return `noticed at policy version ${version}: ${difference.causes.map((c) => words[c]).join('; ')}${items}`;
}
