/**
 * The command line against a running platform, as an administrator would type it: a partial
 * approval with a field's refusal, the consumer contesting that field, the coordinating office
 * arbitrating it; a year's evaluation report's state, the office's summary and publication
 * (R5, R11). Each command is a real `node bin/govgraph.mjs` process over HTTP.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const run = promisify(execFile);

describe('the govgraph command line', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  /** Runs one command with the given token; the exit code and what it printed. */
  async function govgraph(token: string, ...args: string[]): Promise<{ code: number; out: any; err: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, ['bin/govgraph.mjs', ...args, '--admin-url', platform.credentials.admin, '--token', token], { env: { ...process.env, DATA_DIR: platform.storage.dataDir } });
      return { code: 0, out: JSON.parse(stdout), err: stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout, err: e.stderr };
    }
  }

  it('approves in part with a refusal, takes the consumer\'s contest of that field and the office\'s arbitration of it', async () => {
    const applied = await govgraph(platform.appToken('hrss'), 'applications', 'apply', '--fields', 'Parcel.rightHolders,Parcel.mortgages', '--purpose', 'ADMINISTRATIVE_BASIS',
      '--justification', '最低生活保障家庭经济状况核对', '--basis', '《社会救助暂行办法》第十一条', '--until', '2027-06-30');
    expect(applied.code, applied.err).toBe(0);
    const id = applied.out[0].id as string;
    const refusals = JSON.stringify([{ coordinate: 'Parcel.mortgages', ground: 'PERSONAL_PRIVACY', text: '抵押权人为自然人,涉及个人隐私' }]);
    const approved = await govgraph(platform.adminToken('nr'), 'applications', 'approve', id, '--fields', 'Parcel.rightHolders', '--refusals', refusals, '--reason', 'conditions met');
    expect(approved.code, approved.err).toBe(0);
    expect(approved.out.fields).toEqual(expect.arrayContaining([{ coordinate: 'Parcel.mortgages', sharingClass: 'CONDITIONAL', approved: false }]));

    // Bad input: a clear message, exit 1, nothing changed.
    const noField = await govgraph(platform.adminToken('hrss'), 'applications', 'contest-field', id, '--reason', 'needed');
    expect(noField).toMatchObject({ code: 1, err: expect.stringContaining('missing --field Type.field') });
    const wrongSide = await govgraph(platform.adminToken('mca'), 'applications', 'contest-field', id, '--field', 'Parcel.mortgages', '--reason', 'needed');
    expect(wrongSide.code).toBe(1);
    expect(wrongSide.err).toMatch(/FORBIDDEN/);

    const contested = await govgraph(platform.adminToken('hrss'), 'applications', 'contest-field', id, '--field', 'Parcel.mortgages', '--reason', 'the benefit review needs the mortgages');
    expect(contested.code, contested.err).toBe(0);
    const neither = await govgraph(platform.credentials.platformAdminToken, 'applications', 'arbitrate-field', id, '--field', 'Parcel.mortgages', '--reason', 'R5');
    expect(neither).toMatchObject({ code: 1, err: expect.stringContaining('say --grant or --uphold') });
    const arbitrated = await govgraph(platform.credentials.platformAdminToken, 'applications', 'arbitrate-field', id, '--field', 'Parcel.mortgages', '--grant', '--reason', 'R5: needed for the duty named', '--until', '2027-03-31');
    expect(arbitrated.code, arbitrated.err).toBe(0);
    expect(arbitrated.out.fields).toEqual(expect.arrayContaining([{ coordinate: 'Parcel.mortgages', sharingClass: 'CONDITIONAL', approved: true }]));
    const grants = await govgraph(platform.adminToken('hrss'), 'grants', 'list');
    expect(grants.out.filter((g: any) => g.coordinate === 'Parcel.mortgages' && g.active)).toHaveLength(1);
  });

  it('shows a report\'s state, the office\'s summary, and publishes the year; a department cannot publish', async () => {
    const year = String(new Date().getUTCFullYear());
    const status = await govgraph(platform.adminToken('psb'), 'report', 'status', '--year', year);
    expect(status.code, status.err).toBe(0);
    expect(status.out).toMatchObject({ department: 'psb', year: Number(year), partial: true, published: false, publishedAt: null });
    const badYear = await govgraph(platform.adminToken('psb'), 'report', 'status', '--year', 'last');
    expect(badYear).toMatchObject({ code: 1, err: expect.stringContaining('--year is a year such as 2026') });
    const summary = await govgraph(platform.credentials.platformAdminToken, 'report', 'summary', '--year', year);
    expect(summary.code, summary.err).toBe(0);
    expect(summary.out.rows.map((r: any) => r.department)).toEqual(expect.arrayContaining(['psb', 'nr']));
    expect(summary.out.rows.find((r: any) => r.department === 'nr').applicationsReceived).toBeGreaterThanOrEqual(1);
    const byDepartment = await govgraph(platform.adminToken('psb'), 'report', 'publish', '--year', '2025', '--reason', '年度评估');
    expect(byDepartment.code).toBe(1);
    expect(byDepartment.err).toMatch(/FORBIDDEN/);
    const published = await govgraph(platform.credentials.platformAdminToken, 'report', 'publish', '--year', '2025', '--reason', '2025 年度共享评估报告发布');
    expect(published.code, published.err).toBe(0);
    expect(published.out).toMatchObject({ year: 2025, reason: '2025 年度共享评估报告发布', departments: expect.arrayContaining(['psb']) });
    const after = await govgraph(platform.adminToken('psb'), 'report', 'status', '--year', '2025');
    expect(after.out).toMatchObject({ partial: false, published: true, publishedAt: published.out.publishedAt });
  });

  it('helps, says when the platform is not running, and exits 0/1/2 as documented', async () => {
    const bare = async (env: Record<string, string>, ...args: string[]) => {
      try {
        const { stdout, stderr } = await run(process.execPath, ['bin/govgraph.mjs', ...args], { env: { ...process.env, LC_ALL: '', LC_MESSAGES: '', ...env } });
        return { code: 0, out: stdout, err: stderr };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, out: e.stdout, err: e.stderr };
      }
    };
    const help = await bare({ LANG: 'zh_CN.UTF-8' }, '--help');
    expect(help).toMatchObject({ code: 0, out: expect.stringContaining('用法: govgraph <区域> <命令>') });
    expect(help.out).toContain('catalogue');
    const command = await bare({ LANG: 'en_US.UTF-8' }, 'applications', 'apply', '-h');
    expect(command.out).toContain('usage: govgraph applications apply --fields A,B --purpose P --justification J --basis B --until YYYY-MM-DD [--case C]');
    expect(command.out).toMatch(/--justification\s+why the fields are needed/);
    const unknownOption = await bare({}, 'grants', 'list', '--frobnicate');
    expect(unknownOption.code).toBe(2);
    const down = await bare({ LANG: 'C.UTF-8' }, 'grants', 'list', '--admin-url', 'http://127.0.0.1:59999/admin/graphql', '--token', 'x');
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/^govgraph: cannot reach the management API at http:\/\/127\.0\.0\.1:59999\/admin\/graphql — is the platform running\?/);
    expect(down.err).not.toMatch(/TypeError|at .*\.ts:\d+/);
    // A table on request (a terminal's default); JSON stays the default for scripts.
    const table = await bare({}, 'purposes', 'list', '--table', '--admin-url', platform.credentials.admin, '--token', platform.adminToken('psb'));
    expect(table.code).toBe(0);
    expect(String(table.out)).toMatch(/^code\s+name\s+nameEn/);
    expect(String(table.out)).toMatch(/ADMINISTRATIVE_BASIS\s+行政依据/);
  });
});
