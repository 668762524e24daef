/**
 * The catalogue's part of the management API, merged with the admin schema as
 * control/admin/adminServer.ts merges it, executed in process with the identities of the
 * admin API's roles.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, type GraphQLSchema } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { Identity } from '../store/platformStore.ts';
import { WorkingDayCalendar } from '../../policies/workingDays.ts';
import type { PolicySnapshot } from '../../policies/snapshot.ts';
import { createTestStorage, type TestStorage } from '../../storage/testing.ts';
import type { OpenedDatabase } from '../../storage/database.ts';
import { SUBGRAPHS } from '../../subgraphs/index.ts';
import { catalogueResolvers, catalogueTypeDefs } from './admin.ts';
import { openCatalogueDatabase, type CatalogueDatabase } from './catalogueDatabase.ts';
import { CatalogueService } from './catalogueService.ts';
import { demoProviders, demoSnapshot } from './testing.ts';

const ADMIN_SDL = readFileSync(new URL('../admin/schema.graphql', import.meta.url), 'utf8');
const who = (kind: Identity['kind'], department: string): Identity => ({ credentialId: `${department}-${kind.toLowerCase()}`, kind, department, name: `${department} ${kind}` });
const PLATFORM = who('PLATFORM_ADMIN', 'dgo');

describe('catalogue in the management API', () => {
  let storage: TestStorage;
  let opened: OpenedDatabase<CatalogueDatabase>;
  let schema: GraphQLSchema;
  let snapshot: PolicySnapshot;
  let catalogue: CatalogueService;
  const run = async (identity: Identity, source: string, variableValues: Record<string, unknown> = {}) =>
    (await graphql({ schema, source, variableValues, contextValue: { identity, catalogue } })) as { data?: any; errors?: readonly { message: string; extensions: Record<string, unknown> }[] };

  beforeAll(async () => {
    storage = createTestStorage('sqlite');
    opened = await openCatalogueDatabase(storage.config);
    snapshot = demoSnapshot();
    catalogue = new CatalogueService({ db: opened.db, subgraphs: SUBGRAPHS, snapshot: () => snapshot, providers: demoProviders, calendar: WorkingDayCalendar.official(), clock: () => new Date('2026-11-20T02:00:00Z') });
    // As adminServer.ts merges them: the admin schema and its resolvers, plus the catalogue's.
    schema = makeExecutableSchema({ typeDefs: [ADMIN_SDL, catalogueTypeDefs], resolvers: [catalogueResolvers] as never });
  });
  afterAll(async () => {
    await opened?.close();
    await storage?.cleanup();
  });

  it('lets any credential read the whole catalogue and one entry, with every element', async () => {
    const { data, errors } = await run(who('APP', 'hrss'), `{
      catalogue(category: BASIC) { code resourceCode name nameEn abstract abstractEn classification { category code itemName } provider { code name providerCode }
        format { name } updateCycle updateCycleName releaseDate lastUpdated freshness { dataLastChanged stale maxAgeHours } relatedResources
        sharing { type name methods { method available via } } open { type name } items { coordinate name sharingClass purposes basis condition dataType { code } } }
      catalogueEntry(code: "101001/000001") { code items { coordinate } accessPoints { coordinate method } } }`);
    expect(errors).toBeUndefined();
    expect(data.catalogue.map((e: any) => e.code)).toEqual(['PSB-POP-001', 'SAMR-LE-001', 'NR-DIV-001', 'NR-RE-001', 'NDRC-CR-001', 'GSA-LIC-001']);
    expect(data.catalogue[0]).toMatchObject({ releaseDate: '2026-11-20', updateCycle: 'REAL_TIME', sharing: { type: 'CONDITIONAL' } });
    expect(data.catalogueEntry.code).toBe('PSB-POP-001');
    expect(data.catalogueEntry.accessPoints).toContainEqual({ coordinate: 'Query.verifyPerson', method: 'VERIFICATION' });
    const thematic = await run(who('APP', 'hrss'), '{ catalogue(category: THEMATIC) { code } departmental: catalogue(category: DEPARTMENTAL, provider: "samr") { code } }');
    expect(thematic.data).toEqual({ catalogue: [{ code: 'SAMR-TH-001' }], departmental: [{ code: 'SAMR-LE-001' }, { code: 'SAMR-TH-001' }] });
  });

  it('gives a consumer its own view, with how to apply', async () => {
    const { data, errors } = await run(who('APP', 'hrss'), `{ myCatalogue(code: "PSB-POP-001") { code read apply notShared own items { coordinate status readableFor applicableFor basis apply { mutation purposes provider example } } } }`);
    expect(errors).toBeUndefined();
    const items = data.myCatalogue[0].items;
    expect(items.find((i: any) => i.coordinate === 'Person.householdAddress')).toMatchObject({ status: 'APPLY', applicableFor: ['ADMINISTRATIVE_BASIS', 'DATA_VERIFICATION'], apply: { mutation: 'applyForAccess', provider: 'psb' } });
    expect(items.find((i: any) => i.coordinate === 'Person.biometricTemplate')).toMatchObject({ status: 'NOT_SHARED', apply: null, basis: expect.stringMatching(/个人信息保护法/) });
    expect(data.myCatalogue[0]).toMatchObject({ notShared: 1, own: 0 });
  });

  it('lets only the providing department (or the coordinating office) publish or report a change, and scopes the update list', async () => {
    snapshot = demoSnapshot({ version: 2, overrides: [{ coordinate: 'Licence.issuer', sharingClass: 'CONDITIONAL', purposes: [], basis: '《电子证照管理办法》', caseIdRequired: false, condition: null }] });
    const PUBLISH = 'mutation($c: String!) { publishCatalogueEntry(code: $c, note: "issuer now conditional") { code updatePending lastUpdated } }';
    const UPDATES = '{ catalogueUpdates { entryCode provider causes dueDate overdue } }';
    expect((await run(PLATFORM, UPDATES)).data.catalogueUpdates).toEqual([expect.objectContaining({ entryCode: 'GSA-LIC-001', causes: ['POLICY', 'LEGAL_BASIS'], dueDate: '2026-12-04', overdue: false })]);
    expect((await run(who('DEPARTMENT_ADMIN', 'gsa'), UPDATES)).data.catalogueUpdates).toHaveLength(1);
    expect((await run(who('DEPARTMENT_ADMIN', 'psb'), UPDATES)).data.catalogueUpdates).toEqual([]);
    expect((await run(who('DEPARTMENT_ADMIN', 'psb'), '{ catalogueUpdates(provider: "gsa") { id } }')).errors![0]!.extensions.code).toBe('FORBIDDEN');

    for (const identity of [who('DEPARTMENT_ADMIN', 'psb'), who('APP', 'gsa')]) {
      const refused = await run(identity, PUBLISH, { c: 'GSA-LIC-001' });
      expect(refused.errors![0]).toMatchObject({ message: expect.stringMatching(/only an administrator of gsa, which provides GSA-LIC-001/), extensions: { code: 'FORBIDDEN' } });
    }
    // Issue 21: the department submits; the coordinating office files it, and then it is published.
    const submitted = await run(who('DEPARTMENT_ADMIN', 'gsa'), PUBLISH, { c: 'GSA-LIC-001' });
    expect(submitted.data.publishCatalogueEntry).toMatchObject({ code: 'GSA-LIC-001', updatePending: true });
    const [review] = (await run(who('DEPARTMENT_ADMIN', 'gsa'), '{ catalogueReviews(status: PENDING) { id } }')).data.catalogueReviews;
    expect((await run(who('DEPARTMENT_ADMIN', 'gsa'), 'mutation($id: ID!) { fileCatalogueChange(id: $id) { status } }', { id: review.id })).errors![0]!.extensions.code).toBe('FORBIDDEN');
    expect((await run(PLATFORM, 'mutation($id: ID!) { fileCatalogueChange(id: $id) { status } }', { id: review.id })).data.fileCatalogueChange.status).toBe('FILED');
    const published = await run(PLATFORM, '{ catalogueEntry(code: "GSA-LIC-001") { code updatePending lastUpdated } }');
    expect(published.data.catalogueEntry).toMatchObject({ code: 'GSA-LIC-001', updatePending: false, lastUpdated: '2026-11-20T02:00:00.000Z' });
    expect((await run(PLATFORM, UPDATES)).data.catalogueUpdates).toEqual([]);

    const REPORT = 'mutation($c: String!, $r: String!) { reportCatalogueChange(code: $c, cause: FUNCTIONS_CHANGED, reason: $r) { entryCode causes reason dueDate } }';
    expect((await run(who('DEPARTMENT_ADMIN', 'gsa'), REPORT, { c: 'GSA-LIC-001', r: ' ' })).errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
    expect((await run(who('DEPARTMENT_ADMIN', 'nr'), REPORT, { c: 'GSA-LIC-001', r: 'x' })).errors![0]!.extensions.code).toBe('FORBIDDEN');
    expect((await run(PLATFORM, REPORT, { c: 'GSA-LIC-001', r: '三定方案调整' })).data.reportCatalogueChange).toMatchObject({ entryCode: 'GSA-LIC-001', causes: ['FUNCTIONS_CHANGED'], reason: '三定方案调整' });
    expect((await run(PLATFORM, 'mutation { publishCatalogueEntry(code: "XX-1") { code } }')).errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('lets only the coordinating office reconcile on demand', async () => {
    expect((await run(who('DEPARTMENT_ADMIN', 'psb'), 'mutation { reconcileCatalogue { id } }')).errors![0]!.extensions.code).toBe('FORBIDDEN');
    expect((await run(PLATFORM, 'mutation { reconcileCatalogue { id } }')).data.reconcileCatalogue).toEqual([]);
  });
});
