/**
 * Three gateway replicas, each a process of its own, over one PostgreSQL store, behind nginx
 * (issue 15; PostgreSQL and nginx only: skipped, saying so, without them).
 *
 * 1. Changes pushed, not polled: a policy change and a token revocation answered by replica 1
 *    are in force on replicas 2 and 3 — a client polling each every 10 ms sees the first request
 *    refused (or allowed) accordingly. Before (polling every second): 0.6–0.9 s (policy),
 *    0.63–0.68 s (token). Target p99 ≤ 100 ms. The replicas' fallback poll is set to a minute, so a
 *    change seen everywhere within seconds was pushed; the latency bound asserted is generous
 *    (p99 < 2 s) so that a loaded machine does not make it flake; the figures are printed.
 *    `PROPAGATION_CHANGE_FEED=off` runs the same measurement with the replicas polling every second.
 * 2. A replica SIGTERMed behind nginx while requests are in flight: no connection reset, no 5xx;
 *    new requests go to the other replicas (nginx: test/fixtures/nginx.ts).
 *
 * The load (pollers every 10 ms, six clients one request after another) is far above an app's
 * default rate limit (R10: 600 requests a minute, counted per replica), and a 429 under that load
 * is the limiter doing its job, not a replica failing. So the load comes from an app of mca's
 * made for it with a load-test limit (setAppRateLimit), and every answer but 200 still fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestStorage, type TestStorage } from '../storage/testing.ts';
import { nginxBinary, startNginx, type RunningNginx } from './fixtures/nginx.ts';
import { startReplicaProcess, type ReplicaProcess } from './fixtures/replicaProcess.ts';

const feedOff = process.env.PROPAGATION_CHANGE_FEED === 'off';
const available = Boolean(process.env.DATABASE_URL) && nginxBinary() !== null;
if (!available) console.warn('replicas behind nginx: skipped (needs DATABASE_URL and Debian\'s nginx; .ci/run installs it)');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer { status: number; body: any; error?: string }

async function post(url: string, headers: Record<string, string>, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    const text = await res.text();
    let body: unknown = text;
    try { body = JSON.parse(text); } catch { /* not JSON: kept as text */ }
    return { status: res.status, body };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { status: 0, body: null, error: cause?.code ?? (error as Error).message };
  }
}

/** nearest-rank percentile */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

type State = 'allowed' | 'refused' | 'other';
interface Observation { answeredAt: number; state: State }

/** Asks `probe` of one target every 10 ms (after each answer), keeping every answer's time and state. */
function poller(probe: () => Promise<State>) {
  const seen: Observation[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const state = await probe();
      seen.push({ answeredAt: performance.now(), state });
      if (seen.length > 5000) seen.splice(0, 2500);
      await sleep(10);
    }
  })();
  return {
    seen,
    /** The first answer in `state` received after `since`, waiting for it up to `timeoutMs`. */
    async first(state: State, since: number, timeoutMs = 5000): Promise<number | null> {
      const until = performance.now() + timeoutMs;
      for (;;) {
        const hit = seen.find((o) => o.answeredAt > since && o.state === state);
        if (hit) return hit.answeredAt;
        if (performance.now() > until) return null;
        await sleep(2);
      }
    },
    async stop() {
      running = false;
      await done;
    },
  };
}

describe.runIf(available)('replicas on PostgreSQL behind nginx', () => {
  let storage: TestStorage;
  const replicas: ReplicaProcess[] = [];
  let nginx: RunningNginx;
  let credentials: { platformAdminToken: string; departments: { code: string; adminToken: string; apps: { token: string }[] }[]; samples: { persons: string[] } };
  let person: string;
  let mcaApp: string;

  beforeAll(async () => {
    storage = createTestStorage('postgres');
    // Pushed: the poll, a minute apart, cannot explain a change seen within seconds.
    const env: Record<string, string> = feedOff ? { GOVGRAPH_CHANGE_FEED: 'off' } : { GOVGRAPH_POLL_MS: '60000' };
    // One after the other: the first creates the schema, seeds and makes the keys the others are given.
    replicas.push(await startReplicaProcess({ storage: storage.config, env }));
    for (let i = 1; i < 3; i++) replicas.push(await startReplicaProcess({ storage: storage.config, keysFrom: replicas[0]!.dataDir, env }));
    nginx = await startNginx({ upstreams: replicas.map((r) => r.origin), accessLog: true });
    credentials = JSON.parse(readFileSync(join(replicas[0]!.dataDir, 'demo', 'credentials.json'), 'utf8'));
    person = credentials.samples.persons[0]!;
    mcaApp = await loadTestApp(credentials.departments.find((d) => d.code === 'mca')!.adminToken);
  }, 600_000);

  /**
   * An app of mca's whose rate limit is above the tests' load: the default (600 a minute per
   * replica) refused half of the SIGTERM test's requests with 429 once requests got faster.
   */
  async function loadTestApp(mcaAdmin: string): Promise<string> {
    const adminOf = (query: string, variables: Record<string, unknown>) => post(`${replicas[0]!.origin}/admin/graphql`, { authorization: `Bearer ${mcaAdmin}` }, query, variables);
    const created = await adminOf('mutation($n: String!) { createApp(name: $n) { id token } }', { n: '负载测试应用' });
    expect(created.body.errors, JSON.stringify(created.body)).toBeUndefined();
    const { id, token } = created.body.data.createApp as { id: string; token: string };
    const limited = await adminOf('mutation($id: ID!) { setAppRateLimit(appId: $id, requestsPerMinute: 1000000, keysPerMinute: 1000000, reason: "负载测试") { requestsPerMinute } }', { id });
    expect(limited.body.errors, JSON.stringify(limited.body)).toBeUndefined();
    // Every replica (and nginx) knows the new token before a test uses it.
    for (const url of [...replicas.map((r) => r.url), `${nginx.origin}/graphql`]) {
      const until = Date.now() + 10_000;
      let status = 0;
      while ((status = (await post(url, { authorization: `Bearer ${token}`, 'x-purpose': 'ADMINISTRATIVE_BASIS' }, '{ __typename }')).status) !== 200 && Date.now() < until) await sleep(50);
      expect(status, `the load-test app's token answers at ${url}`).toBe(200);
    }
    return token;
  }

  afterAll(async () => {
    await nginx?.stop();
    for (const r of replicas) await r.stop();
    await storage?.cleanup();
  }, 120_000);

  const admin = (replica: ReplicaProcess, query: string, variables: Record<string, unknown> = {}) =>
    post(`${replica.origin}/admin/graphql`, { authorization: `Bearer ${credentials.platformAdminToken}` }, query, variables);

  /** Replicas 2 and 3 directly, and nginx (which may pick any replica). */
  const targets = () => [
    { name: 'replica 2', url: replicas[1]!.url },
    { name: 'replica 3', url: replicas[2]!.url },
    { name: 'nginx', url: `${nginx.origin}/graphql` },
  ];

  async function measure(
    label: string,
    rounds: number,
    probe: (url: string) => Promise<State>,
    /** Makes the change; returns the state it leads to and when the mutation was sent. */
    change: (round: number) => Promise<{ expect: State; sentAt: number }>,
    warmUp = 2,
  ): Promise<{ direct: number[]; nginx: number[]; lost: number }> {
    const pollers = targets().map((t) => ({ ...t, poll: poller(() => probe(t.url)) }));
    const direct: number[] = [];
    const viaNginx: number[] = [];
    let lost = 0;
    try {
      // The first changes also build what a new version needs (subgraphs' rule trees…): not counted.
      for (let round = 0; round < rounds + warmUp; round++) {
        const { expect: expected, sentAt } = await change(round);
        const answeredAt = performance.now();
        for (const p of pollers) {
          const at = await p.poll.first(expected, sentAt);
          if (at === null) { lost++; continue; }
          if (round < warmUp) continue;
          const ms = Math.max(0, at - answeredAt);
          (p.name === 'nginx' ? viaNginx : direct).push(ms);
        }
        await sleep(50);
      }
    } finally {
      for (const p of pollers) await p.poll.stop();
    }
    const f = (xs: number[]) => (xs.length ? `p50 ${percentile(xs, 50).toFixed(0)} ms, p99 ${percentile(xs, 99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms` : 'none');
    console.log(`${label} (${feedOff ? 'polling only' : 'change feed'}), ${rounds} changes on replica 1: replicas 2 and 3 directly (${direct.length} samples) ${f(direct)}; through nginx ${f(viaNginx)}; not seen within 5 s: ${lost}`);
    return { direct, nginx: viaNginx, lost };
  }

  const ETHNICITY = 'query($id: ID!) { person(idNumber: $id) { ethnicity } }';
  const readsEthnicity = async (url: string): Promise<State> => {
    const a = await post(url, { authorization: `Bearer ${mcaApp}`, 'x-purpose': 'ADMINISTRATIVE_BASIS' }, ETHNICITY, { id: person });
    if (a.status !== 200) return 'other';
    if (a.body?.errors?.some((e: any) => e.extensions?.code === 'FORBIDDEN')) return 'refused';
    return a.body?.data?.person?.ethnicity ? 'allowed' : 'other';
  };

  it('a policy change made on one replica is in force on every other within milliseconds', async () => {
    // Positive control first: mca reads Person.ethnicity (unconditional) on every replica.
    for (const t of targets()) expect(await readsEthnicity(t.url), t.name).toBe('allowed');
    const denied = await admin(replicas[0]!, `mutation { setFieldPolicy(coordinate: "Person.ethnicity", override: true, reason: "传播测试：暂不共享",
      policy: { sharingClass: NOT_SHARED, basis: "《个人信息保护法》第二十八条" }) { version } }`);
    expect(denied.body.errors, JSON.stringify(denied.body)).toBeUndefined();
    const deniedVersion: number = denied.body.data.setFieldPolicy.version;
    for (const t of targets()) {
      await expect.poll(() => readsEthnicity(t.url), { timeout: 5000, interval: 20 }).toBe('refused');
    }
    const allowedVersion = deniedVersion - 1;
    const result = await measure('policy change', 20, readsEthnicity, async (round) => {
      const to = round % 2 === 0 ? allowedVersion : deniedVersion;
      const sentAt = performance.now();
      const answer = await admin(replicas[0]!, 'mutation($v: Int!) { rollbackPolicy(toVersion: $v, reason: "传播测试") { version } }', { v: to });
      expect(answer.body.errors, JSON.stringify(answer.body)).toBeUndefined();
      return { expect: to === allowedVersion ? 'allowed' : 'refused', sentAt };
    });
    expect(result.lost, 'every change reached every replica within 5 s (with a one-minute poll: pushed)').toBe(0);
    if (!feedOff) expect(percentile(result.direct, 99)).toBeLessThan(2000);
  }, 300_000);

  it('a token revoked on one replica is refused by every other within milliseconds (and a new one accepted)', async () => {
    let token = '';
    const answersWith = async (url: string): Promise<State> => {
      const a = await post(url, { authorization: `Bearer ${token}`, 'x-purpose': 'ADMINISTRATIVE_BASIS' }, 'query($id: ID!) { person(idNumber: $id) { name } }', { id: person });
      if (a.status === 401) return 'refused';
      return a.status === 200 && a.body?.data?.person?.name ? 'allowed' : 'other';
    };
    const mcaAdmin = credentials.departments.find((d) => d.code === 'mca')!.adminToken;
    const issued: number[] = [];
    const revoked = await measure('token revocation', 10, answersWith, async (round) => {
      const created = await post(`${replicas[0]!.origin}/admin/graphql`, { authorization: `Bearer ${mcaAdmin}` }, 'mutation($n: String!) { createApp(name: $n) { id token } }', { n: `propagation ${round}` });
      expect(created.body.errors, JSON.stringify(created.body)).toBeUndefined();
      token = created.body.data.createApp.token;
      // The new token answers on every replica (a replica that was shown it before it existed would remember "unknown").
      const madeAt = performance.now();
      for (const t of targets()) {
        await expect.poll(() => answersWith(t.url), { timeout: 5000, interval: 10 }).toBe('allowed');
      }
      issued.push(performance.now() - madeAt);
      const sentAt = performance.now();
      const answer = await post(`${replicas[0]!.origin}/admin/graphql`, { authorization: `Bearer ${mcaAdmin}` }, 'mutation($id: ID!) { revokeCredential(id: $id) }', { id: created.body.data.createApp.id });
      expect(answer.body.data?.revokeCredential, JSON.stringify(answer.body)).toBe(true);
      return { expect: 'refused', sentAt };
    }, 1);
    const f = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(0)} ms, p99 ${percentile(xs, 99).toFixed(0)} ms`;
    console.log(`new token accepted on every replica and through nginx after ${f(issued)}`);
    expect(revoked.lost).toBe(0);
    if (!feedOff) expect(percentile(revoked.direct, 99)).toBeLessThan(2000);
  }, 300_000);

  it('a replica SIGTERMed behind nginx with requests in flight: none reset, none 5xx, the others take the new ones', async () => {
    const headers = { authorization: `Bearer ${mcaApp}`, 'x-purpose': 'ADMINISTRATIVE_BASIS' };
    const QUERY = 'query($id: ID!) { person(idNumber: $id) { idNumber name } }';
    const ask = (url: string) => post(url, headers, QUERY, { id: person });
    const [first, second, third] = replicas as [ReplicaProcess, ReplicaProcess, ReplicaProcess];
    // Steady load through nginx: 6 clients, one request after another each.
    const answers: Answer[] = [];
    let loading = true;
    const clients = Array.from({ length: 6 }, async () => {
      while (loading) answers.push(await ask(`${nginx.origin}/graphql`));
    });
    await expect.poll(() => answers.length, { timeout: 30_000, message: 'the load is answered before anything happens' }).toBeGreaterThan(12);
    // Requests kept in flight: every replica fetches from the subgraphs of the last one started
    // (replica 3), whose process is stopped while they wait.
    third.child.kill('SIGSTOP');
    await sleep(300);
    const direct = Array.from({ length: 3 }, () => ask(second.url));
    const extra: Promise<Answer>[] = [];
    await sleep(300);
    const signalledAt = Date.now();
    second.child.kill('SIGTERM');
    await sleep(300);
    // New requests after the signal: replica 2 refuses their connections, nginx passes them on.
    for (let i = 0; i < 4; i++) extra.push(ask(`${nginx.origin}/graphql`));
    await sleep(500);
    third.child.kill('SIGCONT');
    const stopped = await second.exited;
    await sleep(1000);
    loading = false;
    await Promise.all(clients);
    const all = [...answers, ...(await Promise.all(direct)), ...(await Promise.all(extra))];
    const byStatus = new Map<string, number>();
    for (const a of all) byStatus.set(String(a.status || a.error), (byStatus.get(String(a.status || a.error)) ?? 0) + 1);
    // Requests replica 2 answered through nginx after its SIGTERM: they were in flight then.
    const servedAfter = nginx.accessLog().filter((l) => l.upstream.endsWith(`:${new URL(second.origin).port}`) && l.at * 1000 >= signalledAt).length;
    console.log(`SIGTERM of replica 2 behind nginx under load: ${all.length} requests, ${[...byStatus].map(([s, n]) => `${s}: ${n}`).join(', ')}; replica 2 answered ${servedAfter} through nginx after the signal; exit ${stopped.code ?? stopped.signal}`);
    expect(all.filter((a) => a.error), 'no connection reset or refused').toEqual([]);
    expect(all.filter((a) => a.status !== 200).map((a) => `${a.status} ${JSON.stringify(a.body).slice(0, 200)}`)).toEqual([]);
    for (const a of all) expect(a.body.data.person.name).toBeTruthy();
    expect(stopped).toEqual({ code: 0, signal: null });
    expect(servedAfter, 'requests in flight through nginx were answered by the stopping replica').toBeGreaterThan(0);
    // The replicas left answer on.
    expect((await ask(first.url)).status).toBe(200);
    expect((await ask(`${nginx.origin}/graphql`)).status).toBe(200);
  }, 300_000);
});
