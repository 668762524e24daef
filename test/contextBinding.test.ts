/**
 * Departments do not trust each other (R10): a sharing context is bound to the one subgraph
 * it is sent to and to the fetch it accompanies, so a captured context is worthless anywhere
 * else. Every refusal here is paired with the positive control it is measured against.
 *
 * - binding: a context captured from a real gateway fetch to `licences` is answered there,
 *   exactly as sent, and refused (401) by every other subgraph, and by `licences` itself for
 *   another document or other variables;
 * - scopes: the registry's context reads `_service { sdl }` and no data; the catalogue's reads
 *   `/freshness` only;
 * - the policy snapshot a subgraph may fetch holds only its own coordinates;
 * - @requires: a value the requiring subgraph's department may not read is never shipped to it.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateSigningKeys, SHARING_CONTEXT_HEADER, signFreshnessContext, signRegistryContext, signSharingContext, type SigningKeys } from '../lib/sharingContext.ts';
import { contextMac, deriveSubgraphMacKey, SHARING_CONTEXT_MAC_HEADER } from '../lib/contextMac.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

interface CapturedFetch {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Records every HTTP request this process sends while `during` runs: headers and the exact
 * body bytes, as the gateway's fetcher (gateway/subgraphFetcher.ts, over node:http) puts them on the wire.
 */
async function captureFetches<T>(during: () => Promise<T>): Promise<{ result: T; fetches: CapturedFetch[] }> {
  const fetches: CapturedFetch[] = [];
  const original = http.request;
  (http as { request: typeof http.request }).request = function capturing(this: unknown, ...args: Parameters<typeof http.request>) {
    const req = (original as (...a: unknown[]) => http.ClientRequest).apply(this, args);
    const chunks: Buffer[] = [];
    const write = req.write.bind(req);
    const end = req.end.bind(req);
    const keep = (chunk: unknown) => {
      if (chunk && typeof chunk !== 'function') chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    };
    req.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk);
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof req.write;
    req.end = ((chunk?: unknown, ...rest: unknown[]) => {
      keep(chunk);
      const headers = Object.fromEntries(Object.entries(req.getHeaders()).map(([k, v]) => [k, String(v)]));
      fetches.push({ url: `http://${headers.host ?? req.host}${req.path}`, headers, body: Buffer.concat(chunks).toString('utf8') });
      return (end as (...a: unknown[]) => http.ClientRequest)(chunk, ...rest);
    }) as typeof req.end;
    return req;
  } as typeof http.request;
  try {
    const result = await during();
    return { result, fetches };
  } finally {
    (http as { request: typeof http.request }).request = original;
  }
}

describe('a sharing context is bound to one subgraph and one fetch (R10)', () => {
  let platform: TestPlatform;
  let keys: SigningKeys;
  let subgraphs: Record<string, string>;
  const LICENCES = (p: TestPlatform) => `{ legalEntity(creditCode: "${p.credentials.samples.legalEntities[0]}") { name licences { licenceNo } } }`;

  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    keys = loadOrCreateSigningKeys(platform.storage.dataDir);
    subgraphs = platform.credentials.subgraphs as Record<string, string>;
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const post = async (url: string, headers: Record<string, string>, body: string) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: res.status, body: (await res.json()) as any };
  };
  const contextHeaders = (f: CapturedFetch) => ({
    [SHARING_CONTEXT_HEADER]: f.headers[SHARING_CONTEXT_HEADER]!,
    [SHARING_CONTEXT_MAC_HEADER]: f.headers[SHARING_CONTEXT_MAC_HEADER]!,
  });
  const metric = async (subgraph: string, consumer: string, outcome: string): Promise<number> => {
    const text = await (await fetch(subgraphs[subgraph]!.replace(/\/graphql$/, '/metrics'))).text();
    const line = text.split('\n').find((l) => l.startsWith('govgraph_context_verifications_total{') && l.includes(`consumer="${consumer}"`) && l.includes(`outcome="${outcome}"`));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  /** The gateway's real fetch to `licences` for the licences query, as it went over the wire. */
  const captureLicencesFetch = async (): Promise<CapturedFetch> => {
    const { result, fetches } = await captureFetches(() => platform.query(LICENCES(platform)));
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data.legalEntity.licences.length).toBeGreaterThan(0);
    const licencesPort = new URL(subgraphs.licences!).host;
    const captured = fetches.find((f) => f.url.includes(licencesPort) && f.headers[SHARING_CONTEXT_HEADER]);
    expect(captured, `a fetch to licences among ${fetches.map((f) => f.url).join(', ')}`).toBeDefined();
    expect(captured!.headers[SHARING_CONTEXT_MAC_HEADER]).toBeTruthy();
    expect(JSON.parse(captured!.body).variables.representations.length).toBeGreaterThan(0);
    return captured!;
  };

  it('answers the captured fetch replayed exactly at its own subgraph (positive control)', async () => {
    const captured = await captureLicencesFetch();
    const replay = await post(subgraphs.licences!, contextHeaders(captured), captured.body);
    expect(replay.status).toBe(200);
    expect(replay.body.errors).toBeUndefined();
    expect(JSON.stringify(replay.body.data)).toContain('licenceNo');
  });

  it('refuses the captured context at every other subgraph, with a clear message, counted per consumer', async () => {
    const captured = await captureLicencesFetch();
    const others = Object.keys(subgraphs).filter((name) => name !== 'licences');
    expect(others.length).toBeGreaterThanOrEqual(4);
    const before = await metric('population', 'mca', 'wrong_audience');
    for (const name of others) {
      const { status, body } = await post(subgraphs[name]!, contextHeaders(captured), captured.body);
      expect(status, name).toBe(401);
      expect(body.data, name).toBeUndefined();
      expect(body.errors[0].message, name).toMatch(new RegExp(`issued for subgraph "licences", not for this one \\("${name}"\\)`));
    }
    // Also with a document that subgraph would answer.
    const person = JSON.stringify({ query: `{ person(idNumber: "${platform.credentials.samples.persons[0]}") { name } }` });
    expect((await post(subgraphs.population!, contextHeaders(captured), person)).status).toBe(401);
    expect(await metric('population', 'mca', 'wrong_audience')).toBe(before + 2);
  });

  it('refuses the captured context at its own subgraph for another document or other variables, or without the MAC', async () => {
    const captured = await captureLicencesFetch();
    const sent = JSON.parse(captured.body) as { query: string; variables: { representations: { __typename: string; creditCode: string }[] } };
    const before = await metric('licences', 'mca', 'bad_mac');
    const otherDocument = JSON.stringify({ ...sent, query: sent.query.replace('licenceNo', 'licenceNo holderName') });
    const otherVariables = JSON.stringify({ ...sent, variables: { representations: [{ __typename: 'LegalEntity', creditCode: platform.credentials.samples.legalEntities[1] }] } });
    // The same bytes re-serialized differently (a space) are another request too: the MAC is over the exact body.
    const reformatted = captured.body.replace('{"query"', '{ "query"');
    for (const body of [otherDocument, otherVariables, reformatted]) {
      const refused = await post(subgraphs.licences!, contextHeaders(captured), body);
      expect(refused.status).toBe(401);
      expect(refused.body.data).toBeUndefined();
      expect(refused.body.errors[0].message).toMatch(/another document or other variables/);
    }
    const noMac = await post(subgraphs.licences!, { [SHARING_CONTEXT_HEADER]: captured.headers[SHARING_CONTEXT_HEADER]! }, captured.body);
    expect(noMac.status).toBe(401);
    expect(noMac.body.errors[0].message).toMatch(/x-govgraph-context-mac header is missing/);
    expect(await metric('licences', 'mca', 'bad_mac')).toBe(before + 4);
    // Positive control: the genuine fetch, unchanged, is still answered.
    expect((await post(subgraphs.licences!, contextHeaders(captured), captured.body)).status).toBe(200);
  });

  it('refuses a MAC made with another subgraph\'s key: each subgraph holds only its own', async () => {
    const claims = {
      consumer: 'mca', app: 'binding-test', purpose: 'ADMINISTRATIVE_BASIS', caseId: null, requestId: 'binding',
      policyVersion: platform.policy.current.version, snapshotUrl: platform.gateway.url.replace(/\/graphql$/, '/internal/policy-snapshot'),
    };
    const body = JSON.stringify({ query: `{ person(idNumber: "${platform.credentials.samples.persons[0]}") { name } }` });
    const token = await signSharingContext(keys.privateKey, 'population', claims);
    const wrongKey = await post(subgraphs.population!, { [SHARING_CONTEXT_HEADER]: token, [SHARING_CONTEXT_MAC_HEADER]: contextMac(deriveSubgraphMacKey(keys.privateKey, 'licences'), token, body) }, body);
    expect(wrongKey.status).toBe(401);
    const right = await post(subgraphs.population!, { [SHARING_CONTEXT_HEADER]: token, [SHARING_CONTEXT_MAC_HEADER]: contextMac(deriveSubgraphMacKey(keys.privateKey, 'population'), token, body) }, body);
    expect(right.status).toBe(200);
    expect(right.body.data.person.name).toBeTruthy();
  });

  it('the registry\'s context reads _service { sdl } and nothing else, and only at the subgraph it names', async () => {
    const token = await signRegistryContext(keys.privateKey, 'population');
    const sdl = await post(subgraphs.population!, { [SHARING_CONTEXT_HEADER]: token }, JSON.stringify({ query: '{ _service { sdl } }' }));
    expect(sdl.status).toBe(200);
    expect(sdl.body.data._service.sdl).toContain('type Person');

    const person = await post(subgraphs.population!, { [SHARING_CONTEXT_HEADER]: token }, JSON.stringify({ query: `{ person(idNumber: "${platform.credentials.samples.persons[0]}") { name } }` }));
    expect(person.body.data?.person ?? null).toBeNull();
    expect(person.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(JSON.stringify(person.body)).not.toMatch(/"name":"/);

    const entities = await post(subgraphs.population!, { [SHARING_CONTEXT_HEADER]: token }, JSON.stringify({
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { name gender } } }',
      variables: { r: [{ __typename: 'Person', idNumber: platform.credentials.samples.persons[0] }] },
    }));
    expect(entities.body.data?._entities ?? null).toBeNull();
    expect(entities.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(JSON.stringify(entities.body)).not.toMatch(/"name":"/);

    // Bound to its subgraph like any context.
    const elsewhere = await post(subgraphs.credit!, { [SHARING_CONTEXT_HEADER]: token }, JSON.stringify({ query: '{ _service { sdl } }' }));
    expect(elsewhere.status).toBe(401);
    // Positive control: the same entity read with a data context for population is answered.
    const data = await signSharingContext(keys.privateKey, 'population', {
      consumer: 'mca', app: 'binding-test', purpose: 'ADMINISTRATIVE_BASIS', caseId: null, requestId: 'binding',
      policyVersion: platform.policy.current.version, snapshotUrl: platform.gateway.url.replace(/\/graphql$/, '/internal/policy-snapshot'),
    });
    const body = JSON.stringify({
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { name gender } } }',
      variables: { r: [{ __typename: 'Person', idNumber: platform.credentials.samples.persons[0] }] },
    });
    const answered = await post(subgraphs.population!, { [SHARING_CONTEXT_HEADER]: data, [SHARING_CONTEXT_MAC_HEADER]: contextMac(deriveSubgraphMacKey(keys.privateKey, 'population'), data, body) }, body);
    expect(answered.body.errors).toBeUndefined();
    expect(answered.body.data._entities[0].name).toBeTruthy();
  });

  it('registering by URL reads the SDL with a registry context (positive control of the registry path)', async () => {
    const check = await platform.admin(`query($i: SubgraphInput!) { checkSubgraph(input: $i) { ok } }`, { i: { name: 'population', url: subgraphs.population } });
    expect(check.body.errors).toBeUndefined();
    expect(check.body.data.checkSubgraph.ok).toBe(true);
  });

  it('the catalogue\'s freshness context reads /freshness only', async () => {
    const token = await signFreshnessContext(keys.privateKey, 'population');
    const freshness = subgraphs.population!.replace(/\/graphql$/, '/freshness');
    const ok = await fetch(freshness, { headers: { [SHARING_CONTEXT_HEADER]: token } });
    expect(ok.status).toBe(200);
    expect((await ok.json() as any).subgraph).toBe('population');
    const atGraphql = await post(subgraphs.population!, { [SHARING_CONTEXT_HEADER]: token }, JSON.stringify({ query: '{ _service { sdl } }' }));
    expect(atGraphql.status).toBe(401);
    expect(atGraphql.body.errors[0].message).toMatch(/scope "freshness" is not accepted at \/graphql/);
    const elsewhere = await fetch(subgraphs.credit!.replace(/\/graphql$/, '/freshness'), { headers: { [SHARING_CONTEXT_HEADER]: token } });
    expect(elsewhere.status).toBe(401);
    // A registry context is not a freshness one either.
    const registry = await fetch(freshness, { headers: { [SHARING_CONTEXT_HEADER]: await signRegistryContext(keys.privateKey, 'population') } });
    expect(registry.status).toBe(401);
  });

  it('serves each subgraph the policy of its own coordinates only, to a data context only', async () => {
    const version = platform.policy.current.version;
    const snapshotUrl = platform.gateway.url.replace(/\/graphql$/, '/internal/policy-snapshot');
    const snapshotFor = async (audience: string) => {
      const token = await signSharingContext(keys.privateKey, audience, {
        consumer: 'mca', app: 'binding-test', purpose: 'ADMINISTRATIVE_BASIS', caseId: null, requestId: 'binding', policyVersion: version, snapshotUrl,
      });
      const res = await fetch(`${snapshotUrl}?version=${version}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      return (await res.json()) as { version: number; fields: { coordinate: string }[]; grants: { coordinate: string; consumer: string }[]; departments: unknown[]; purposes: string[] };
    };
    const population = await snapshotFor('population');
    const geography = await snapshotFor('geography');
    const whole = platform.policy.current.data;
    const coordinates = (s: { fields: { coordinate: string }[] }) => new Set(s.fields.map((f) => f.coordinate));

    // Positive control: what population needs is there.
    expect(population.version).toBe(version);
    expect(coordinates(population)).toContain('Person.name');
    expect(coordinates(population)).toContain('Person.maritalStatus');
    expect(population.grants.some((g) => g.coordinate === 'Person.maritalStatus' && g.consumer === 'mca')).toBe(true);
    expect(population.departments.length).toBe(whole.departments.length);
    expect(population.purposes).toEqual(whole.purposes);
    // What it does not: nothing of parcels, nobody's grants on real estate.
    expect([...coordinates(population)].filter((c) => c.startsWith('Parcel.'))).toEqual([]);
    expect(population.grants.filter((g) => g.coordinate.startsWith('Parcel.') || g.coordinate === 'Person.realEstate')).toEqual([]);
    expect(population.fields.length).toBeLessThan(whole.fields.length);

    // The other way round for natural resources.
    expect([...coordinates(geography)].some((c) => c.startsWith('Parcel.'))).toBe(true);
    expect(geography.grants.some((g) => g.coordinate === 'Person.realEstate')).toBe(true);
    expect(geography.grants.some((g) => g.coordinate === 'Person.maritalStatus')).toBe(false);
    expect(coordinates(geography).has('Person.maritalStatus')).toBe(false);

    // Registry and freshness contexts read no policy.
    for (const token of [await signRegistryContext(keys.privateKey, 'population'), await signFreshnessContext(keys.privateKey, 'population')]) {
      const res = await fetch(`${snapshotUrl}?version=${version}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
    }
  });

  describe('@requires values are shipped only where their reader may read them (R8, R10)', () => {
    const PROFILE = (p: TestPlatform) => `{ legalEntity(creditCode: "${p.credentials.samples.legalEntities[0]}") { name profile { creditRating riskLevel } } }`;
    const SET = `mutation($c: String!, $p: FieldPolicyInput!, $r: String!) { setFieldPolicy(coordinate: $c, policy: $p, reason: $r, override: true) { version } }`;

    it('ships an unconditional rating to the enterprise profile, and refuses the fetch once the rating is conditional and market supervision holds no grant', async () => {
      const profileHost = new URL(subgraphs['enterprise-profile']!).host;
      // Positive control: the rating is unconditional, the profile is built from it for any caller.
      const allowed = await captureFetches(() => platform.query(PROFILE(platform), { as: { department: 'ndrc' } }));
      const rating = allowed.result.body.data.legalEntity.profile.creditRating;
      expect(rating).toMatch(/^[A-D]$/);
      const shipped = allowed.fetches.find((f) => f.url.includes(profileHost));
      expect(JSON.stringify(JSON.parse(shipped!.body).variables.representations)).toContain(`"rating":"${rating}"`);

      const dgo = platform.credentials.platformAdminToken;
      const set = await platform.admin(SET, {
        c: 'CreditProfile.rating', r: 'ratings are shared on application only',
        p: { sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS'], basis: '《公共信用信息管理办法》' },
      }, dgo);
      expect(set.body.errors).toBeUndefined();
      try {
        // ndrc (the rating's provider) reads the rating; samr's profile subgraph may not be sent it.
        const refused = await captureFetches(() => platform.query(PROFILE(platform), { as: { department: 'ndrc' } }));
        expect(refused.result.body.data.legalEntity.name).toBeTruthy();
        expect(refused.result.body.data.legalEntity.profile).toBeNull();
        const error = refused.result.body.errors.find((e: any) => e.extensions?.coordinate === 'CreditProfile.rating');
        expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', subgraph: 'enterprise-profile', rule: 'R8/R10', reason: 'NO_GRANT' });
        expect(error.message).toMatch(/enterprise-profile/);
        // Never sent: no fetch reached the profile subgraph.
        expect(refused.fetches.filter((f) => f.url.includes(profileHost))).toEqual([]);
        expect(JSON.stringify(refused.result.body)).not.toContain(`"creditRating":"${rating}"`);

        // A caller without the rating gets it null from credit: nothing to refuse, the profile is answered without it.
        const mca = await platform.query(PROFILE(platform));
        expect(mca.body.data.legalEntity.profile).not.toBeNull();
        expect(mca.body.data.legalEntity.profile.creditRating).toBeNull();
      } finally {
        await platform.admin('mutation { clearFieldPolicy(coordinate: "CreditProfile.rating", reason: "test done", override: true) { version } }', {}, dgo);
      }
      // And back: unconditional again, shipped again.
      expect((await platform.query(PROFILE(platform), { as: { department: 'ndrc' } })).body.data.legalEntity.profile.creditRating).toBe(rating);
    });
  });
});
