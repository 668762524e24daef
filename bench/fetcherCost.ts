/**
 * `npm run bench:fetcher`: the gateway's CPU per subgraph fetch, client side only, for the
 * fetcher it uses (gateway/subgraphFetcher.ts) against node-fetch as the gateway used it
 * before issue 18 (keep-alive agent, an AbortSignal.timeout per fetch). A subgraph stand-in
 * answers in a child process (its CPU is not counted); both fetchers take turns in rounds
 * of `--fetches` POSTs, `--concurrency` at a time, and this process's CPU time
 * (process.cpuUsage) is divided by the fetches. The median of the rounds is printed, with
 * the spread: CPU time per fetch is far steadier than wall time on a busy machine.
 *
 *   npm run bench:fetcher -- [--rounds 6] [--fetches 3000] [--concurrency 10]
 */
import { fork } from 'node:child_process';
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import nodeFetch from 'node-fetch';
import type { Fetcher } from '@apollo/utils.fetcher';
import { timeoutFetcher } from '../gateway/subgraphFetcher.ts';

/** A subgraph-sized answer (a legal entity with three licences). */
const ANSWER = JSON.stringify({ data: { _entities: [{ __typename: 'LegalEntity', licences: [1, 2, 3].map((i) => ({ licenceNo: `L-2026-00000${i}`, status: 'VALID' })) }] } });
const REQUEST = JSON.stringify({ query: 'query($representations:[_Any!]!){_entities(representations:$representations){...on LegalEntity{licences{licenceNo status}}}}', variables: { representations: [{ __typename: 'LegalEntity', creditCode: '91110000MA00000001' }] } });

if (process.argv[2] === '--serve') {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(ANSWER) });
      res.end(ANSWER);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => process.send!((server.address() as AddressInfo).port));
  process.on('disconnect', () => process.exit(0));
} else {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '6' }, fetches: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '10' } } });
  const rounds = Number(values.rounds);
  const fetches = Number(values.fetches);
  const concurrency = Number(values.concurrency);
  const child = fork(new URL(import.meta.url).pathname, ['--serve'], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(m as number)));
  const url = `http://127.0.0.1:${port}/graphql`;
  const init = { method: 'POST', body: REQUEST, headers: { 'Content-Type': 'application/json', 'x-govgraph-sharing-context': 'x'.repeat(400) } };

  // node-fetch as gateway/subgraphFetcher.ts used it until issue 18.
  const agent = new Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 });
  const before: Fetcher = (u, i) => nodeFetch(u, { ...i, agent, signal: AbortSignal.timeout(30_000) as never }) as never;
  const now = timeoutFetcher(30_000);
  const fetchers: Record<string, Fetcher> = { 'node-fetch (before)': before, 'http.request (now)': now };

  const round = async (fetcher: Fetcher): Promise<number> => {
    let next = 0;
    const worker = async () => {
      while (next++ < fetches) {
        const res = await fetcher(url, init);
        const body = (await res.json()) as { data?: unknown };
        if (!body.data) throw new Error('no data in the answer');
      }
    };
    const cpu = process.cpuUsage();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / fetches;
  };
  const results = new Map<string, number[]>(Object.keys(fetchers).map((k) => [k, []]));
  for (const [name, fetcher] of Object.entries(fetchers)) await round(fetcher); // warm-up
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? Object.keys(fetchers) : Object.keys(fetchers).reverse();
    for (const name of order) results.get(name)!.push(await round(fetchers[name]!));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`CPU per subgraph fetch, client side (${rounds} rounds × ${fetches} fetches, ${concurrency} at a time):`);
  for (const [name, xs] of results) console.log(`  ${name.padEnd(22)} median ${median(xs).toFixed(0)} µs  (rounds ${xs.map((x) => x.toFixed(0)).join(', ')})`);
  agent.destroy();
  now.destroy();
  child.disconnect();
  process.exit(0);
}
