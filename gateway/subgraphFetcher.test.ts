import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubgraphFetchError, timeoutFetcher } from './subgraphFetcher.ts';

describe('the gateway\'s subgraph fetcher', () => {
  let silent: Server;
  let silentUrl: string;
  const fetcher = timeoutFetcher(300);
  beforeAll(async () => {
    // A subgraph that accepts the request and never answers.
    silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    fetcher.destroy();
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
  });

  it('gives up on a subgraph that does not answer, and says so', async () => {
    const error = await fetcher(silentUrl, { method: 'POST', body: '{}' }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(SubgraphFetchError);
    expect(error).toMatchObject({ kind: 'timeout', timeoutMs: 300, message: `subgraph at ${silentUrl} did not answer within 300 ms` });
  });

  it('tells a subgraph that cannot be reached from a slow one', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/graphql`;
    await new Promise((r) => closed.close(r));
    const error = await fetcher(url, { method: 'POST', body: '{}' }).then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unreachable', message: expect.stringMatching(/could not be reached: .*ECONNREFUSED/) });
  });

  it('returns the answer of a subgraph that answers in time (positive control)', async () => {
    const quick = createServer((_req, res) => res.end('{"data":{"ok":true}}'));
    await new Promise<void>((r) => quick.listen(0, '127.0.0.1', r));
    try {
      const res = await fetcher(`http://127.0.0.1:${(quick.address() as AddressInfo).port}/graphql`, { method: 'POST', body: '{}' });
      expect(await res.json()).toEqual({ data: { ok: true } });
    } finally {
      quick.closeAllConnections();
      await new Promise((r) => quick.close(r));
    }
  });
});

describe('a subgraph that does not answer, as the consumer sees it', () => {
  it('names the department\'s subgraph and the timeout, not its address', async () => {
    const { SignedDataSource } = await import('./signedDataSource.ts');
    const { GraphQLError } = await import('graphql');
    const source = new SignedDataSource('population', 'http://10.1.2.3:4101/graphql', timeoutFetcher(300), undefined as never, '', () => undefined);
    let thrown: unknown;
    try {
      source.didEncounterError(new SubgraphFetchError('timeout', 'http://10.1.2.3:4101/graphql', 300));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GraphQLError);
    expect((thrown as InstanceType<typeof GraphQLError>).message).toBe('the population subgraph did not answer within 300 ms; its fields cannot be read now');
    expect((thrown as InstanceType<typeof GraphQLError>).extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'population' });
    expect(JSON.stringify(thrown)).not.toContain('10.1.2.3');
  });
});

describe('the circuit breaker per subgraph (issue 15)', () => {
  it('after repeated timeouts fails fast without waiting, probes after openMs, and closes once the subgraph answers again', async () => {
    let hanging = true;
    const server = createServer((_req, res) => {
      if (!hanging) res.end('{"data":{"ok":true}}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const states: string[] = [];
    const fetcher = timeoutFetcher(200, { failureThreshold: 3, openMs: 400, log: (m) => states.push(m.replace(url, 'URL')) });
    const timed = async () => {
      const started = performance.now();
      const outcome = await fetcher(url, { method: 'POST', body: '{}' }).then(async (r) => (await r.json()) as unknown, (e: unknown) => e);
      return { outcome, ms: performance.now() - started };
    };
    try {
      for (let i = 0; i < 3; i++) expect((await timed()).outcome).toMatchObject({ kind: 'timeout' });
      // Open: the next fetch fails at once instead of after 200 ms.
      const fast = await timed();
      expect(fast.outcome).toMatchObject({ kind: 'circuit_open' });
      expect(fast.ms).toBeLessThan(50);
      expect((fast.outcome as SubgraphFetchError).retryInMs).toBeGreaterThan(0);
      expect(fetcher.circuits().get(url)).toBe('open');
      // The subgraph recovers; after openMs one probe goes through and closes the circuit.
      hanging = false;
      await new Promise((r) => setTimeout(r, 450));
      expect((await timed()).outcome).toEqual({ data: { ok: true } });
      expect(fetcher.circuits().get(url)).toBe('closed');
      expect((await timed()).outcome).toEqual({ data: { ok: true } });
      expect(states).toEqual(['subgraph at URL: circuit open', 'subgraph at URL: circuit half-open', 'subgraph at URL: circuit closed']);
    } finally {
      fetcher.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('keeps one subgraph\'s open circuit from failing another (positive control)', async () => {
    const quick = createServer((_req, res) => res.end('{"data":{"ok":true}}'));
    await new Promise<void>((r) => quick.listen(0, '127.0.0.1', r));
    const fetcher = timeoutFetcher(200, { failureThreshold: 1, openMs: 10_000 });
    try {
      const closed = createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
      const gone = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/graphql`;
      await new Promise((r) => closed.close(r));
      expect(await fetcher(gone, { method: 'POST', body: '{}' }).catch((e: unknown) => e)).toMatchObject({ kind: 'unreachable' });
      expect(await fetcher(gone, { method: 'POST', body: '{}' }).catch((e: unknown) => e)).toMatchObject({ kind: 'circuit_open' });
      const res = await fetcher(`http://127.0.0.1:${(quick.address() as AddressInfo).port}/graphql`, { method: 'POST', body: '{}' });
      expect(await res.json()).toEqual({ data: { ok: true } });
    } finally {
      fetcher.destroy();
      quick.closeAllConnections();
      await new Promise((r) => quick.close(r));
    }
  });

  it('tells the consumer the department\'s subgraph is unavailable, not its address', async () => {
    const { SignedDataSource } = await import('./signedDataSource.ts');
    const { CircuitOpenError } = await import('../lib/circuitBreaker.ts');
    const source = new SignedDataSource('credit', 'http://10.1.2.3:4103/graphql', timeoutFetcher(300), undefined as never, '', () => undefined);
    const thrown = (() => {
      try {
        source.didEncounterError(new SubgraphFetchError('circuit_open', 'http://10.1.2.3:4103/graphql', 300, new CircuitOpenError(5, 4200)));
      } catch (error) {
        return error as Error & { extensions: unknown };
      }
      return null;
    })();
    expect(thrown?.message).toBe('the credit subgraph is unavailable (its recent fetches failed; it is tried again in 5 s); its fields cannot be read now');
    expect(thrown?.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'credit' });
    expect(JSON.stringify(thrown)).not.toContain('10.1.2.3');
  });
});
