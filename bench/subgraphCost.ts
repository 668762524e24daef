/**
 * `npm run bench:subgraph`: one department subgraph's CPU per fetch, server side only, the
 * way the gateway calls it in the bench's three-subgraph query (population: `_entities` of
 * one Person, its name), over the bench's SQLite files (`npm run bench` seeds them). Two
 * processes run the same subgraph code: `enforced` (signed context verified on every
 * request, MAC over the body, graphql-shield on every field, as govgraph runs it) and
 * `unprotected` (the baseline's). Both are loaded in turns, `--concurrency` fetches at a
 * time, and each process's own CPU time (process.cpuUsage, over IPC) is divided by the
 * fetches. Prints the median of the rounds and every round: CPU time is far steadier than
 * wall time on a busy machine.
 *
 *   npm run bench:subgraph -- [--rounds 6] [--fetches 2000] [--concurrency 10] [--data-dir data/bench] [--cpu-prof DIR]
 *
 * `--cpu-prof DIR`: both subgraph processes write V8 CPU profiles there on exit.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { Agent, request } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadWorld } from '../demo/worldFile.ts';
import { population } from '../subgraphs/population/index.ts';
import { startSubgraphServer } from '../subgraphs/runtime/server.ts';
import { SHARING_CONTEXT_HEADER, signSharingContext } from '../lib/sharingContext.ts';
import { contextMac, deriveSubgraphMacKey, SHARING_CONTEXT_MAC_HEADER } from '../lib/contextMac.ts';
import { fieldsUnderPolicy } from '../policies/fieldsUnderPolicy.ts';
import { effectiveFieldPolicies, PolicySnapshot } from '../policies/snapshot.ts';
import { DEMO_DEPARTMENTS, DEMO_PURPOSES } from '../demo/departments.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const QUERY = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Person{name}}}';

async function serve(mode: 'enforced' | 'unprotected', dataDir: string): Promise<void> {
  const snapshot = new PolicySnapshot({
    version: 1,
    fields: effectiveFieldPolicies(fieldsUnderPolicy([population]), []),
    grants: [],
    departments: DEMO_DEPARTMENTS.map((d) => ({ code: d.code, jurisdiction: d.jurisdiction })),
    purposes: DEMO_PURPOSES.map((p) => p.code),
  });
  const security = mode === 'enforced'
    ? {
      mode: 'enforced' as const,
      publicKey: createPublicKey(process.env.BENCH_PUBLIC_KEY!),
      macKey: Buffer.from(process.env.BENCH_MAC_KEY!, 'base64'),
      // Built once, as the gateway's snapshot source keeps the snapshots it fetched.
      snapshots: async () => snapshot,
    }
    : { mode: 'unprotected-baseline' as const };
  const running = await startSubgraphServer(population, { storage: { kind: 'sqlite', dataDir }, security, log: () => {} });
  process.on('message', (m) => {
    if (m === 'cpu') process.send!(process.cpuUsage());
  });
  process.on('disconnect', () => void running.close().then(() => process.exit(0)));
  process.on('SIGTERM', () => process.exit(0));
  process.send!({ url: running.url });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '6' }, fetches: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '10' }, 'data-dir': { type: 'string' }, 'cpu-prof': { type: 'string' } } });
  const dataDir = resolve(values['data-dir'] ?? join(ROOT, 'data', 'bench'));
  const rounds = Number(values.rounds);
  const fetches = Number(values.fetches);
  const concurrency = Number(values.concurrency);
  const world = loadWorld(dataDir);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const macKey = deriveSubgraphMacKey(privateKey, population.name);
  const env = { ...process.env, BENCH_PUBLIC_KEY: publicKey.export({ format: 'pem', type: 'spki' }).toString(), BENCH_MAC_KEY: macKey.toString('base64') };
  const start = (mode: string) => new Promise<{ child: ChildProcess; url: string }>((ok) => {
    const hook = fileURLToPath(new URL('./cpuProfileHook.mjs', import.meta.url));
    const profile = values['cpu-prof'] ? ['--import', hook] : [];
    const profileEnv = values['cpu-prof'] ? { GOVGRAPH_CPU_PROFILE_DIR: resolve(values['cpu-prof']), GOVGRAPH_CPU_PROFILE_INTERVAL_US: '500' } : {};
    const child = fork(fileURLToPath(import.meta.url), ['--serve', mode, dataDir], { execArgv: [...profile, '--import', 'tsx'], env: { ...env, ...profileEnv } });
    child.once('message', (m) => ok({ child, url: (m as { url: string }).url }));
  });
  const servers = { enforced: await start('enforced'), unprotected: await start('unprotected') };
  const key = createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }));
  // As the gateway does, a context is signed once and reused for a few seconds.
  let token = '';
  let signedAt = 0;
  const tokenNow = async () => {
    if (Date.now() - signedAt > 5_000) {
      token = await signSharingContext(key, population.name, { consumer: population.department, app: 'bench', purpose: 'ADMINISTRATIVE_BASIS', caseId: null, requestId: 'bench', policyVersion: 1, snapshotUrl: 'http://127.0.0.1:1/unused' });
      signedAt = Date.now();
    }
    return token;
  };
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const post = (url: string, headers: Record<string, string>, body: string) => new Promise<string>((ok, fail) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? ok(Buffer.concat(chunks).toString()) : fail(new Error(`${res.statusCode} ${Buffer.concat(chunks).toString()}`))));
    });
    req.on('error', fail);
    req.end(body);
  });
  const cpuOf = (child: ChildProcess) => new Promise<NodeJS.CpuUsage>((ok) => {
    child.once('message', (m) => ok(m as NodeJS.CpuUsage));
    child.send('cpu');
  });
  let i = 0;
  const round = async (mode: keyof typeof servers): Promise<number> => {
    const { child, url } = servers[mode];
    let next = 0;
    const worker = async () => {
      while (next++ < fetches) {
        const idNumber = world.person(i++ % world.size.persons).idNumber;
        const body = JSON.stringify({ query: QUERY, variables: { representations: [{ __typename: 'Person', idNumber }] } });
        const headers: Record<string, string> = {};
        if (mode === 'enforced') {
          const t = await tokenNow();
          headers[SHARING_CONTEXT_HEADER] = t;
          headers[SHARING_CONTEXT_MAC_HEADER] = contextMac(macKey, t, body);
        }
        const answer = await post(url, headers, body);
        if (!answer.includes('"name"') || answer.includes('"errors"')) throw new Error(`unexpected answer: ${answer.slice(0, 300)}`);
      }
    };
    const before = await cpuOf(child);
    await Promise.all(Array.from({ length: concurrency }, worker));
    const after = await cpuOf(child);
    return (after.user - before.user + after.system - before.system) / fetches;
  };
  const modes = Object.keys(servers) as (keyof typeof servers)[];
  for (const mode of modes) await round(mode); // warm-up
  const results = new Map<string, number[]>(modes.map((m) => [m, []]));
  for (let r = 0; r < rounds; r++) {
    for (const mode of r % 2 === 0 ? modes : [...modes].reverse()) results.get(mode)!.push(await round(mode));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`population subgraph, CPU per fetch server side (_entities of one Person; ${rounds} rounds × ${fetches} fetches, ${concurrency} at a time):`);
  for (const [mode, xs] of results) console.log(`  ${mode.padEnd(12)} median ${median(xs).toFixed(0)} µs  (rounds ${xs.map((x) => x.toFixed(0)).join(', ')})`);
  agent.destroy();
  await Promise.all(Object.values(servers).map(({ child }) => new Promise((done) => {
    child.once('exit', done);
    child.disconnect();
  })));
  process.exit(0);
}

if (process.argv[2] === '--serve') await serve(process.argv[3] as 'enforced' | 'unprotected', process.argv[4]!);
else await main();
