import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../../storage/database.ts';
import { createTestStorage, testDialects, type TestStorage } from '../../storage/testing.ts';
import { chinaDate, WorkingDayCalendar } from '../../policies/workingDays.ts';
import type { Grant, PolicyOverride } from '../../policies/model.ts';
import type { PolicySnapshot } from '../../policies/snapshot.ts';
import type { SubgraphSdl } from '../../policies/fieldsUnderPolicy.ts';
import { SUBGRAPHS } from '../../subgraphs/index.ts';
import { openCatalogueDatabase, type CatalogueDatabase } from './catalogueDatabase.ts';
import { CatalogueService, type CatalogueServiceOptions } from './catalogueService.ts';
import type { FreshnessSource } from './freshnessSource.ts';
import { SOCIAL_ASSISTANCE, demoProviders, demoSnapshot, withExtraSdl } from './testing.ts';

const calendar = WorkingDayCalendar.official();
const DAY = 86_400_000;

const ETHNICITY_CONDITIONAL: PolicyOverride = {
  coordinate: 'Person.ethnicity', sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS'], basis: '《个人信息保护法》第二十八条', caseIdRequired: false, condition: null,
};

const grant = (consumer: string, coordinate: string, purpose: string): Grant => ({
  id: `g-${consumer}-${coordinate}`, consumer, coordinate, purpose, validFrom: '2026-01-01T00:00:00Z', validUntil: null, revokedAt: null,
});

for (const dialect of testDialects()) {
  describe(`catalogue service (${dialect})`, () => {
    let storage: TestStorage;
    let opened: OpenedDatabase<CatalogueDatabase>;
    let now: Date;
    let snapshot: PolicySnapshot;
    let subgraphs: readonly SubgraphSdl[];
    let service: CatalogueService;
    const make = (options: Partial<CatalogueServiceOptions> = {}) => new CatalogueService({
      db: opened.db, subgraphs: async () => subgraphs, snapshot: () => snapshot, providers: demoProviders, calendar, clock: () => now, ...options,
    });

    beforeEach(async () => {
      storage = createTestStorage(dialect);
      opened = await openCatalogueDatabase(storage.config);
      // Friday 20 November 2026, 10:00 in China.
      now = new Date('2026-11-20T02:00:00Z');
      snapshot = demoSnapshot();
      subgraphs = SUBGRAPHS;
      service = make();
    });
    afterEach(async () => {
      await opened?.close();
      await storage?.cleanup();
    });

    it('publishes every entry as the first edition when the catalogue is empty', async () => {
      expect(await service.reconcile()).toEqual([]);
      const entries = await service.entries();
      expect(entries).toHaveLength(7);
      for (const e of entries) expect(e).toMatchObject({ releaseDate: '2026-11-20', lastUpdated: now.toISOString(), updatePending: false, openUpdate: null });
      expect(await service.updates()).toEqual([]);
    });

    it('opens an update due on the 10th working day by default when a policy changes (R3, 002 art. 9), and the provider\'s publication closes it', async () => {
      await service.reconcile();
      snapshot = demoSnapshot({ version: 2, overrides: [ETHNICITY_CONDITIONAL] });
      const tasks = await service.reconcile();
      expect(tasks).toHaveLength(1);
      const due = calendar.addWorkingDays('2026-11-20', 10);
      expect(calendar.workingDaysBetween('2026-11-20', due)).toBe(10);
      expect(tasks[0]).toMatchObject({
        entryCode: 'PSB-POP-001', provider: 'psb', causes: ['POLICY', 'LEGAL_BASIS'], changedItems: ['Person.ethnicity'],
        dueDate: due, workingDays: 10, dueProblem: null, policyVersion: 2, closedAt: null, overdue: false,
      });
      const person = (await service.entry('PSB-POP-001'))!;
      expect(person).toMatchObject({ updatePending: true, openUpdate: { id: tasks[0]!.id, dueDate: due } });
      expect((await service.entry('SAMR-LE-001'))!.updatePending).toBe(false);

      // A further change to the same entry amends the task; its deadline stands.
      now = new Date(now.getTime() + 3 * DAY);
      snapshot = demoSnapshot({ version: 3, overrides: [ETHNICITY_CONDITIONAL, { ...ETHNICITY_CONDITIONAL, coordinate: 'Person.gender' }] });
      const amended = await service.reconcile();
      expect(amended).toEqual([expect.objectContaining({ id: tasks[0]!.id, dueDate: due, changedItems: ['Person.ethnicity', 'Person.gender'], policyVersion: 3 })]);
      expect(await service.updates()).toHaveLength(1);

      now = new Date(now.getTime() + DAY);
      const published = (await service.publish('PSB-POP-001', 'psb:admin', 'ethnicity and gender now conditional'))!;
      expect(published).toMatchObject({ releaseDate: '2026-11-20', lastUpdated: now.toISOString(), updatePending: false, openUpdate: null });
      expect(await service.updates()).toEqual([]);
      expect(await service.updates({ includeClosed: true })).toEqual([expect.objectContaining({ id: tasks[0]!.id, closedBy: 'psb:admin', resolution: 'PUBLISHED', overdue: false })]);
      const history = await opened.db.selectFrom('catalogue_publications').selectAll().where('entry_code', '=', 'PSB-POP-001').orderBy('published_at').execute();
      expect(history.map((h) => h.published_by)).toEqual(['system:catalogue:first-edition', 'psb:admin']);
      expect(history[1]!.update_id).toBe(tasks[0]!.id);
    });

    it('lists an update not published by its due date as overdue for the coordinating office', async () => {
      await service.reconcile();
      snapshot = demoSnapshot({ version: 2, overrides: [ETHNICITY_CONDITIONAL] });
      const [update] = await service.reconcile();
      now = new Date(`${update!.dueDate}T15:00:00Z`); // the due date's last hour in China: still on time
      expect(await service.updates({ overdueOnly: true })).toEqual([]);
      now = new Date(now.getTime() + 2 * 3_600_000); // the next day in China
      expect(await service.updates({ overdueOnly: true })).toEqual([expect.objectContaining({ id: update!.id, overdue: true })]);
      expect((await service.updates({ overdueOnly: true, provider: 'samr' }))).toEqual([]);
    });

    it('closes a detected update when the change is undone before publication', async () => {
      await service.reconcile();
      snapshot = demoSnapshot({ version: 2, overrides: [ETHNICITY_CONDITIONAL] });
      const [update] = await service.reconcile();
      snapshot = demoSnapshot({ version: 3 });
      await service.reconcile();
      expect(await service.updates()).toEqual([]);
      expect(await service.updates({ includeClosed: true })).toEqual([expect.objectContaining({ id: update!.id, resolution: 'REVERTED' })]);
    });

    it('opens an update for a reported change of law or functions, which no reconcile closes', async () => {
      await service.reconcile();
      const reported = await service.reportChange('NR-RE-001', 'LAW_CHANGED', '《不动产登记暂行条例》2024年修订第二十八条', 'dgo:platform');
      expect(reported).toMatchObject({ entryCode: 'NR-RE-001', causes: ['LAW_CHANGED'], dueDate: calendar.addWorkingDays('2026-11-20', 10), openedBy: 'dgo:platform' });
      snapshot = demoSnapshot({ version: 2 });
      await service.reconcile();
      expect(await service.updates()).toEqual([expect.objectContaining({ id: reported.id, causes: ['LAW_CHANGED'] })]);
      const both = await service.reportChange('NR-RE-001', 'FUNCTIONS_CHANGED', '机构改革：不动产登记职责调整', 'nr:admin');
      expect(both).toMatchObject({ id: reported.id, causes: ['LAW_CHANGED', 'FUNCTIONS_CHANGED'], reason: expect.stringMatching(/第二十八条; 机构改革/) });
      await expect(service.reportChange('NR-RE-001', 'POLICY', 'x', 'dgo:platform')).rejects.toThrow(/a reported change is one of LAW_CHANGED, FUNCTIONS_CHANGED/);
      await expect(service.reportChange('XX-001', 'LAW_CHANGED', 'x', 'dgo:platform')).rejects.toThrow(/no catalogue entry XX-001/);
      await service.publish('NR-RE-001', 'nr:admin');
      expect(await service.updates()).toEqual([]);
    });

    it('counts the deadline in the number of working days in force when the task opens (the platform setting)', async () => {
      let inForce = 10;
      const ten = make({ updateWorkingDays: async () => inForce });
      await ten.reconcile();
      snapshot = demoSnapshot({ version: 2, overrides: [ETHNICITY_CONDITIONAL] });
      const [update] = await ten.reconcile();
      expect(update).toMatchObject({ workingDays: 10, dueDate: calendar.addWorkingDays('2026-11-20', 10) });
      // 2026-10-01 is National Day: the working days skip the Golden Week and count the adjusted Saturday.
      inForce = 15;
      now = new Date('2026-09-30T02:00:00Z');
      await ten.reportChange('NR-DIV-001', 'FUNCTIONS_CHANGED', '区划调整', 'dgo:platform');
      const [division] = await ten.updates({ entryCode: 'NR-DIV-001' });
      expect(division).toMatchObject({ workingDays: 15, dueDate: calendar.addWorkingDays('2026-09-30', 15) });
      expect(calendar.workingDaysBetween('2026-09-30', division!.dueDate!)).toBe(15);
      // The task opened under 10 keeps its deadline.
      expect((await ten.updates({ entryCode: 'PSB-POP-001' }))[0]).toMatchObject({ workingDays: 10, dueDate: update!.dueDate });
      expect(Date.parse(division!.dueDate!) - Date.parse('2026-09-30')).toBeGreaterThan(14 * DAY);
    });

    it('gives a provisional deadline when the calendar has no notice for the year, instead of failing', async () => {
      await service.reconcile();
      now = new Date('2031-06-01T02:00:00Z');
      const update = await service.reportChange('GSA-LIC-001', 'LAW_CHANGED', '《电子签名法》修订', 'dgo:platform');
      expect(update).toMatchObject({ dueDate: calendar.addWorkingDays('2031-06-01', 10), overdue: false, dueProblem: null });
      expect(calendar.isProvisionalSpan('2031-06-01', update.dueDate)).toBe(true);
    });

    it('opens one update even when two gateway replicas notice the change at once', async () => {
      const other = make();
      await service.reconcile();
      snapshot = demoSnapshot({ version: 2, overrides: [ETHNICITY_CONDITIONAL] });
      await Promise.all([service.reconcile(), other.reconcile(), service.reconcile(), other.reconcile()]);
      expect(await service.updates()).toHaveLength(1);
    });

    it('opens an update for a resource a department registers later, and waits while the policy lags the schema', async () => {
      await service.reconcile();
      subgraphs = [...SUBGRAPHS, SOCIAL_ASSISTANCE];
      // The registry published the subgraph; the policy version with its fields is not loaded yet.
      expect(await service.reconcile()).toEqual([]);
      snapshot = demoSnapshot({ version: 2, subgraphs });
      const tasks = await service.reconcile();
      expect(tasks).toEqual([expect.objectContaining({ entryCode: 'MCA-SA-001', provider: 'mca', causes: ['NEW_RESOURCE'], changedItems: ['Person.socialAssistance', 'SocialAssistance.kind', 'SocialAssistance.since'] })]);
      const entry = (await service.entry('MCA-SA-001'))!;
      expect(entry).toMatchObject({ releaseDate: null, updatePending: true, classification: { category: 'DEPARTMENTAL' } });
      await service.publish('MCA-SA-001', 'mca:admin');
      expect(await service.entry('MCA-SA-001')).toMatchObject({ releaseDate: '2026-11-20', updatePending: false });
      // Withdrawn: the subgraph is unregistered.
      subgraphs = SUBGRAPHS;
      snapshot = demoSnapshot({ version: 3 });
      expect(await service.reconcile()).toEqual([expect.objectContaining({ entryCode: 'MCA-SA-001', causes: ['WITHDRAWN'] })]);
      expect(await service.publish('MCA-SA-001', 'dgo:platform')).toBeNull();
      expect(await service.updates()).toEqual([]);
      // Registered again: it comes back as a new resource to catalogue.
      subgraphs = [...SUBGRAPHS, SOCIAL_ASSISTANCE];
      snapshot = demoSnapshot({ version: 4, subgraphs });
      expect(await service.reconcile()).toEqual([expect.objectContaining({ entryCode: 'MCA-SA-001', causes: ['NEW_RESOURCE'] })]);
    });

    it('reconciles by itself on the first read after the policy moved', async () => {
      await service.entries();
      snapshot = demoSnapshot({ version: 2, overrides: [ETHNICITY_CONDITIONAL] });
      expect((await service.entry('PSB-POP-001'))!.openUpdate).toMatchObject({ causes: ['POLICY', 'LEGAL_BASIS'] });
    });

    it('shows the providers\' freshness beside the update cycle, flags stale entries, and keeps the last known change when a provider does not answer', async () => {
      let answers: Record<string, Record<string, string | null> | Error> = {
        population: { Person: new Date(now.getTime() - 2 * 3_600_000).toISOString() },
        geography: { AdministrativeDivision: new Date(now.getTime() - 400 * DAY).toISOString(), Parcel: new Date(now.getTime() - 30 * 3_600_000).toISOString() },
        credit: { CreditProfile: new Date(now.getTime() - 36 * 3_600_000).toISOString() },
        licences: { Licence: null },
        'legal-person': {},
        'enterprise-profile': new Error('connect ECONNREFUSED'),
      };
      const asked: string[] = [];
      const source: FreshnessSource = async (name) => {
        asked.push(name);
        const answer = answers[name];
        if (answer instanceof Error) throw answer;
        return answer ?? {};
      };
      const fresh = make({ freshness: source, freshnessTtlMs: 60_000 });
      const byCode = async () => new Map((await fresh.entries()).map((e) => [e.code, e.freshness]));
      let f = await byCode();
      expect(f.get('PSB-POP-001')).toMatchObject({ stale: false, maxAgeHours: 24, error: null });
      expect(f.get('NR-DIV-001')).toMatchObject({ stale: true, maxAgeHours: 367 * 24 });
      expect(f.get('NR-RE-001')).toMatchObject({ stale: true });
      expect(f.get('NDRC-CR-001')).toMatchObject({ stale: false, maxAgeHours: 48 });
      expect(f.get('GSA-LIC-001')).toMatchObject({ stale: null, dataLastChanged: null, error: 'the provider holds no data for this resource yet' });
      expect(f.get('SAMR-LE-001')).toMatchObject({ stale: null, error: 'legal-person does not report freshness for LegalEntity' });
      expect(f.get('SAMR-TH-001')).toMatchObject({ stale: null, error: expect.stringMatching(/enterprise-profile did not answer: connect ECONNREFUSED/) });
      expect((await fresh.entries({ staleOnly: true })).map((e) => e.code)).toEqual(['NR-DIV-001', 'NR-RE-001']);
      // Within the TTL the subgraphs are not asked again.
      const before = asked.length;
      await fresh.entries();
      expect(asked.length).toBe(before);
      // Population stops answering: its last known change is kept, with the error.
      answers = { ...answers, population: new Error('timeout') };
      now = new Date(now.getTime() + 2 * 60_000);
      f = await byCode();
      expect(f.get('PSB-POP-001')).toMatchObject({ dataLastChanged: new Date(Date.parse('2026-11-20T02:00:00Z') - 2 * 3_600_000).toISOString(), error: expect.stringMatching(/population did not answer: timeout/) });
    });

    it('gives each consuming department its own view: read now, apply for (how), not shared (why)', async () => {
      snapshot = demoSnapshot({ grants: [grant('mca', 'Person.householdAddress', 'ADMINISTRATIVE_BASIS')] });
      const view = async (department: string, coordinate: string) => {
        const entries = await service.consumerView(department);
        return entries.flatMap((e) => e.items).find((i) => i.coordinate === coordinate)!;
      };
      expect(await view('hrss', 'Person.householdAddress')).toMatchObject({
        status: 'APPLY', readableFor: [], applicableFor: ['ADMINISTRATIVE_BASIS', 'DATA_VERIFICATION'],
        apply: { mutation: 'applyForAccess', endpoint: '/admin/graphql', provider: 'psb', purposes: ['ADMINISTRATIVE_BASIS', 'DATA_VERIFICATION'], answerWithinWorkingDays: 10, example: expect.stringMatching(/applyForAccess\(input: \{ coordinates: \["Person\.householdAddress"\], purpose: "ADMINISTRATIVE_BASIS"/) },
      });
      expect(await view('hrss', 'Person.biometricTemplate')).toMatchObject({ status: 'NOT_SHARED', apply: null, basis: expect.stringMatching(/个人信息保护法》第二十八条/) });
      expect(await view('hrss', 'Person.name')).toMatchObject({ status: 'READ', readableFor: ['ADMINISTRATIVE_BASIS', 'WORK_REFERENCE', 'DATA_VERIFICATION', 'BUSINESS_COLLABORATION'], apply: null });
      expect(await view('hrss', 'PersonVerification.nameMatches')).toMatchObject({ status: 'READ', readableFor: ['DATA_VERIFICATION'] });
      expect(await view('mca', 'Person.householdAddress')).toMatchObject({ status: 'READ', readableFor: ['ADMINISTRATIVE_BASIS'], applicableFor: ['DATA_VERIFICATION'], apply: { purposes: ['DATA_VERIFICATION'] } });
      expect(await view('psb', 'Person.biometricTemplate')).toMatchObject({ status: 'OWN' });
      const person = (await service.consumerView('hrss')).find((e) => e.code === 'PSB-POP-001')!;
      expect(person.counts.NOT_SHARED).toBe(1);
      expect(person.counts.APPLY).toBeGreaterThanOrEqual(4);
    });

    it('refuses a fixed subgraph list it cannot place, naming the field', () => {
      const bad = withExtraSdl('licences', 'extend type Person @key(fields: "idNumber") { drivingPoints: Int @sharing(class: "UNCONDITIONAL") }');
      expect(() => new CatalogueService({ db: opened.db, subgraphs: bad, snapshot: () => snapshot, providers: demoProviders, calendar })).toThrow(/Person\.drivingPoints \(added by licences/);
    });

    it('checks a publication is of a known entry', async () => {
      await expect(service.publish('XX-001', 'dgo:platform')).rejects.toThrow(/no catalogue entry XX-001; known: PSB-POP-001/);
      expect(chinaDate(now)).toBe('2026-11-20');
    });
  });
}
