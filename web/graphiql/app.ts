// Browser entry of the locally bundled GraphiQL (bundled by ./build.ts with esbuild).
//
// Nothing here may load anything from the internet: government networks have none. The
// page (see ./serve.ts) gives the configuration in a non-executed JSON block
//   <script type="application/json" id="govgraph-config">{ endpoint, defaultHeaders, defaultQuery }</script>
// so the page works under `script-src 'self'` without inline scripts. For embedding pages that
// prefer it, a `window.__GOVGRAPH__ = { ... }` object set before this script runs is also honoured.
//
// Written with React.createElement (no JSX) so the repo's tsconfig needs no "jsx" option.

import 'graphiql/graphiql.css';
import './page.css';

import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import { HEADER_STORAGE_OPTIONS, headerFreeStorage } from './headerFreeStorage.ts';
import { endpointStorage } from './endpointStorage.ts';

export interface GovgraphPageConfig {
  /** Same-origin GraphQL endpoint path, e.g. "/graphql". */
  endpoint: string;
  /** Pre-filled content of the headers editor (a JSON object as a string). */
  defaultHeaders?: string;
  /** Query shown in a fresh tab. */
  defaultQuery?: string;
  /** Variables of the default query (a JSON object as a string), so it runs as shown. */
  defaultVariables?: string;
}

declare global {
  interface Window {
    __GOVGRAPH__?: Partial<GovgraphPageConfig>;
  }
}

function readConfig(): GovgraphPageConfig {
  let fromBlock: Partial<GovgraphPageConfig> = {};
  const block = document.getElementById('govgraph-config');
  if (block?.textContent) {
    try {
      fromBlock = JSON.parse(block.textContent) as Partial<GovgraphPageConfig>;
    } catch (err) {
      console.error('govgraph: cannot parse #govgraph-config', err);
    }
  }
  const merged = { ...fromBlock, ...(window.__GOVGRAPH__ ?? {}) };
  const config: GovgraphPageConfig = {
    endpoint: typeof merged.endpoint === 'string' && merged.endpoint ? merged.endpoint : '/graphql',
    defaultHeaders: typeof merged.defaultHeaders === 'string' ? merged.defaultHeaders : undefined,
    defaultQuery: typeof merged.defaultQuery === 'string' ? merged.defaultQuery : undefined,
    defaultVariables: typeof merged.defaultVariables === 'string' ? merged.defaultVariables : undefined,
  };
  window.__GOVGRAPH__ = config;
  return config;
}

/** Only same-origin endpoints: an absolute URL to another origin is refused. */
function sameOriginUrl(endpoint: string): string {
  const url = new URL(endpoint, window.location.href);
  if (url.origin !== window.location.origin) {
    throw new Error(`govgraph: endpoint ${endpoint} is not on this origin`);
  }
  return url.pathname + url.search;
}

type Fetcher = GraphiQLProps['fetcher'];

function createFetcher(endpoint: string): Fetcher {
  const url = sameOriginUrl(endpoint);
  return async (params, opts) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts?.headers ?? {})) {
      if (v !== undefined && v !== null) headers[k] = String(v);
    }
    headers['Content-Type'] = 'application/json';
    headers['Accept'] = 'application/graphql-response+json, application/json';
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(params),
      credentials: 'same-origin',
    });
    const text = await res.text();
    try {
      return JSON.parse(text) as Awaited<ReturnType<Fetcher>>;
    } catch {
      // 400/401 etc. may come back as plain text: show it as a GraphQL error instead of
      // GraphiQL's opaque "Unexpected token" message.
      return {
        errors: [{ message: `HTTP ${res.status} ${res.statusText}: ${text.slice(0, 2000)}` }],
      } as unknown as Awaited<ReturnType<Fetcher>>;
    }
  };
}

function main(): void {
  const config = readConfig();
  document.title = 'govgraph';
  const container = document.getElementById('graphiql') ?? document.body.appendChild(document.createElement('div'));
  container.id = 'graphiql';

  const props: GraphiQLProps = {
    fetcher: createFetcher(config.endpoint),
    defaultHeaders: config.defaultHeaders,
    defaultQuery: config.defaultQuery,
    ...(config.defaultVariables ? { variables: config.defaultVariables } : {}),
    isHeadersEditorEnabled: true,
    // R10: the headers hold the app token; nothing of them is written to localStorage.
    ...HEADER_STORAGE_OPTIONS,
    // Each endpoint keeps its own tabs (the admin page is not the data page).
    storage: headerFreeStorage(endpointStorage(window.localStorage, config.endpoint)) as Storage,
    defaultEditorToolsVisibility: 'headers',
  };
  createRoot(container).render(
    createElement(GraphiQL, props, createElement(GraphiQL.Logo, null, 'govgraph')),
  );
}

main();
