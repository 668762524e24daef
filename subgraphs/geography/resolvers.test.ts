import { describe, expect, it } from 'vitest';
import { DemoWorld } from '../../demo/world.ts';
import { divisionCentre, divisionByCode } from '../../demo/divisions.ts';
import { useSubgraphForTest } from '../runtime/testing.ts';
import { geography } from './index.ts';

const world = new DemoWorld({ persons: 300, legalEntities: 60, parcels: 120 });
const subgraph = useSubgraphForTest(geography, { world });

interface Answer {
  data?: any;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function query(source: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  return (await subgraph().query(source, variables)).body as Answer;
}

const statements = () => subgraph().statements();

/** Statements the query costs, and its answer. */
async function measured(source: string, variables: Record<string, unknown> = {}): Promise<{ answer: Answer; statements: number }> {
  const before = await statements();
  const answer = await query(source, variables);
  return { answer, statements: (await statements()) - before };
}

const UNKNOWN_UNIT_NO = '440106001999GB99999F00010001';

describe('geography subgraph', () => {
  it('reads a parcel with its seeded register entries', async () => {
    const parcel = world.parcel(0);
    const { data, errors } = await query(
      `query($unitNo: ID!) { parcel(unitNo: $unitNo) {
        unitNo address landUse area geometry division { code name }
        rightHolders { holder { __typename ... on Person { idNumber } } rightType sharePercent certificateNo registeredDate }
        mortgages { registrationNo mortgagee amount registeredDate termEnd status } } }`,
      { unitNo: parcel.unitNo },
    );
    expect(errors).toBeUndefined();
    expect(data.parcel).toMatchObject({
      unitNo: parcel.unitNo,
      address: parcel.address,
      landUse: parcel.landUse,
      area: parcel.area,
      geometry: parcel.geometry,
      division: { code: parcel.division, name: divisionByCode(parcel.division)!.name },
    });
    expect(data.parcel.rightHolders).toEqual(parcel.rightHolders.map((h) => ({
      holder: { __typename: 'Person', idNumber: h.holderKey },
      rightType: h.rightType,
      sharePercent: h.sharePercent,
      certificateNo: h.certificateNo,
      registeredDate: h.registeredDate,
    })));
    expect(data.parcel.rightHolders[0].holder.idNumber).toBe(world.person(0).idNumber);
    expect(data.parcel.mortgages).toEqual(parcel.mortgages.map((m) => ({ ...m })));
  });

  it('answers null for a well-formed unit number nobody registered', async () => {
    const { data, errors } = await query(`{ parcel(unitNo: "${UNKNOWN_UNIT_NO}") { unitNo } }`);
    expect(errors).toBeUndefined();
    expect(data.parcel).toBeNull();
  });

  it('rejects a malformed unit number or division code as BAD_USER_INPUT, saying what was wrong', async () => {
    const parcel = await query(`{ parcel(unitNo: "44010600100") { unitNo } }`);
    expect(parcel.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(parcel.errors?.[0]?.message).toMatch(/real-estate unit number is 28 characters/);
    const division = await query(`{ division(code: "4401") { code } }`);
    expect(division.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(division.errors?.[0]?.message).toMatch(/6 digits/);
  });

  it('answers parcels(unitNos:) in the order asked, null where unknown, and refuses more than 100', async () => {
    const unitNos = [world.parcel(2).unitNo, UNKNOWN_UNIT_NO, world.parcel(1).unitNo];
    const { answer, statements: cost } = await measured(`query($u: [ID!]!) { parcels(unitNos: $u) { unitNo } }`, { u: unitNos });
    expect(answer.data.parcels).toEqual([{ unitNo: unitNos[0] }, null, { unitNo: unitNos[2] }]);
    expect(cost).toBe(1);
    const tooMany = await query(`query($u: [ID!]!) { parcels(unitNos: $u) { unitNo } }`, { u: Array.from({ length: 101 }, () => unitNos[0]) });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('reads a division with its full name, parent and children', async () => {
    const { data } = await query(`{ division(code: "440106002") { code name level fullName boundary parent { code name level children { code } } } }`);
    expect(data.division).toMatchObject({ code: '440106002', name: '五山街道', level: 'TOWNSHIP', fullName: '广东省广州市天河区五山街道' });
    expect(data.division.boundary.type).toBe('MultiPolygon');
    expect(data.division.parent).toMatchObject({ code: '440106', name: '天河区', level: 'COUNTY' });
    expect(data.division.parent.children.map((c: { code: string }) => c.code)).toEqual(['440106001', '440106002', '440106003', '440106004', '440106005']);
    expect((await query(`{ division(code: "110101") { code } }`)).data.division).toBeNull();
  });

  it('finds the divisions containing a point, province to township', async () => {
    const { answer, statements: cost } = await measured(`{ divisionsAt(lng: 113.35, lat: 23.15) { code level } }`);
    expect(answer.data.divisionsAt).toEqual([
      { code: '440000', level: 'PROVINCE' },
      { code: '440100', level: 'CITY' },
      { code: '440106', level: 'COUNTY' },
      { code: '440106002', level: 'TOWNSHIP' },
    ]);
    expect(cost).toBe(1);
    // The township a parcel was placed in contains the parcel's first corner.
    const parcel = world.parcel(3);
    const [lng, lat] = parcel.geometry.coordinates[0]![0]!;
    const at = await query(`query($lng: Float!, $lat: Float!) { divisionsAt(lng: $lng, lat: $lat) { code } }`, { lng, lat });
    expect(at.data.divisionsAt.at(-1).code).toBe(parcel.division);
    const centre = divisionCentre(divisionByCode('440305003')!);
    expect((await query(`{ divisionsAt(lng: ${centre[0]}, lat: ${centre[1]}) { code } }`)).data.divisionsAt.map((d: { code: string }) => d.code))
      .toEqual(['440000', '440300', '440305', '440305003']);
  });

  it('puts a point on the border of two districts in exactly one of them', async () => {
    // 荔湾区 and 越秀区 share the meridian 113.255.
    const { data } = await query(`{ divisionsAt(lng: 113.255, lat: 23.12) { code level } }`);
    expect(data.divisionsAt.filter((d: { level: string }) => d.level === 'COUNTY')).toHaveLength(1);
    expect(data.divisionsAt.filter((d: { level: string }) => d.level === 'TOWNSHIP')).toHaveLength(1);
  });

  it('answers an empty list outside every division and rejects impossible coordinates', async () => {
    expect((await query(`{ divisionsAt(lng: 116.4, lat: 39.9) { code } }`)).data.divisionsAt).toEqual([]);
    const wrong = await query(`{ divisionsAt(lng: 23.1, lat: 113.3) { code } }`);
    expect(wrong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(wrong.errors?.[0]?.message).toMatch(/lat must be a WGS 84 latitude between -90 and 90/);
  });

  it('resolves 100 parcel references with one SQL statement', async () => {
    const representations = Array.from({ length: 100 }, (_, k) => ({ __typename: 'Parcel', unitNo: world.parcel(k).unitNo }));
    const { answer, statements: cost } = await measured(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Parcel { unitNo area } } }`,
      { r: representations },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data._entities.map((p: { unitNo: string }) => p.unitNo)).toEqual(representations.map((r) => r.unitNo));
    expect(cost).toBe(1);
  });

  it('reads nested lists of 100 parcels with one statement per level', async () => {
    const representations = Array.from({ length: 100 }, (_, k) => ({ __typename: 'Parcel', unitNo: world.parcel(k).unitNo }));
    const { answer, statements: cost } = await measured(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Parcel { division { parent { name } } rightHolders { sharePercent } mortgages { amount } } } }`,
      { r: representations },
    );
    expect(answer.errors).toBeUndefined();
    // parcels, their townships, the townships' counties, holdings, mortgages.
    expect(cost).toBe(5);
  });

  it('resolves 100 division references with one SQL statement', async () => {
    const codes = Array.from({ length: 100 }, (_, k) => world.parcel(k).division);
    const { answer, statements: cost } = await measured(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on AdministrativeDivision { code name } } }`,
      { r: codes.map((code) => ({ __typename: 'AdministrativeDivision', code })) },
    );
    expect(answer.data._entities.map((d: { code: string }) => d.code)).toEqual(codes);
    expect(cost).toBe(1);
  });

  it('links persons and legal entities to the parcels they hold, one statement for 100 holders', async () => {
    const persons = Array.from({ length: 100 }, (_, i) => ({ __typename: 'Person', idNumber: world.person(i).idNumber }));
    const { answer, statements: cost } = await measured(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { idNumber realEstate { unitNo } } } }`,
      { r: persons },
    );
    expect(cost).toBe(1);
    expect(answer.data._entities[0]).toEqual({ idNumber: world.person(0).idNumber, realEstate: expect.arrayContaining([{ unitNo: world.parcel(0).unitNo }]) });

    const held = Array.from({ length: world.size.parcels }, (_, k) => world.parcel(k))
      .flatMap((p) => p.rightHolders.filter((h) => h.holderKind === 'LEGAL_ENTITY').map((h) => ({ unitNo: p.unitNo, creditCode: h.holderKey })));
    expect(held.length).toBeGreaterThan(0);
    const entity = held[0]!;
    const { data } = await query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on LegalEntity { creditCode realEstate { unitNo } } } }`,
      { r: [{ __typename: 'LegalEntity', creditCode: entity.creditCode }] },
    );
    expect(data._entities[0].realEstate.map((p: { unitNo: string }) => p.unitNo)).toEqual(
      held.filter((h) => h.creditCode === entity.creditCode).map((h) => h.unitNo).sort(),
    );
  });
});

describe('geography subgraph: freshness', () => {
  it('reports when each of its resources last changed, to the gateway only', async () => {
    const url = subgraph().url.replace(/\/graphql$/, '/freshness');
    expect((await fetch(url)).status).toBe(401);
    const body = (await (await fetch(url, { headers: await subgraph().contextHeaders() })).json()) as { resources: Record<string, string> };
    expect(Object.keys(body.resources)).toEqual(['AdministrativeDivision', 'Parcel']);
    for (const changed of Object.values(body.resources)) expect(Date.now() - Date.parse(changed)).toBeLessThan(10 * 60_000);
  });
});
