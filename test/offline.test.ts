/**
 * govgraph runs on government networks with no internet access: the platform opens no
 * connection beyond loopback. Plain @apollo/gateway, left to itself, probes cloud metadata
 * servers (169.254.169.254, metadata.google.internal) and exports usage telemetry to
 * Apollo's servers; Apollo Server reports usage when APOLLO_KEY is set.
 */
import net from 'node:net';
import dns from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const LOOPBACK = /^(127\.|::1$|localhost$|::ffff:127\.)/;

describe('no connection leaves the machine', () => {
  const attempts: string[] = [];
  const originalConnect = net.Socket.prototype.connect;
  const originalLookup = dns.lookup;
  let platform: TestPlatform | undefined;
  const saved = { APOLLO_KEY: process.env.APOLLO_KEY, APOLLO_GRAPH_REF: process.env.APOLLO_GRAPH_REF };

  beforeAll(async () => {
    // Even with Apollo's cloud credentials in the environment, nothing is reported.
    process.env.APOLLO_KEY = 'service:govgraph-test:not-a-real-key';
    process.env.APOLLO_GRAPH_REF = 'govgraph@test';
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      const first = args[0] as { host?: string; path?: string } | number | string;
      const host = typeof first === 'object' && first !== null ? (first.path ? 'unix' : (first.host ?? 'localhost')) : typeof first === 'number' ? String(args[1] ?? 'localhost') : 'unix';
      if (host !== 'unix' && !LOOPBACK.test(host)) attempts.push(`connect ${host}`);
      return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof net.Socket.prototype.connect;
    (dns as { lookup: unknown }).lookup = function (hostname: string, ...rest: unknown[]) {
      if (!LOOPBACK.test(hostname)) attempts.push(`lookup ${hostname}`);
      return (originalLookup as (...a: unknown[]) => void).call(dns, hostname, ...rest);
    };
    platform = await startTestPlatform('sqlite');
  });

  afterAll(async () => {
    net.Socket.prototype.connect = originalConnect;
    (dns as { lookup: unknown }).lookup = originalLookup;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await platform?.stop();
  });

  it('starts and answers with no connection or name lookup beyond loopback', async () => {
    const person = platform!.credentials.samples.persons[0];
    const { status, body } = await platform!.query(`{ person(idNumber: "${person}") { name } }`);
    expect(status).toBe(200);
    expect(body.data.person.name).toEqual(expect.any(String));
    // The cloud metadata probes run in the background after the gateway starts.
    await new Promise((r) => setTimeout(r, 1500));
    expect(attempts).toEqual([]);
  });
});
