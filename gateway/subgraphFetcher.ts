/**
 * The fetcher the gateway uses to call subgraphs. Plain @apollo/gateway's default fetcher
 * has no timeout, so one slow department would hold every request that touches it: here each
 * subgraph fetch is aborted after `timeoutMs` and fails with a clear message naming it.
 */
import type { Fetcher } from '@apollo/utils.fetcher';

export function timeoutFetcher(timeoutMs: number): Fetcher {
  const fetcher = async (url: string, init?: RequestInit) => {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') {
        throw new Error(`subgraph at ${url} did not answer within ${timeoutMs} ms`);
      }
      throw new Error(`subgraph at ${url} could not be reached: ${(error as Error).message}`);
    }
  };
  return fetcher as unknown as Fetcher;
}
