import { describe, it, expect, beforeAll } from 'vitest';
import { buildGraphiQL, checkNoRemoteResources } from './build.ts';
import { createGraphiQLHandler, GRAPHIQL_CSP } from './serve.ts';

describe('bundled GraphiQL', () => {
  beforeAll(async () => {
    await buildGraphiQL();
  }, 120_000);

  it('html() references only local assets', () => {
    const html = createGraphiQLHandler({ endpoint: '/graphql' }).html();
    const refs = [...html.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/gi)].map((m) => m[1] ?? '');
    expect(refs.length).toBeGreaterThanOrEqual(2);
    for (const ref of refs) {
      expect(ref).not.toMatch(/^(?:[a-z][a-z0-9+.-]*:)?\/\//i); // no http(s):// nor //host
      expect(ref.startsWith('/graphiql/') || ref.startsWith('data:')).toBe(true);
    }
    expect(html).toContain('/graphiql/graphiql.js');
    expect(html).toContain('/graphiql/graphiql.css');
    expect(html).not.toMatch(/https?:\/\//);
    // No executable inline script (CSP script-src 'self'): every <script> has a src or is JSON data.
    for (const m of html.matchAll(/<script\b([^>]*)>/gi)) {
      expect(m[1]).toMatch(/\bsrc="|type="application\/json"/);
    }
    expect(html).toContain('<title>govgraph</title>');
  });

  it('gives the default query its variables, so the first run answers (and none when not given)', () => {
    const config = (html: string) => JSON.parse(/id="govgraph-config">(.*?)<\/script>/s.exec(html)![1]!) as Record<string, unknown>;
    const withVariables = config(createGraphiQLHandler({ endpoint: '/graphql', defaultVariables: { creditCode: '91440101MA5CYX1234' } }).html());
    expect(JSON.parse(withVariables.defaultVariables as string)).toEqual({ creditCode: '91440101MA5CYX1234' });
    expect(config(createGraphiQLHandler({ endpoint: '/admin/graphql' }).html())).not.toHaveProperty('defaultVariables');
  });

  it('escapes config values so </script> cannot break out', () => {
    const evil = '</script><script>alert(1)</script><!--';
    const html = createGraphiQLHandler({
      endpoint: '/graphql',
      defaultHeaders: { Authorization: 'Bearer x', 'X-Purpose': evil },
      defaultQuery: `# ${evil}\n{ __typename }`,
    }).html();
    expect(html).not.toContain(evil);
    expect(html.match(/<\/script>/gi)?.length).toBe(2); // the bundle's and the config block's
    const block = /<script type="application\/json" id="govgraph-config">([\s\S]*?)<\/script>/.exec(html);
    expect(block).not.toBeNull();
    const config = JSON.parse(block![1]!) as { endpoint: string; defaultHeaders: string; defaultQuery: string };
    expect(config.endpoint).toBe('/graphql');
    expect(JSON.parse(config.defaultHeaders)).toEqual({ Authorization: 'Bearer x', 'X-Purpose': evil });
    expect(config.defaultQuery).toContain(evil);
  });

  it('honours a custom assetsPath', () => {
    const h = createGraphiQLHandler({ endpoint: '/graphql', assetsPath: '/static/gql' });
    expect(h.html()).toContain('src="/static/gql/graphiql.js?v=');
    expect(h.serveAsset('/static/gql/graphiql.css')?.status).toBe(200);
  });

  it('serves the JS and CSS with the right content types', () => {
    const h = createGraphiQLHandler({ endpoint: '/graphql' });
    const js = h.serveAsset('/graphiql/graphiql.js');
    expect(js).not.toBeNull();
    expect(js!.status).toBe(200);
    expect(js!.contentType).toMatch(/^text\/javascript/);
    expect(js!.body.length).toBeGreaterThan(100_000);
    const css = h.serveAsset('/graphiql/graphiql.css?v=abc');
    expect(css).not.toBeNull();
    expect(css!.contentType).toMatch(/^text\/css/);
    expect(css!.body.toString('utf8')).toContain('.graphiql-container');
    // Bare file names work too.
    expect(h.serveAsset('graphiql.js')?.contentType).toMatch(/^text\/javascript/);
  });

  // The full traversal matrix is ../browserBundle/createBundleAssets.test.ts; these show the handler uses it.
  it('returns null for unknown or traversal paths', () => {
    const h = createGraphiQLHandler({ endpoint: '/graphql' });
    for (const p of ['/graphiql/nope.js', '/graphiql/..%2Fserve.ts', '../app.ts', '/graphiql/.build-x']) {
      expect(h.serveAsset(p), p).toBeNull();
    }
    // As it always has, GraphiQL also answers for a file at the root (the gateway routes only /graphiql/… here).
    expect(h.serveAsset('/graphiql.css')?.status).toBe(200);
  });

  it('the bundle loads nothing remote and the CSP is strict', async () => {
    await expect(checkNoRemoteResources()).resolves.toBeUndefined();
    expect(GRAPHIQL_CSP).toContain("script-src 'self'");
    expect(GRAPHIQL_CSP).toContain("connect-src 'self'");
    expect(GRAPHIQL_CSP).not.toMatch(/unsafe-eval|https?:/);
  });
});
