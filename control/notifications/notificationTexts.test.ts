import { describe, expect, it } from 'vitest';
import { makeCitizenId } from '../../schema/identifiers.ts';
import { redactCitizenIds, WITHHELD } from './redactCitizenIds.ts';
import { webhookUrlProblem } from './webhookUrl.ts';

describe('webhook URLs', () => {
  it('take https anywhere and http to loopback only', () => {
    for (const ok of ['https://hooks.psb.example/govgraph', 'https://10.0.0.5:8443/x', 'http://127.0.0.1:9000/hook', 'http://localhost/h', 'http://[::1]:80/h']) expect(webhookUrlProblem(ok)).toBeNull();
    expect(webhookUrlProblem('http://hooks.psb.example/govgraph')).toMatch(/must use https/);
    expect(webhookUrlProblem('http://10.0.0.5/x')).toMatch(/loopback/);
    expect(webhookUrlProblem('ftp://127.0.0.1/x')).toMatch(/not ftp/);
    expect(webhookUrlProblem('https://user:pw@hooks.example/x')).toMatch(/user name or password/);
    expect(webhookUrlProblem('hooks.example/x')).toMatch(/not a URL/);
  });
});

describe('notification texts', () => {
  it('withhold valid citizen ID numbers and keep everything else', () => {
    const id = makeCitizenId('440106', '1985-03-02', 17);
    expect(redactCitizenIds(`申请人 ${id} 已迁出; application app-1, 12345678901234567X`)).toBe(`申请人 ${WITHHELD} 已迁出; application app-1, 12345678901234567X`);
    expect(redactCitizenIds(`x${id}`)).toBe(`x${id}`.replace(id, WITHHELD));
    expect(redactCitizenIds('Person.householdAddress of a record')).toBe('Person.householdAddress of a record');
  });
});
