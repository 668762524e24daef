/**
 * Issue 16, structured logs: the whole log of a realistic run of `npm start` (platform/main.ts,
 * the subgraphs as its child processes, LOG_LEVEL=debug) holds no citizen id number and no
 * token or secret. The run: reads allowed and denied, failed sign-ins (one with an id number
 * typed as the user name), bad tokens, and an unexpected error whose message embeds a citizen
 * id (a value written by hand into a subgraph's table that the schema cannot return).
 *
 * Logs are stderr (JSON lines); stdout is the start-up banner for the person at the terminal,
 * which shows the demo tokens on purpose and is not scanned — only checked to stay out of
 * stderr. Positive control: the same scan finds a planted id in an unredacted line, so a
 * scan that can never fail does not pass for a clean log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorld } from '../demo/worldFile.ts';
import { createTestStorage, type TestStorage } from '../storage/testing.ts';

/** What may never be in a log: every demo citizen's id, the 18-character id pattern, and every token and secret. */
function leaksIn(log: string, ids: ReadonlySet<string>, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const match of log.matchAll(/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g)) found.push(`id-pattern ${match[0]}`);
  for (const match of log.matchAll(/\d{17}[\dXx]/g)) if (ids.has(match[0])) found.push(`citizen id ${match[0]}`);
  for (const secret of secrets) if (log.includes(secret)) found.push(`secret ${secret.slice(0, 6)}…`);
  return found;
}

describe('the logs of a whole run hold no citizen id and no token (issue 16)', () => {
  let storage: TestStorage | undefined;
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await storage?.cleanup();
  });

  it('scans stderr of npm start with its subgraph processes after reads, denials, failed sign-ins, bad tokens and an unexpected error', async () => {
    storage = createTestStorage('sqlite');
    const platform = spawn(process.execPath, ['--import', 'tsx', 'platform/main.ts'], {
      env: { ...process.env, DATA_DIR: storage.dataDir, PORT: '0', GOVGRAPH_SUBGRAPHS: 'process', DATABASE_URL: '', LOG_LEVEL: 'debug' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = platform;
    let banner = '';
    let log = '';
    platform.stdout!.on('data', (c) => (banner += c));
    platform.stderr!.on('data', (c) => (log += c));
    const deadline = Date.now() + 280_000;
    while (!/Ctrl-C stops everything/.test(banner) && Date.now() < deadline && platform.exitCode === null) await new Promise((r) => setTimeout(r, 200));
    expect(banner, log.slice(-3000)).toMatch(/govgraph is running/);
    const credentials = JSON.parse(readFileSync(join(storage.dataDir, 'demo', 'credentials.json'), 'utf8'));
    const { accounts } = JSON.parse(readFileSync(join(storage.dataDir, 'demo', 'accounts.json'), 'utf8')) as { accounts: { username: string; password: string; totpSecret: string }[] };
    const origin = new URL(credentials.gateway).origin;
    const appToken = (code: string): string => credentials.departments.find((d: { code: string }) => d.code === code).apps[0].token;
    const graphql = async (token: string, query: string, variables: Record<string, unknown> = {}, purpose = 'ADMINISTRATIVE_BASIS') => {
      const res = await fetch(credentials.gateway, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': purpose },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: await res.json() as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
    };
    const personQuery = 'query P($id: ID!) { person(idNumber: $id) { name gender birthDate householdAddress maritalStatus } }';
    const [someone, another] = credentials.samples.persons as [string, string];

    // Allowed reads (an id number as a variable and as a literal).
    const allowed = await graphql(appToken('mca'), personQuery, { id: someone });
    expect(allowed.status).toBe(200);
    expect(allowed.body.data.person.name).toBeTruthy();
    expect((await graphql(appToken('mca'), `{ person(idNumber: "${another}") { name } }`)).status).toBe(200);
    // Denied reads: every department's app asks for the same person's file; some are refused fields.
    const codes: string[] = [];
    for (const department of credentials.departments as { code: string; apps: unknown[] }[]) {
      if (!department.apps.length) continue;
      const { body } = await graphql(appToken(department.code), personQuery, { id: someone });
      for (const e of body.errors ?? []) codes.push(e.extensions?.code ?? '');
    }
    expect(codes).toContain('FORBIDDEN');
    // Bad tokens: made up, a real one altered, a JWT, and an id number as a token.
    for (const token of ['gga_' + 'x'.repeat(43), `${appToken('mca').slice(0, -2)}zz`, 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', someone]) {
      expect((await graphql(token, personQuery, { id: someone })).status).toBe(401);
    }
    // Failed sign-ins: a wrong password, and an id number typed as the user name.
    for (const [username, password] of [[accounts[0]!.username, 'wrong-password-1'], [someone, accounts[0]!.password]] as const) {
      const res = await fetch(`${origin}/auth/local/password`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      expect(res.status).toBeGreaterThanOrEqual(400);
    }
    // An unexpected error whose message embeds a citizen id: a risk rule's severity overwritten by hand.
    const db = new Database(join(storage.dataDir, 'enterprise_profile.sqlite'));
    db.prepare('UPDATE risk_rules SET severity = ?').run(someone);
    db.close();
    const broken = await graphql(appToken('mca'), 'query E($c: ID!) { legalEntity(creditCode: $c) { name profile { riskLevel } } }', { c: credentials.samples.legalEntities[0] });
    expect(JSON.stringify(broken.body.errors)).toMatch(/INTERNAL_SERVER_ERROR/);
    // Stopped as an operator would: the shutdown's lines are part of the log.
    const exited = new Promise((r) => platform.once('exit', r));
    platform.kill('SIGTERM');
    await exited;

    const world = loadWorld(storage.dataDir);
    const ids = new Set<string>();
    for (let i = 0; i < world.size.persons; i++) ids.add(world.person(i).idNumber);
    expect(ids.has(someone)).toBe(true);
    const secrets = [
      credentials.platformAdminToken,
      ...credentials.departments.flatMap((d: { adminToken: string; apps: { token: string }[] }) => [d.adminToken, ...d.apps.map((a) => a.token)]),
      ...accounts.flatMap((a) => [a.password, a.totpSecret]),
    ];

    // The log is there, as JSON lines, from the gateway and the subgraph processes, with the request lines.
    const lines = log.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);
    const services = new Set(['gateway', ...Object.keys(credentials.subgraphs).map((n) => `subgraph-${n}`)]);
    expect(lines.every((l) => services.has(l.service))).toBe(true);
    expect([...new Set(lines.map((l) => l.service))]).toEqual(expect.arrayContaining(['gateway', 'subgraph-population', 'subgraph-enterprise-profile']));
    const requestLines = lines.filter((l) => l.msg === 'graphql request');
    expect(requestLines.map((l) => l.outcome)).toEqual(expect.arrayContaining(['answered', 'partly_denied']));
    expect(requestLines.every((l) => typeof l.requestId === 'string' && l.consumer?.department && typeof l.status === 'number')).toBe(true);
    // The incident: the error's class, message and stack — with the id masked.
    const incident = lines.find((l) => /incident/.test(l.msg) && /level must be one of/.test(l.msg));
    expect(incident?.msg).toMatch(/Error: risk_rules .*\[id-number\]/);

    expect(leaksIn(log, ids, secrets)).toEqual([]);
    // Positive control: the scan finds an id in an unredacted line, and a token.
    expect(leaksIn(`${log}{"level":"info","msg":"person ${someone} read"}\n`, ids, secrets)).toEqual([`id-pattern ${someone}`, `citizen id ${someone}`]);
    expect(leaksIn(`${log}${appToken('mca')}`, ids, secrets)).toHaveLength(1);
    // The banner keeps the tokens for the person at the terminal, on stdout only.
    expect(banner).toContain(credentials.platformAdminToken);
  }, 420_000);
});
