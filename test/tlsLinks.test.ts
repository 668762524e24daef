/**
 * Issue 16, encrypted links: the department subgraphs serve https with certificates made here by
 * the `openssl` CLI, and require the gateway's client certificate (mutual TLS).
 *
 * - the gateway reads through the https subgraphs, presenting its certificate of the platform's CA;
 * - a client certificate of another CA, or none, is refused at the handshake; plain http to the
 *   TLS-only port gets no answer; the platform CA's certificate is let in (the positive control);
 * - half a configuration (a certificate without its key) is a start-up error, not plain http;
 * - PostgreSQL: a DATABASE_URL that asks for TLS (`sslmode=verify-full`) is refused by a server
 *   without it, rather than falling back to plain text (this CI server has ssl off; a server
 *   with ssl on is documented in docs/operations.md).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.ts';
import { startPlatform, type RunningPlatform } from '../platform/startPlatform.ts';
import { loadSubgraphConfig } from '../subgraphs/runtime/config.ts';
import { createTestStorage, type TestStorage } from '../storage/testing.ts';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A CA, and certificates it issues: made by the openssl CLI in `dir`. */
function makeCa(dir: string, name: string): { cert: string; key: string; issue(subject: string, extensions: string): { cert: string; key: string } } {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const key = join(dir, `${name}-ca.key`);
  const cert = join(dir, `${name}-ca.crt`);
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${name} test CA`);
  return {
    cert,
    key,
    issue(subject, extensions) {
      const base = join(dir, `${name}-${subject}`);
      const ext = `${base}.ext`;
      writeFileSync(ext, `${extensions}\n`);
      openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${subject}`);
      openssl('x509', '-req', '-in', `${base}.csr`, '-CA', cert, '-CAkey', key, '-CAcreateserial', '-out', `${base}.crt`, '-days', '2', '-extfile', ext);
      return { cert: `${base}.crt`, key: `${base}.key` };
    },
  };
}

/** GET over https with this client material; resolves to the status, or rejects with the TLS error. */
function httpsGet(url: string, options: https.RequestOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ...options, agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', reject);
  });
}

const PERSON_QUERY = 'query($id: ID!) { person(idNumber: $id) { name householdAddress } }';

describe.skipIf(!hasOpenssl())('mutual TLS between the gateway and the subgraphs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'govgraph-tls-'));
  let storage: TestStorage;
  let platform: RunningPlatform;
  let platformCa: ReturnType<typeof makeCa>;
  let gatewayClient: { cert: string; key: string };
  let foreignClient: { cert: string; key: string };
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    platformCa = makeCa(dir, 'platform');
    const foreignCa = makeCa(dir, 'foreign');
    const server = platformCa.issue('subgraph', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth');
    gatewayClient = platformCa.issue('gateway', 'extendedKeyUsage=clientAuth');
    foreignClient = foreignCa.issue('intruder', 'extendedKeyUsage=clientAuth');
    // The subgraph processes read their TLS files from their environment, as `govgraph subgraph` does.
    const subgraphEnv = { GOVGRAPH_TLS_CERT_FILE: server.cert, GOVGRAPH_TLS_KEY_FILE: server.key, GOVGRAPH_TLS_CLIENT_CA_FILE: platformCa.cert };
    for (const [name, value] of Object.entries(subgraphEnv)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    storage = createTestStorage('sqlite');
    const config = {
      ...loadConfig({
        DATA_DIR: storage.dataDir, PORT: '0', GOVGRAPH_SUBGRAPHS: 'process',
        GOVGRAPH_SUBGRAPH_TLS_CA_FILE: platformCa.cert, GOVGRAPH_SUBGRAPH_TLS_CLIENT_CERT_FILE: gatewayClient.cert, GOVGRAPH_SUBGRAPH_TLS_CLIENT_KEY_FILE: gatewayClient.key,
      }),
      storage: storage.config,
    };
    platform = await startPlatform(config, { log: () => {} });
  }, 400_000);

  afterAll(async () => {
    await platform?.close();
    await storage?.cleanup();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const population = () => platform.subgraphs.find((s) => s.name === 'population')!.url;

  it('the subgraphs serve https, and the gateway reads through them with its client certificate', async () => {
    for (const subgraph of platform.subgraphs) expect(subgraph.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const token = platform.credentials.departments.find((d) => d.code === 'mca')!.apps[0]!.token;
    const res = await fetch(platform.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'ADMINISTRATIVE_BASIS' },
      body: JSON.stringify({ query: PERSON_QUERY, variables: { id: platform.credentials.samples.persons[0] } }),
    });
    const body = await res.json() as any;
    expect(res.status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.person.householdAddress).toBeTruthy();
    // The health probes go over the same mutual TLS: the gateway is ready.
    const ready = await fetch(new URL('/readyz', platform.gateway.url));
    expect(ready.status, await ready.text()).toBe(200);
  });

  it('the platform CA\'s client certificate is let in; one of another CA, or none, is refused at the handshake', async () => {
    const healthz = population().replace(/\/graphql$/, '/healthz');
    const ca = readFileSync(platformCa.cert);
    // Positive control: the gateway's certificate.
    expect(await httpsGet(healthz, { ca, cert: readFileSync(gatewayClient.cert), key: readFileSync(gatewayClient.key) })).toBe(200);
    // Another CA's certificate: refused before any HTTP is read.
    await expect(httpsGet(healthz, { ca, cert: readFileSync(foreignClient.cert), key: readFileSync(foreignClient.key) })).rejects.toThrow(/alert|certificate|socket hang up|ECONNRESET/i);
    // No certificate at all.
    await expect(httpsGet(healthz, { ca })).rejects.toThrow(/alert|certificate|socket hang up|ECONNRESET/i);
    // A client that does not trust the platform's CA refuses the subgraph in turn.
    await expect(httpsGet(healthz, { cert: readFileSync(gatewayClient.cert), key: readFileSync(gatewayClient.key) })).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });

  it('plain http to the TLS-only subgraph gets no answer', async () => {
    const plain = population().replace(/^https:/, 'http:').replace(/\/graphql$/, '/healthz');
    const outcome = await new Promise<string>((resolve) => {
      const req = http.get(plain, { agent: false, timeout: 5000 }, (res) => {
        res.resume();
        resolve(`answered ${res.statusCode}`);
      });
      req.once('timeout', () => req.destroy(new Error('timeout')));
      req.once('error', (error) => resolve(`refused: ${error.message}`));
    });
    expect(outcome).toMatch(/^refused/);
  });
});

describe('TLS settings are whole or absent', () => {
  it('a certificate without its key, or a client CA without a certificate, is a start-up error', () => {
    expect(() => loadSubgraphConfig({ GOVGRAPH_TLS_CERT_FILE: '/etc/x.crt' })).toThrow(/GOVGRAPH_TLS_KEY_FILE/);
    expect(() => loadSubgraphConfig({ GOVGRAPH_TLS_CLIENT_CA_FILE: '/etc/ca.crt' })).toThrow(/GOVGRAPH_TLS_CERT_FILE/);
    expect(() => loadConfig({ GOVGRAPH_SUBGRAPH_TLS_CLIENT_CERT_FILE: '/etc/g.crt' })).toThrow(/GOVGRAPH_SUBGRAPH_TLS_CLIENT_KEY_FILE/);
    // Positive control: nothing set is plain http, and a whole set is taken as given.
    expect(loadSubgraphConfig({}).tls).toBeNull();
    expect(loadSubgraphConfig({ GOVGRAPH_TLS_CERT_FILE: '/a.crt', GOVGRAPH_TLS_KEY_FILE: '/a.key' }).tls).toEqual({ certFile: '/a.crt', keyFile: '/a.key' });
    expect(loadConfig({ GOVGRAPH_SUBGRAPH_TLS_CA_FILE: '/ca.crt' }).subgraphTls).toEqual({ caFile: '/ca.crt' });
  });
});

const databaseUrl = process.env.DATABASE_URL;

describe.skipIf(!databaseUrl)('TLS to PostgreSQL, through DATABASE_URL', () => {
  it('sslmode=verify-full is refused by a server without TLS, never sent in plain text; sslmode=disable connects', async () => {
    const probe = new pg.Client({ connectionString: databaseUrl });
    await probe.connect();
    const ssl = (await probe.query<{ ssl: string }>('SHOW ssl')).rows[0]!.ssl;
    await probe.end();
    const withMode = (mode: string) => {
      const url = new URL(databaseUrl!);
      url.searchParams.set('sslmode', mode);
      return url.toString();
    };
    // Positive control: the same server without TLS.
    const plain = new pg.Client({ connectionString: withMode('disable') });
    await plain.connect();
    expect((await plain.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    await plain.end();
    const secure = new pg.Client({ connectionString: withMode('verify-full') });
    secure.on('error', () => {});
    if (ssl === 'off') {
      await expect(secure.connect()).rejects.toThrow(/does not support SSL/);
    } else {
      // A server with TLS on and a certificate the system trusts: it connects (docs/operations.md: sslrootcert names a private CA).
      await secure.connect();
      await secure.end();
    }
  });
});
