import { describe, expect, it } from 'vitest';
import { mapClaims } from './claimsMapping.ts';
import { DEFAULT_CLAIMS_MAPPING } from './signInSettings.ts';

const known = new Set(['psb', 'dgo']);

describe('claims mapping', () => {
  it('maps department and roles by the default claim names', () => {
    expect(mapClaims({ sub: 'u1', name: '张三', department: 'psb', roles: ['drafter', 'APPROVER', 'auditor'] }, DEFAULT_CLAIMS_MAPPING, known))
      .toEqual({ ok: true, identity: { subject: 'u1', name: '张三', department: 'psb', roles: ['DRAFTER', 'APPROVER'] } });
  });

  it('maps by configured claim names and value maps', () => {
    const mapping = { ...DEFAULT_CLAIMS_MAPPING, department: 'org_code', roles: 'gov_roles', subject: 'employee_no', name: 'display_name', departmentMap: { '11440000MB2C12345X': 'psb' }, roleMap: { 经办人: 'DRAFTER' as const, 管理员: 'ADMINISTRATOR' as const } };
    expect(mapClaims({ sub: 'ignored', employee_no: 'E-42', display_name: '李四', org_code: '11440000MB2C12345X', gov_roles: '经办人,管理员' }, mapping, known))
      .toEqual({ ok: true, identity: { subject: 'E-42', name: '李四', department: 'psb', roles: ['DRAFTER', 'ADMINISTRATOR'] } });
  });

  it('refuses an unknown department and a person with no role, saying which', () => {
    expect(mapClaims({ sub: 'u1', department: 'xyz', roles: ['DRAFTER'] }, DEFAULT_CLAIMS_MAPPING, known)).toEqual({ ok: false, reason: expect.stringContaining('"xyz" is not a member') });
    expect(mapClaims({ sub: 'u1', department: 'psb', roles: ['auditor'] }, DEFAULT_CLAIMS_MAPPING, known)).toEqual({ ok: false, reason: expect.stringContaining('no role') });
    expect(mapClaims({ sub: 'u1', department: 'psb' }, DEFAULT_CLAIMS_MAPPING, known)).toMatchObject({ ok: false });
    expect(mapClaims({ department: 'psb', roles: ['DRAFTER'] }, DEFAULT_CLAIMS_MAPPING, known)).toMatchObject({ ok: false, reason: expect.stringContaining('"sub"') });
  });
});
