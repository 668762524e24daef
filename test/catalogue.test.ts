/**
 * The catalogue on the running platform (R2, R3, R7): every field of the served supergraph in
 * exactly one entry with its effective class; the export carries the national guidelines'
 * elements; a consumer's own view; a policy change opens an update due in 10 working days (the default setting);
 * verification queries answer a DATA_VERIFICATION caller yes/no and nobody else.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIntrospectionQuery, type IntrospectionObjectType, type IntrospectionQuery } from 'graphql';
import { exportCatalogue, runCatalogueCommand } from '../cli/catalogueCommand.ts';
import { CSV_HEADERS } from '../control/catalogue/export.ts';
import { loadConfig } from '../platform/config.ts';
import { chinaDate, WorkingDayCalendar } from '../policies/workingDays.ts';
import { COMMON_SDL } from '../schema/federation.ts';
import { creditCodeProblem } from '../schema/identifiers.ts';
import { testDialects } from '../storage/testing.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const calendar = WorkingDayCalendar.official();
const CALENDAR_OVERRIDES = loadConfig({}).calendarOverridesFile;
const CJK = /[\u3400-\u9fff]/;

const ENTRY = `code resourceCode name nameEn abstract abstractEn
  classification { category categoryName code itemName subjectName } departmentalClassification { code itemName }
  provider { code name providerCode } format { name mediaType }
  items { coordinate name nameEn dataType { code graphqlType } sharingClass purposes basis condition unclassified placement }
  accessPoints { coordinate method }
  sharing { type name condition methods { method name available via } } open { type name condition basis }
  updateCycle updateCycleName releaseDate lastUpdated freshness { dataLastChanged checkedAt stale maxAgeHours error }
  relatedResources updatePending openUpdate { id dueDate } problems`;

for (const dialect of testDialects()) {
  describe(`catalogue on the platform (${dialect})`, () => {
    let platform: TestPlatform;
    let today: string;
    beforeAll(async () => {
      platform = await startTestPlatform(dialect);
      today = chinaDate(new Date());
    });
    afterAll(async () => {
      await platform?.stop();
    });

    const catalogue = async (token?: string) => {
      const { body } = await platform.admin(`{ catalogue { ${ENTRY} } }`, {}, token ?? platform.appToken('hrss'));
      expect(body.errors).toBeUndefined();
      return body.data.catalogue as any[];
    };

    it('lists every field of the served supergraph in exactly one entry, with its effective sharing class', async () => {
      const { body } = await platform.query(getIntrospectionQuery(), { as: { department: 'mca', purpose: null } });
      const schema = body.data as IntrospectionQuery;
      const objects = schema.__schema.types.filter((t): t is IntrospectionObjectType => t.kind === 'OBJECT' && !t.name.startsWith('__'));
      const served = objects.filter((t) => t.name !== 'Query').flatMap((t) => t.fields.map((f) => `${t.name}.${f.name}`));
      const roots = objects.find((t) => t.name === 'Query')!.fields.map((f) => `Query.${f.name}`);
      const entries = await catalogue();
      const items = entries.flatMap((e) => e.items.map((i: any) => ({ ...i, entry: e.code })));
      expect(items.map((i) => i.coordinate).sort()).toEqual([...served].sort());
      expect(new Set(items.map((i) => i.coordinate)).size).toBe(items.length);
      expect(entries.flatMap((e) => e.accessPoints.map((a: any) => a.coordinate)).sort()).toEqual([...roots].sort());
      const policies = (await platform.admin('{ fieldPolicies { coordinate sharingClass unclassified } }')).body.data.fieldPolicies as any[];
      const classOf = new Map(policies.map((p) => [p.coordinate, p.sharingClass]));
      for (const item of items) {
        expect(item.sharingClass, item.coordinate).toBe(classOf.get(item.coordinate));
        expect(item.unclassified, item.coordinate).toBe(false);
      }
      expect(items.find((i) => i.coordinate === 'Person.realEstate')).toMatchObject({ entry: 'NR-RE-001', placement: 'LINK', sharingClass: 'CONDITIONAL' });
      expect(items.find((i) => i.coordinate === 'Person.legalRepresentativeOf')).toMatchObject({ entry: 'SAMR-LE-001', placement: 'LINK' });
      expect(items.find((i) => i.coordinate === 'Shareholder.name')).toMatchObject({ entry: 'SAMR-LE-001', placement: 'CARRIED' });
    });

    it('publishes the first edition at start, with the providers\' freshness beside the update cycle', async () => {
      const entries = await catalogue();
      expect(entries.map((e) => e.code)).toEqual(['PSB-POP-001', 'SAMR-LE-001', 'NR-DIV-001', 'NR-RE-001', 'NDRC-CR-001', 'GSA-LIC-001', 'SAMR-TH-001']);
      for (const e of entries) {
        expect(e, e.code).toMatchObject({ releaseDate: today, updatePending: false, openUpdate: null, problems: [] });
        // Every department's subgraph answered /freshness (signed by the gateway) with data seeded minutes ago.
        expect(e.freshness, e.code).toMatchObject({ stale: false, error: null });
        expect(Date.now() - Date.parse(e.freshness.dataLastChanged)).toBeLessThan(30 * 60_000);
      }
    });

    it('exports the demo catalogue with the elements of the national guidelines, as JSON and CSV', async () => {
      const document = JSON.parse(await exportCatalogue({ storage: platform.storage.config, calendarOverridesFile: CALENDAR_OVERRIDES, format: 'json' }));
      expect(document).toMatchObject({ standard: expect.stringMatching(/GB\/T 21063/), policyVersion: expect.any(Number) });
      expect(document.entries).toHaveLength(7);
      for (const e of document.entries) {
        // 信息资源分类, 名称, 代码, 提供方, 提供方代码, 摘要, 格式, 信息项, 共享属性, 开放属性, 更新周期, 发布日期, 最后更新, 关联资源
        expect(e.classification.categoryName).toMatch(/^(基础|主题)信息资源$/);
        expect(e.classification.code).toMatch(/^[12]\d{5}$/);
        expect(e.departmentalClassification.code).toMatch(/^3\d{5}$/);
        expect(e.name).toMatch(CJK);
        expect(e.nameEn).toMatch(/[A-Za-z]/);
        expect(e.resourceCode).toMatch(/^\d{6}\/\d{6}$/);
        expect(e.provider.name).toMatch(CJK);
        expect(creditCodeProblem(e.provider.providerCode)).toBeNull();
        expect(e.abstract).toMatch(CJK);
        expect(e.abstractEn.length).toBeGreaterThan(10);
        expect(e.format.name).toMatch(CJK);
        expect(e.items.length).toBeGreaterThan(2);
        for (const item of e.items) {
          expect(item.name, item.coordinate).toMatch(CJK);
          expect(item.dataType.code).toMatch(/^[CIFLDGR]$/);
          expect(['UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED']).toContain(item.sharingClass);
          expect(item.condition).toMatch(CJK);
          if (item.sharingClass !== 'UNCONDITIONAL') expect(item.basis, item.coordinate).toMatch(CJK);
        }
        expect(['UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED']).toContain(e.sharing.type);
        expect(e.sharing.methods.map((m: any) => m.name)).toEqual(['在线查询', '核验', '批量下载']);
        expect(['UNCONDITIONAL_OPEN', 'CONDITIONAL_OPEN', 'NOT_OPEN']).toContain(e.open.type);
        expect(['REAL_TIME', 'DAILY', 'WEEKLY', 'MONTHLY', 'QUARTERLY', 'YEARLY']).toContain(e.updateCycle);
        expect(e.releaseDate).toBe(today);
        expect(Date.parse(e.lastUpdated)).not.toBeNaN();
        expect(e.freshness.dataLastChanged).not.toBeNull();
        for (const code of e.relatedResources) expect(document.entries.some((o: any) => o.code === code)).toBe(true);
      }
      const verification = (code: string) => document.entries.find((e: any) => e.code === code).sharing.methods.find((m: any) => m.method === 'VERIFICATION');
      expect(verification('PSB-POP-001')).toMatchObject({ available: true, via: ['Query.verifyPerson'] });
      expect(verification('SAMR-LE-001')).toMatchObject({ available: true, via: ['Query.verifyLegalEntity'] });
      expect(verification('GSA-LIC-001')).toMatchObject({ available: true, via: ['Query.verifyLicence'] });
      expect(verification('NR-RE-001').available).toBe(false);

      const csv = await exportCatalogue({ storage: platform.storage.config, calendarOverridesFile: CALENDAR_OVERRIDES, format: 'csv' });
      expect(csv.startsWith('\ufeff')).toBe(true);
      const lines = csv.slice(1).split('\r\n').filter(Boolean);
      expect(lines[0]).toBe(CSV_HEADERS.join(','));
      expect(lines.length - 1).toBe(document.entries.reduce((n: number, e: any) => n + e.items.length, 0));
      expect(csv).toMatch(/101001\/000001,PSB-POP-001,人口基础信息/);
    });

    if (dialect === 'sqlite') {
      it('exports through `govgraph catalogue export --format csv --out FILE` from the stores under DATA_DIR', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'govgraph-catalogue-export-'));
        const out = join(dir, 'catalogue.csv');
        const said: string[] = [];
        try {
          expect(await runCatalogueCommand(['export'], { format: 'csv', out }, { DATA_DIR: platform.storage.dataDir }, (t) => said.push(t))).toBe(0);
          expect(JSON.parse(said.join(''))).toMatchObject({ written: out, format: 'csv' });
          expect(readFileSync(out, 'utf8')).toMatch(/^\ufeff资源分类 \(category\),/);
          said.length = 0;
          expect(await runCatalogueCommand(['updates'], { status: 'overdue' }, { DATA_DIR: platform.storage.dataDir }, (t) => said.push(t))).toBe(0);
          expect(JSON.parse(said.join(''))).toEqual([]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }

    it('shows hrss its own view: the household address to apply for, the biometric template not shared and why', async () => {
      const { body } = await platform.admin(`{ myCatalogue(code: "PSB-POP-001") { code items { coordinate status readableFor applicableFor basis apply { mutation purposes provider } } } }`, {}, platform.appToken('hrss'));
      expect(body.errors).toBeUndefined();
      const items = body.data.myCatalogue[0].items as any[];
      expect(items.find((i) => i.coordinate === 'Person.householdAddress')).toMatchObject({
        status: 'APPLY', readableFor: [], applicableFor: ['ADMINISTRATIVE_BASIS', 'DATA_VERIFICATION'], apply: { mutation: 'applyForAccess', purposes: ['ADMINISTRATIVE_BASIS', 'DATA_VERIFICATION'], provider: 'psb' },
      });
      expect(items.find((i) => i.coordinate === 'Person.biometricTemplate')).toMatchObject({ status: 'NOT_SHARED', apply: null, basis: expect.stringMatching(/个人信息保护法》第二十八条/) });
      expect(items.find((i) => i.coordinate === 'Person.name')).toMatchObject({ status: 'READ' });
      expect(items.find((i) => i.coordinate === 'PersonVerification.nameMatches')).toMatchObject({ status: 'READ', readableFor: ['DATA_VERIFICATION'] });
      // mca holds the demo grant.
      const mca = (await platform.admin(`{ myCatalogue(code: "PSB-POP-001") { items { coordinate status readableFor } } }`, {}, platform.appToken('mca'))).body.data.myCatalogue[0].items as any[];
      expect(mca.find((i) => i.coordinate === 'Person.householdAddress')).toMatchObject({ status: 'READ', readableFor: ['ADMINISTRATIVE_BASIS'] });
    });

    it('opens a catalogue update due in 10 working days (by default) when a field\'s policy changes, closed when psb publishes (R3)', async () => {
      const set = await platform.admin(`mutation { setFieldPolicy(coordinate: "Person.ethnicity", reason: "ethnicity is sensitive personal information", override: true,
        policy: { sharingClass: CONDITIONAL, purposes: ["ADMINISTRATIVE_BASIS"], basis: "《个人信息保护法》第二十八条" }) { version } }`);
      expect(set.body.errors).toBeUndefined();
      const UPDATES = '{ catalogueUpdates { id entryCode provider causes changedItems openedAt dueDate workingDays overdue } }';
      const { body } = await platform.admin(UPDATES);
      expect(body.errors).toBeUndefined();
      const due = calendar.addWorkingDays(chinaDate(new Date()), 10);
      expect(body.data.catalogueUpdates).toEqual([expect.objectContaining({
        entryCode: 'PSB-POP-001', provider: 'psb', causes: ['POLICY', 'LEGAL_BASIS'], changedItems: ['Person.ethnicity'], dueDate: due, workingDays: 10, overdue: false,
      })]);
      expect(calendar.workingDaysBetween(chinaDate(body.data.catalogueUpdates[0].openedAt), due)).toBe(10);
      expect((await platform.admin('{ catalogueUpdates(overdueOnly: true) { id } }')).body.data.catalogueUpdates).toEqual([]);
      expect((await platform.admin(UPDATES, {}, platform.adminToken('samr'))).body.data.catalogueUpdates).toEqual([]);
      const entry = (await platform.admin('{ catalogueEntry(code: "PSB-POP-001") { updatePending openUpdate { dueDate } items { coordinate sharingClass } } }')).body.data.catalogueEntry;
      expect(entry).toMatchObject({ updatePending: true, openUpdate: { dueDate: due } });
      expect(entry.items.find((i: any) => i.coordinate === 'Person.ethnicity').sharingClass).toBe('CONDITIONAL');

      const PUBLISH = 'mutation { publishCatalogueEntry(code: "PSB-POP-001", note: "民族改为有条件共享") { updatePending lastUpdated openUpdate { id } } }';
      expect((await platform.admin(PUBLISH, {}, platform.adminToken('samr'))).body.errors[0].extensions.code).toBe('FORBIDDEN');
      const published = await platform.admin(PUBLISH, {}, platform.adminToken('psb'));
      expect(published.body.errors).toBeUndefined();
      // Issue 21 (001 art. 9–10): the provider's change waits for the coordinating office's review.
      expect(published.body.data.publishCatalogueEntry).toMatchObject({ updatePending: true, openUpdate: { id: expect.any(String) } });
      const [review] = (await platform.admin('{ catalogueReviews(status: PENDING) { id entryCode } }')).body.data.catalogueReviews;
      expect(review.entryCode).toBe('PSB-POP-001');
      const filed = await platform.admin('mutation($id: ID!) { fileCatalogueChange(id: $id) { status } }', { id: review.id });
      expect(filed.body.data.fileCatalogueChange.status).toBe('FILED');
      expect((await platform.admin('{ catalogueEntry(code: "PSB-POP-001") { updatePending openUpdate { id } } }')).body.data.catalogueEntry).toMatchObject({ updatePending: false, openUpdate: null });
      expect((await platform.admin(UPDATES)).body.data.catalogueUpdates).toEqual([]);
    });

    it('refuses a subgraph registration with a field the catalogue cannot place, naming it (registry check)', async () => {
      const sdl = `${COMMON_SDL}\ntype Person @key(fields: "idNumber") { idNumber: ID! "Penalty points (记分)." drivingPoints: Int @sharing(class: "UNCONDITIONAL") }`;
      const CHECK = 'query($i: SubgraphInput!) { checkSubgraph(input: $i) { ok classificationErrors } }';
      const refused = await platform.admin(CHECK, { i: { name: 'driving-points', url: 'http://127.0.0.1:1/graphql', sdl } }, platform.adminToken('gsa'));
      expect(refused.body.data.checkSubgraph.ok).toBe(false);
      expect(refused.body.data.checkSubgraph.classificationErrors).toEqual([expect.stringMatching(/^catalogue: Person\.drivingPoints \(added by driving-points to psb's Person\) cannot be placed: it returns Int, which is not a resource of gsa/)]);
      const placed = await platform.admin(CHECK, { i: { name: 'driving-points', url: 'http://127.0.0.1:1/graphql', sdl: sdl.replace('@sharing(class: "UNCONDITIONAL")', '@sharing(class: "UNCONDITIONAL") @catalogue(code: "GSA-LIC-001")') } }, platform.adminToken('gsa'));
      expect(placed.body.data.checkSubgraph).toEqual({ ok: true, classificationErrors: [] });
    });

    it('answers verification queries through the gateway for DATA_VERIFICATION only, yes or no (R7)', async () => {
      const id = platform.credentials.samples.persons[0]!;
      const name = (await platform.query(`{ person(idNumber: "${id}") { name } }`, { as: { department: 'psb' } })).body.data.person.name as string;
      const VERIFY = `query($id: ID!, $name: String!) { verifyPerson(idNumber: $id, name: $name) { idNumberValid nameMatches alive } }`;
      const yes = await platform.query(VERIFY, { variables: { id, name }, as: { department: 'hrss', purpose: 'DATA_VERIFICATION' } });
      expect(yes.body).toEqual({ data: { verifyPerson: { idNumberValid: true, nameMatches: true, alive: true } } });
      const wrong = await platform.query(VERIFY, { variables: { id, name: `${name}某` }, as: { department: 'hrss', purpose: 'DATA_VERIFICATION' } });
      expect(wrong.body).toEqual({ data: { verifyPerson: { idNumberValid: true, nameMatches: false, alive: null } } });
      expect(JSON.stringify(wrong.body)).not.toContain(name);

      const refused = await platform.query(VERIFY, { variables: { id, name }, as: { department: 'hrss', purpose: 'WORK_REFERENCE' } });
      expect(refused.status).toBe(200);
      expect(refused.body.data.verifyPerson).toEqual({ idNumberValid: null, nameMatches: null, alive: null });
      expect(refused.body.errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
      expect(refused.body.errors.map((e: any) => e.extensions.coordinate).sort()).toEqual(['PersonVerification.alive', 'PersonVerification.idNumberValid', 'PersonVerification.nameMatches']);

      const code = platform.credentials.samples.legalEntities[0]!;
      const entity = (await platform.query(`{ legalEntity(creditCode: "${code}") { name licences { licenceNo } } }`, { as: { department: 'samr' } })).body.data.legalEntity;
      const both = await platform.query(`query($c: ID!, $n: String!, $l: ID!) { verifyLegalEntity(creditCode: $c, name: $n) { creditCodeValid nameMatches } verifyLicence(licenceNo: $l, holderKey: $c) { exists holderMatches } }`, {
        variables: { c: code, n: entity.name, l: entity.licences[0].licenceNo }, as: { department: 'tax', purpose: 'DATA_VERIFICATION' },
      });
      expect(both.body).toEqual({ data: { verifyLegalEntity: { creditCodeValid: true, nameMatches: true }, verifyLicence: { exists: true, holderMatches: true } } });
      const notForReference = await platform.query(`{ verifyLicence(licenceNo: "${entity.licences[0].licenceNo}", holderKey: "${code}") { exists } }`, { as: { department: 'tax', purpose: 'WORK_REFERENCE' } });
      expect(notForReference.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', coordinate: 'LicenceVerification.exists' });
    });
  });
}
