/**
 * Chaos on the production processes (issue 15, "Done when"): nginx in front of 3 `govgraph
 * gateway` replicas and one `govgraph subgraph <name>` process per subgraph, over one PostgreSQL
 * store migrated by `govgraph migrate`; steady load through nginx from this test; then in turn:
 *
 *   1. `pg_terminate_backend` of every connection of the platform (its processes' pools, change
 *      feed listeners and audit partition leases — found by their application_name);
 *   2. `kill -9` of replica 1, restarted by the test as systemd would (Restart=always);
 *   3. SIGTERM of replica 2, restarted once it has exited;
 *   4. `kill -9` of the population subgraph, restarted on its address.
 *
 * Hard invariants: every 200 has its audit record (by request id), `govgraph audit verify`
 * passes, and each fault is recovered from within a generous bound. The figures (answers, 5xx by
 * error code, time to recover: first 2xx on every replica directly and ≥ 90 % of the steady
 * throughput through nginx; policy-change propagation p50/p99) are printed with `[measure]`.
 *
 * The platform is seeded (departments, demo people, policy, grants, the subgraphs registered at
 * the fixed ports their processes then use, the subgraphs' own data) by one all-in-one start in
 * this process, closed before the production processes start: a fresh production store cannot
 * yet register its subgraphs with the production processes alone (the self-registration tried
 * on this branch deadlocks on entities keyed both ways, population ↔ geography: see the report).
 *
 * PostgreSQL and nginx only: skipped, saying so, without them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../platform/config.ts';
import { startPlatform } from '../platform/startPlatform.ts';
import { SUBGRAPHS } from '../subgraphs/index.ts';
import { createTestStorage, type TestStorage } from '../storage/testing.ts';
import { nginxBinary, startNginx, type RunningNginx } from './fixtures/nginx.ts';

const available = Boolean(process.env.DATABASE_URL) && nginxBinary() !== null;
if (!available) console.warn('replica chaos: skipped (needs DATABASE_URL and Debian\'s nginx; .ci/run installs it)');

const GOVGRAPH = fileURLToPath(new URL('../bin/govgraph.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Generous: a loaded 2-core CI machine. The target (≤ 5 s) is printed, not asserted. */
const RECOVERY_BOUND_MS = 45_000;
const CLIENTS = 6;

/** nearest-rank percentile */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function freePortRun(count: number): Promise<number> {
  const free = (port: number) => new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    let ok = true;
    for (let i = 0; i < count && ok; i++) ok = await free(base + i);
    if (ok) return base;
  }
  throw new Error(`no run of ${count} free ports found`);
}

/** One `govgraph …` process; restartable on the same command and environment. */
class Service {
  child!: ChildProcess;
  exited!: Promise<{ code: number | null; signal: string | null }>;
  log = '';
  starts = 0;
  constructor(readonly label: string, readonly args: readonly string[], readonly env: Record<string, string>) {}

  start(): void {
    this.starts++;
    this.child = spawn(process.execPath, [GOVGRAPH, ...this.args], { cwd: ROOT, env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const append = (c: Buffer) => { this.log = (this.log + c.toString()).slice(-20_000); };
    this.child.stdout!.on('data', append);
    this.child.stderr!.on('data', append);
    const child = this.child;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(): Promise<void> {
    if (!this.child || !this.running) return;
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    this.child.kill('SIGTERM');
    await this.exited;
    clearTimeout(kill);
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, log?: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} not within ${timeoutMs} ms${log ? `:\n${log().slice(-3000)}` : ''}`);
}

interface Answer {
  readonly via: string;
  readonly sentAt: number;
  readonly at: number;
  readonly status: number;
  /** The first error code, or the connection error. */
  readonly code?: string;
  readonly requestId?: string;
}

describe.runIf(available)('chaos on the production processes (PostgreSQL, nginx)', () => {
  let storage: TestStorage;
  let nginx: RunningNginx;
  const gateways: Service[] = [];
  const subgraphs = new Map<string, Service>();
  let gatewayOrigins: string[] = [];
  let env: Record<string, string>;
  let platformAdminToken: string;
  let loadToken: string;
  let person: string;
  let killer: pg.Client;

  const QUERY = 'query($id: ID!) { person(idNumber: $id) { idNumber name } }';
  const ETHNICITY = 'query($id: ID!) { person(idNumber: $id) { ethnicity } }';

  async function post(url: string, token: string, query: string, variables: Record<string, unknown> = {}) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'ADMINISTRATIVE_BASIS' }, body: JSON.stringify({ query, variables }) });
    const text = await res.text();
    let body: any = null;
    try { body = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body, requestId: res.headers.get('x-request-id') ?? undefined };
  }

  async function ask(via: string, url: string): Promise<Answer> {
    const sentAt = performance.now();
    try {
      const a = await post(url, loadToken, QUERY, { id: person });
      const code = a.body?.errors?.[0]?.extensions?.code as string | undefined;
      return { via, sentAt, at: performance.now(), status: a.status, ...(code ? { code } : {}), ...(a.requestId ? { requestId: a.requestId } : {}) };
    } catch (error) {
      return { via, sentAt, at: performance.now(), status: 0, code: (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message };
    }
  }

  beforeAll(async () => {
    storage = createTestStorage('postgres');
    const prefix = (storage.config as { schemaPrefix: string }).schemaPrefix;
    const base = await freePortRun(SUBGRAPHS.length + 3);
    env = {
      DATA_DIR: storage.dataDir, DATABASE_URL: process.env.DATABASE_URL!, GOVGRAPH_SCHEMA_PREFIX: prefix,
      GOVGRAPH_SHUTDOWN_GRACE_MS: '10000', SUBGRAPH_TIMEOUT_MS: '5000',
    };
    // 1. Schema changes once, before anything else.
    const migrate = new Service('migrate', ['migrate'], env);
    migrate.start();
    const migrated = await migrate.exited;
    expect(migrated, migrate.log).toEqual({ code: 0, signal: null });

    // 2. Seeding: one all-in-one start registers the subgraphs at the ports their processes will use.
    const seeding = await startPlatform({ ...loadConfig({ ...env, PORT: '0', GOVGRAPH_SUBGRAPHS: 'inprocess', SUBGRAPH_PORT_BASE: String(base + 3) }), storage: storage.config }, { log: () => {} });
    platformAdminToken = seeding.credentials.platformAdminToken;
    person = seeding.credentials.samples.persons[0]!;
    const mcaAdmin = seeding.credentials.departments.find((d) => d.code === 'mca')!.adminToken;
    const admin = (token: string, query: string, variables: Record<string, unknown>) => post(`${seeding.gateway.url.replace(/\/graphql$/, '')}/admin/graphql`, token, query, variables);
    const created = await admin(mcaAdmin, 'mutation($n: String!) { createApp(name: $n) { id token } }', { n: '混沌测试负载' });
    expect(created.body.errors, JSON.stringify(created.body)).toBeUndefined();
    loadToken = created.body.data.createApp.token;
    // The load is far above the default rate limit (R10: 600 a minute per replica): a load-test limit.
    const limited = await admin(mcaAdmin, 'mutation($id: ID!) { setAppRateLimit(appId: $id, requestsPerMinute: 1000000, keysPerMinute: 1000000, reason: "混沌测试") { requestsPerMinute } }', { id: created.body.data.createApp.id });
    expect(limited.body.errors, JSON.stringify(limited.body)).toBeUndefined();
    await seeding.close();

    // 3. nginx first (the subgraphs fetch the key set through it), then the processes.
    gatewayOrigins = [0, 1, 2].map((i) => `http://127.0.0.1:${base + i}`);
    nginx = await startNginx({ upstreams: gatewayOrigins, readTimeoutSeconds: 30 });
    SUBGRAPHS.forEach((definition, i) => {
      const service = new Service(`subgraph ${definition.name}`, ['subgraph', definition.name], { ...env, PORT: String(base + 3 + i), GOVGRAPH_JWKS_URL: `${nginx.origin}/.well-known/jwks.json` });
      subgraphs.set(definition.name, service);
      service.start();
    });
    for (let i = 0; i < 3; i++) {
      const service = new Service(`replica ${i + 1}`, ['gateway'], { ...env, PORT: String(base + i) });
      gateways.push(service);
      service.start();
    }
    for (const [name, s] of subgraphs) await waitFor(`subgraph ${name} serving`, async () => /"msg":"serving"/.test(s.log) && s.log.includes(`"service":"subgraph-${name}"`), 180_000, () => s.log);
    for (const [i, g] of gateways.entries()) await waitFor(`replica ${i + 1} ready`, async () => (await fetch(`${gatewayOrigins[i]}/readyz`)).status === 200, 120_000, () => g.log);
    killer = new pg.Client({ connectionString: process.env.DATABASE_URL, application_name: 'chaos test' });
    await killer.connect();
  }, 400_000);

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all([...gateways, ...subgraphs.values()].map((s) => s.stop()));
    await killer?.end();
    await storage?.cleanup();
  }, 120_000);

  it('survives a database blip, kill -9 and SIGTERM of replicas and kill -9 of a subgraph: every 200 audited, the chain verifies', async () => {
    const answers: Answer[] = [];
    let loading = true;
    const started = performance.now();
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (loading) answers.push(await ask('nginx', `${nginx.origin}/graphql`));
    });
    // Each replica directly, every 50 ms: "first 2xx on every replica".
    const probes = gatewayOrigins.map(async (origin, i) => {
      while (loading) {
        answers.push(await ask(`replica ${i + 1}`, `${origin}/graphql`));
        await sleep(50);
      }
    });

    const okThroughNginx = (from: number, to: number) => answers.filter((a) => a.via === 'nginx' && a.status === 200 && a.at >= from && a.at < to).length;
    // Warm (rule trees built, snapshots fetched, connections open) before the steady rate is taken.
    await waitFor('the load answered through nginx', async () => okThroughNginx(started, performance.now()) >= 30, 120_000);
    const steadyFrom = performance.now();
    await sleep(3000);
    const steadyPerSecond = okThroughNginx(steadyFrom, performance.now()) / 3;
    expect(steadyPerSecond, 'the load is answered before anything happens').toBeGreaterThan(1);

    /**
     * After the fault at `since`: when nginx carried ≥ 90 % of the steady rate again (a 1 s
     * window of 200s), and when, besides, every replica had answered 2xx directly (a restarted
     * one: a request sent after its restart, `restartedAt`).
     */
    async function recovered(since: number, restartedAt: number = since): Promise<{ service: number; everyReplica: number }> {
      const until = since + RECOVERY_BOUND_MS;
      for (;;) {
        const now = performance.now();
        const firstOk = gatewayOrigins.map((_, i) => answers.find((a) => a.via === `replica ${i + 1}` && a.status === 200 && a.sentAt >= restartedAt)?.at ?? null);
        let throughputAt: number | null = null;
        const oks = answers.filter((a) => a.via === 'nginx' && a.status === 200 && a.at >= since).map((a) => a.at).sort((x, y) => x - y);
        for (let j = 0; j < oks.length; j++) {
          const windowEnd = oks[j]! + 1000;
          if (windowEnd > now) break;
          let k = j;
          while (k < oks.length && oks[k]! < windowEnd) k++;
          if (k - j >= 0.9 * steadyPerSecond) { throughputAt = oks[j]!; break; }
        }
        if (firstOk.every((t) => t !== null) && throughputAt !== null) return { service: throughputAt - since, everyReplica: Math.max(...(firstOk as number[]), throughputAt) - since };
        if (now > until) return { service: throughputAt === null ? Number.POSITIVE_INFINITY : throughputAt - since, everyReplica: Number.POSITIVE_INFINITY };
        await sleep(100);
      }
    }

    const recovery: { fault: string; from: number; ms: { service: number; everyReplica: number } }[] = [];
    const restart = async (service: Service, origin?: string) => {
      service.start();
      if (origin) await waitFor(`${service.label} ready again`, async () => (await fetch(`${origin}/readyz`)).status === 200, RECOVERY_BOUND_MS, () => service.log);
    };

    // 1. Every connection of the platform's processes, terminated at once.
    const prefix = env.GOVGRAPH_SCHEMA_PREFIX!;
    let at = performance.now();
    const { rows } = await killer.query<{ n: string }>(
      "SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name LIKE $1 AND pid <> pg_backend_pid()", [`govgraph ${prefix}%`]);
    recovery.push({ fault: `pg_terminate_backend (${rows[0]!.n} connections)`, from: at, ms: await recovered(at) });
    await sleep(2000);

    // 2. kill -9 of replica 1; restarted as systemd would.
    at = performance.now();
    gateways[0]!.child.kill('SIGKILL');
    await gateways[0]!.exited;
    await sleep(100);
    let restartedAt = performance.now();
    await restart(gateways[0]!);
    recovery.push({ fault: 'kill -9 replica 1 (restarted)', from: at, ms: await recovered(at, restartedAt) });
    await sleep(2000);

    // 3. SIGTERM of replica 2: it finishes what it has in flight, exits 0, and is started again.
    at = performance.now();
    gateways[1]!.child.kill('SIGTERM');
    const stopped = await gateways[1]!.exited;
    expect(stopped, gateways[1]!.log).toEqual({ code: 0, signal: null });
    restartedAt = performance.now();
    await restart(gateways[1]!);
    recovery.push({ fault: 'SIGTERM replica 2 (exit 0, restarted)', from: at, ms: await recovered(at, restartedAt) });
    await sleep(2000);

    // 4. kill -9 of the subgraph every request asks; restarted on its address.
    const population = subgraphs.get('population')!;
    at = performance.now();
    population.child.kill('SIGKILL');
    await population.exited;
    await sleep(100);
    population.start();
    recovery.push({ fault: 'kill -9 subgraph population (restarted)', from: at, ms: await recovered(at) });

    // Policy-change propagation under the same load: a change answered by replica 1, replicas 2 and 3 polled every 10 ms.
    const propagation = await measurePropagation(12);

    loading = false;
    await Promise.all([...clients, ...probes]);
    const seconds = (performance.now() - started) / 1000;

    // Final checkpoints: the replicas stop gracefully before the chain is verified.
    for (const g of gateways) await g.stop();
    const verify = new Service('audit verify', ['audit', 'verify'], env);
    verify.start();
    const verified = await verify.exited;

    // Every 200 has its audit record.
    const ok = answers.filter((a) => a.status === 200);
    const ids = ok.map((a) => a.requestId).filter((id): id is string => Boolean(id));
    const audit = new pg.Client({ connectionString: process.env.DATABASE_URL, application_name: 'chaos test' });
    await audit.connect();
    let recorded = new Set<string>();
    try {
      const found = await audit.query<{ request_id: string }>(`SELECT request_id FROM "${prefix}audit".audit_records WHERE request_id = ANY($1::text[])`, [ids]);
      recorded = new Set(found.rows.map((r) => r.request_id));
    } finally {
      await audit.end();
    }
    const unrecorded = ok.filter((a) => !a.requestId || !recorded.has(a.requestId));

    // Answers other than a plain 200, by kind and by the fault they followed.
    const phaseOf = (a: Answer) => [...recovery].reverse().find((r) => a.sentAt >= r.from)?.fault.split(' (')[0] ?? 'steady load';
    const byKind = new Map<string, number>();
    for (const a of answers) {
      if (a.status === 200 && !a.code) continue;
      const kind = `${a.status === 0 ? `no answer (${a.code})` : `${a.status} ${a.code ?? ''}`.trim()} [${a.via === 'nginx' ? 'nginx' : 'direct'}, after ${phaseOf(a)}]`;
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    }
    const fiveXx = answers.filter((a) => a.status >= 500).length;
    console.log(`[measure] chaos: ${answers.length} requests in ${seconds.toFixed(0)} s (steady ${steadyPerSecond.toFixed(0)}/s through nginx with ${CLIENTS} clients); 200: ${ok.length}; 5xx: ${fiveXx}; other answers by kind: ${[...byKind].map(([k, n]) => `${k}: ${n}`).join(', ') || 'none'}`);
    console.log(`[measure] chaos: 200s without an audit record: ${unrecorded.length} of ${ok.length}; audit verify: exit ${verified.code} ${verify.log.trim().split('\n').slice(-1)[0] ?? ''}`);
    const s = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : `more than ${RECOVERY_BOUND_MS / 1000} s`);
    for (const r of recovery) console.log(`[measure] chaos: ${r.fault}: ≥ 90 % of steady throughput through nginx after ${s(r.ms.service)}; every replica answering 2xx after ${s(r.ms.everyReplica)} (target ≤ 5 s)`);
    console.log(`[measure] chaos: policy-change propagation under load, replicas 2 and 3 directly: p50 ${percentile(propagation.samples, 50).toFixed(0)} ms, p99 ${percentile(propagation.samples, 99).toFixed(0)} ms, max ${Math.max(...propagation.samples).toFixed(0)} ms (${propagation.samples.length} samples, target p99 ≤ 100 ms); not seen within 15 s: ${propagation.lost}`);

    expect(unrecorded.map((a) => `${a.via} ${a.requestId ?? '(no request id)'}`), 'every 200 has its audit record').toEqual([]);
    expect(verified, verify.log).toEqual({ code: 0, signal: null });
    for (const r of recovery) expect(r.ms.everyReplica, `${r.fault}: recovered within ${RECOVERY_BOUND_MS / 1000} s`).toBeLessThan(RECOVERY_BOUND_MS);
    expect(propagation.lost, 'every policy change reached every replica').toBe(0);
    // Gone at the end: the restarted processes answered after each fault (positive control on the counts).
    expect(gateways[0]!.starts).toBe(2);
    expect(ok.filter((a) => a.via === 'replica 1' && a.sentAt > at).length).toBeGreaterThan(0);
  }, 400_000);

  /** `rounds` policy changes on replica 1 (rollbacks between "ethnicity not shared" and the version before); replicas 2 and 3 polled every 10 ms. */
  async function measurePropagation(rounds: number): Promise<{ samples: number[]; lost: number }> {
    type State = 'allowed' | 'refused' | 'other';
    const state = async (url: string): Promise<State> => {
      try {
        const a = await post(url, loadToken, ETHNICITY, { id: person });
        if (a.status !== 200) return 'other';
        if (a.body?.errors?.some((e: any) => e.extensions?.code === 'FORBIDDEN')) return 'refused';
        return a.body?.data?.person?.ethnicity ? 'allowed' : 'other';
      } catch {
        return 'other';
      }
    };
    const admin = (query: string, variables: Record<string, unknown> = {}) => post(`${gatewayOrigins[0]}/admin/graphql`, platformAdminToken, query, variables);
    const denied = await admin(`mutation { setFieldPolicy(coordinate: "Person.ethnicity", override: true, reason: "混沌测试：传播", policy: { sharingClass: NOT_SHARED, basis: "《个人信息保护法》第二十八条" }) { version } }`);
    expect(denied.body.errors, JSON.stringify(denied.body)).toBeUndefined();
    const deniedVersion: number = denied.body.data.setFieldPolicy.version;
    const allowedVersion = deniedVersion - 1;
    const seen = [1, 2].map(() => [] as { at: number; state: State }[]);
    let polling = true;
    const pollers = [1, 2].map(async (i) => {
      while (polling) {
        const s = await state(`${gatewayOrigins[i]}/graphql`);
        seen[i - 1]!.push({ at: performance.now(), state: s });
        await sleep(10);
      }
    });
    const samples: number[] = [];
    let lost = 0;
    const warmUp = 2;
    for (let round = 0; round < rounds + warmUp; round++) {
      const to = round % 2 === 0 ? allowedVersion : deniedVersion;
      const expected: State = to === allowedVersion ? 'allowed' : 'refused';
      const sentAt = performance.now();
      const answer = await admin('mutation($v: Int!) { rollbackPolicy(toVersion: $v, reason: "混沌测试") { version } }', { v: to });
      expect(answer.body.errors, JSON.stringify(answer.body)).toBeUndefined();
      const answeredAt = performance.now();
      for (const list of seen) {
        const until = performance.now() + 15_000;
        let hit: { at: number } | undefined;
        while (!(hit = list.find((o) => o.at > sentAt && o.state === expected)) && performance.now() < until) await sleep(5);
        if (!hit) { lost++; continue; }
        if (round >= warmUp) samples.push(Math.max(0, hit.at - answeredAt));
      }
      await sleep(50);
    }
    polling = false;
    await Promise.all(pollers);
    return { samples, lost };
  }
});
