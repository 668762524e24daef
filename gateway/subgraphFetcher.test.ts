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
