/**
 * Encrypted links between the platform's processes (issue 16), configured by certificate files
 * (PEM). Two sides:
 *
 * - a subgraph's server (read by subgraphs/runtime/config.ts): `GOVGRAPH_TLS_CERT_FILE` and
 *   `GOVGRAPH_TLS_KEY_FILE` make it serve https only; `GOVGRAPH_TLS_CLIENT_CA_FILE` makes it
 *   require a client certificate issued by that CA (mutual TLS): a client without one, or with
 *   one of another CA, is refused at the handshake, before any HTTP is read.
 * - the gateway as the subgraphs' client (read by platform/config.ts):
 *   `GOVGRAPH_SUBGRAPH_TLS_CA_FILE` (the CA its subgraphs' certificates are issued by, instead
 *   of the system's), `GOVGRAPH_SUBGRAPH_TLS_CLIENT_CERT_FILE` and
 *   `GOVGRAPH_SUBGRAPH_TLS_CLIENT_KEY_FILE` (the certificate it presents for mutual TLS).
 *
 * PostgreSQL's link is configured in DATABASE_URL (`sslmode`, `sslrootcert`, `sslcert`,
 * `sslkey`), which pg and pg_dump/pg_restore read alike: docs/operations.md.
 *
 * The files are read when the process starts: a missing or unreadable file is a start-up error
 * naming the variable, never a plain-text fallback.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';

export interface ServerTlsSettings {
  readonly certFile: string;
  readonly keyFile: string;
  /** Required client certificates' CA; absent: any client may connect (server-side TLS only). */
  readonly clientCaFile?: string;
}

export interface SubgraphClientTlsSettings {
  /** The CA the subgraphs' certificates are issued by; absent: the system's CAs. */
  readonly caFile?: string;
  readonly clientCertFile?: string;
  readonly clientKeyFile?: string;
}

/** PEM material for node:tls, read from the settings' files. */
export interface TlsMaterial {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

function nonEmpty(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** `GOVGRAPH_TLS_*`: how a subgraph's server serves; null: plain http. */
export function serverTlsFrom(env: NodeJS.ProcessEnv): ServerTlsSettings | null {
  const certFile = nonEmpty(env, 'GOVGRAPH_TLS_CERT_FILE');
  const keyFile = nonEmpty(env, 'GOVGRAPH_TLS_KEY_FILE');
  const clientCaFile = nonEmpty(env, 'GOVGRAPH_TLS_CLIENT_CA_FILE');
  if (!certFile && !keyFile) {
    if (clientCaFile) throw new Error('GOVGRAPH_TLS_CLIENT_CA_FILE is set: set GOVGRAPH_TLS_CERT_FILE and GOVGRAPH_TLS_KEY_FILE too (client certificates are asked for over TLS only)');
    return null;
  }
  if (!certFile || !keyFile) throw new Error('set both GOVGRAPH_TLS_CERT_FILE and GOVGRAPH_TLS_KEY_FILE (the server\'s certificate and its private key), or neither');
  return { certFile, keyFile, ...(clientCaFile ? { clientCaFile } : {}) };
}

/** `GOVGRAPH_SUBGRAPH_TLS_*`: what the gateway trusts and presents when it calls https subgraphs; null: defaults. */
export function subgraphClientTlsFrom(env: NodeJS.ProcessEnv): SubgraphClientTlsSettings | null {
  const caFile = nonEmpty(env, 'GOVGRAPH_SUBGRAPH_TLS_CA_FILE');
  const clientCertFile = nonEmpty(env, 'GOVGRAPH_SUBGRAPH_TLS_CLIENT_CERT_FILE');
  const clientKeyFile = nonEmpty(env, 'GOVGRAPH_SUBGRAPH_TLS_CLIENT_KEY_FILE');
  if (Boolean(clientCertFile) !== Boolean(clientKeyFile)) {
    throw new Error('set both GOVGRAPH_SUBGRAPH_TLS_CLIENT_CERT_FILE and GOVGRAPH_SUBGRAPH_TLS_CLIENT_KEY_FILE (the gateway\'s client certificate and its key), or neither');
  }
  if (!caFile && !clientCertFile) return null;
  return { ...(caFile ? { caFile } : {}), ...(clientCertFile ? { clientCertFile, clientKeyFile: clientKeyFile! } : {}) };
}

function readPem(file: string, what: string): Buffer {
  let text: Buffer;
  try {
    text = readFileSync(file);
  } catch (error) {
    throw new Error(`${what} ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!text.includes('-----BEGIN ')) throw new Error(`${what} ${file} is not a PEM file (no -----BEGIN line)`);
  return text;
}

/** The options of https.createServer for these settings (files read now). */
export function serverTlsOptions(settings: ServerTlsSettings): https.ServerOptions {
  return {
    cert: readPem(settings.certFile, 'GOVGRAPH_TLS_CERT_FILE'),
    key: readPem(settings.keyFile, 'GOVGRAPH_TLS_KEY_FILE'),
    minVersion: 'TLSv1.2',
    ...(settings.clientCaFile
      ? { ca: readPem(settings.clientCaFile, 'GOVGRAPH_TLS_CLIENT_CA_FILE'), requestCert: true, rejectUnauthorized: true }
      : {}),
  };
}

/** The client side's material (files read now); empty for null settings. */
export function subgraphClientTlsMaterial(settings: SubgraphClientTlsSettings | null | undefined): TlsMaterial {
  if (!settings) return {};
  return {
    ...(settings.caFile ? { ca: readPem(settings.caFile, 'GOVGRAPH_SUBGRAPH_TLS_CA_FILE') } : {}),
    ...(settings.clientCertFile
      ? { cert: readPem(settings.clientCertFile, 'GOVGRAPH_SUBGRAPH_TLS_CLIENT_CERT_FILE'), key: readPem(settings.clientKeyFile!, 'GOVGRAPH_SUBGRAPH_TLS_CLIENT_KEY_FILE') }
      : {}),
  };
}

/** An answer of `SubgraphHttp`: the part of fetch's Response the control plane reads. */
export interface SubgraphHttpAnswer {
  readonly ok: boolean;
  readonly status: number;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export interface SubgraphHttpInit {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

/**
 * How the control plane calls a subgraph outside the data path (health probes, `/freshness`,
 * reading a schema at registration): over the same TLS settings as the gateway's fetcher.
 */
export type SubgraphHttp = (url: string, init?: SubgraphHttpInit) => Promise<SubgraphHttpAnswer>;

/** A SubgraphHttp over node:http/https with this material (no keep-alive: these calls are rare). */
export function subgraphHttp(material: TlsMaterial = {}): SubgraphHttp {
  return (url, init = {}) => new Promise((resolve, reject) => {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      reject(new TypeError(`a subgraph address must be http: or https:, not ${target.protocol}`));
      return;
    }
    const headers: Record<string, string | number> = { ...init.headers };
    if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
    const options = { method: init.method ?? 'GET', headers, timeout: init.timeoutMs ?? 5000 };
    const req = target.protocol === 'https:' ? https.request(target, { ...options, ...material }) : http.request(target, options);
    req.once('timeout', () => req.destroy(new Error(`no answer within ${init.timeoutMs ?? 5000} ms`)));
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', reject);
      res.once('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        resolve({ ok: status >= 200 && status < 300, status, text: async () => body, json: async () => JSON.parse(body) as unknown });
      });
    });
    req.end(init.body);
  });
}
