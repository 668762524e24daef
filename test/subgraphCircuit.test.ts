/**
 * A hung subgraph (issue 15). Before: every request touching it waited the full subgraph
 * timeout. Now, after a few timeouts in a row, the gateway fails that department's fields at
 * once (SUBGRAPH_UNAVAILABLE, the internal address never shown), tries one probe every few
 * seconds, and answers in full again once the subgraph does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Identity } from '../control/store/platformStore.ts';
import { SUBGRAPH_BREAKER } from '../gateway/subgraphFetcher.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const TIMEOUT_MS = 1_000;
const PERSON = 'query($id: ID!) { person(idNumber: $id) { idNumber name } }';
const TESTER: Identity = { credentialId: 'system:test', kind: 'PLATFORM_ADMIN', department: 'dgo', name: 'circuit test' };

describe('a subgraph that hangs', () => {
  let platform: TestPlatform;
  let front: Server;
  let hanging = true;
  let realUrl: URL;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite', { subgraphTimeoutMs: TIMEOUT_MS });
    const population = platform.registry.current.subgraphs.find((s) => s.name === 'population')!;
    realUrl = new URL(population.url);
    // In front of the real population subgraph: its process is up (/healthz answers) but
    // /graphql hangs (a locked table, say) until `hanging` is false; then it passes through.
    front = createServer((req, res) => {
      if (req.url === '/healthz') return void res.end('{"status":"ok"}');
      if (hanging) return;
      const upstream = request(realUrl, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    const frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}/graphql`;
    const all = platform.registry.current.subgraphs.map(({ name, department, url, sdl }) => ({ name, department, url: name === 'population' ? frontUrl : url, sdl }));
    await platform.registry.publishAll(TESTER, all, 'circuit test: population behind a front that can hang');
  }, 120_000);
  afterAll(async () => {
    front?.closeAllConnections();
    await new Promise((r) => front?.close(r));
    await platform?.stop();
  });

  const timed = async () => {
    const started = performance.now();
    const answer = await platform.query(PERSON, { variables: { id: platform.credentials.samples.persons[0] } });
    return { ...answer, ms: performance.now() - started };
  };

  it('fails fast once the circuit opens, and answers again after the subgraph recovers', async () => {
    // Repeated timeouts: each waits the full subgraph timeout.
    const slow = await Promise.all(Array.from({ length: SUBGRAPH_BREAKER.failureThreshold }, () => timed()));
    for (const s of slow) {
      expect(s.body.errors[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'population' });
      expect(s.ms).toBeGreaterThanOrEqual(TIMEOUT_MS * 0.9);
    }
    // Open: answered at once, with the same code, no internal address.
    const fast = await timed();
    expect(fast.status).toBe(200);
    expect(fast.body.errors[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'population' });
    expect(fast.body.errors[0].message).toMatch(/the population subgraph is unavailable \(its recent fetches failed; it is tried again in \d+ s\)/);
    expect(JSON.stringify(fast.body)).not.toMatch(/127\.0\.0\.1|:\d{4,5}\//);
    expect(fast.ms).toBeLessThan(TIMEOUT_MS / 2);
    // Recovery: the next probe (after openMs) goes through and closes the circuit.
    hanging = false;
    const recovering = performance.now();
    let answered: Awaited<ReturnType<typeof timed>> | null = null;
    while (performance.now() - recovering < SUBGRAPH_BREAKER.openMs + 3_000) {
      const attempt = await timed();
      if (!attempt.body.errors) {
        answered = attempt;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`circuit: ${SUBGRAPH_BREAKER.failureThreshold} timeouts of ~${Math.round(slow[0]!.ms)} ms, then answered in ${Math.round(fast.ms)} ms while open; full answers again ${Math.round(performance.now() - recovering)} ms after the subgraph recovered`);
    expect(answered?.body.data.person.name).toBeTruthy();
    expect((await timed()).body.errors).toBeUndefined();
  }, 30_000);
});
