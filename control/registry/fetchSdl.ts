/**
 * Reads a running subgraph's SDL from its `_service` field, as composition tools do. The
 * request carries a registry context signed by this gateway for that one subgraph
 * (`signRegistryContext`, scope `sdl`), since a govgraph subgraph answers nothing else: it
 * reads `_service { sdl }` and no data, so a subgraph that keeps it gains nothing (R10).
 */
import { SHARING_CONTEXT_HEADER } from '../../lib/sharingContext.ts';
import { subgraphHttp, type SubgraphHttp, type SubgraphHttpAnswer } from '../../lib/tlsLinks.ts';

/** `http`: the gateway's way of calling subgraphs (its TLS settings: lib/tlsLinks.ts). */
export async function fetchSubgraphSdl(url: string, registryContext: string, timeoutMs = 5000, http: SubgraphHttp = subgraphHttp()): Promise<string> {
  let res: SubgraphHttpAnswer;
  try {
    res = await http(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SHARING_CONTEXT_HEADER]: registryContext },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
      timeoutMs,
    });
  } catch (error) {
    throw new Error(`could not reach ${url} to read its schema: ${(error as Error).message}; send the SDL instead`);
  }
  const body = (await res.json().catch(() => null)) as { data?: { _service?: { sdl?: string } }; errors?: { message: string }[] } | null;
  const sdl = body?.data?._service?.sdl;
  if (!res.ok || !sdl) throw new Error(`${url} did not give its schema (HTTP ${res.status}${body?.errors ? `: ${body.errors.map((e) => e.message).join('; ')}` : ''}); send the SDL instead`);
  return sdl;
}
