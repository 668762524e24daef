import { describe, expect, it } from 'vitest';
import type { PolicyOverride } from '../../policies/model.ts';
import { changesBetween, planRevert, withFieldValue } from './policyChanges.ts';

const o = (coordinate: string, sharingClass: PolicyOverride['sharingClass'], extra: Partial<PolicyOverride> = {}): PolicyOverride =>
  ({ coordinate, sharingClass, purposes: [], basis: sharingClass === 'UNCONDITIONAL' ? null : '《条例》', caseIdRequired: false, condition: null, ...extra });

describe('policy changes', () => {
  it('lists what a version set, changed and cleared, with the attributes that differ', () => {
    const changes = changesBetween(
      [o('A.a', 'CONDITIONAL', { purposes: ['X', 'Y'] }), o('B.b', 'NOT_SHARED'), o('C.c', 'UNCONDITIONAL')],
      [o('A.a', 'CONDITIONAL', { purposes: ['Y', 'X'] }), o('B.b', 'CONDITIONAL', { caseIdRequired: true }), o('D.d', 'CONDITIONAL')],
    );
    // Purposes in another order are no change.
    expect(changes.map((c) => [c.coordinate, c.kind, c.attributes])).toEqual([
      ['B.b', 'CHANGED', ['sharingClass', 'caseIdRequired']],
      ['C.c', 'CLEARED', ['sharingClass']],
      ['D.d', 'SET', ['sharingClass', 'basis']],
    ]);
  });

  it('plans a revert of one field, naming later changes of that field and only those', () => {
    const v1 = [o('A.a', 'CONDITIONAL')];
    const v2 = [...v1, o('B.b', 'NOT_SHARED')];
    const v3 = withFieldValue(v2, 'A.a', o('A.a', 'NOT_SHARED'));
    const versions = [{ version: 0, overrides: [] }, { version: 1, overrides: v1 }, { version: 2, overrides: v2 }, { version: 3, overrides: v3 }];
    const b = planRevert(versions, 2, 'B.b');
    expect(b).toMatchObject({ restores: null, laterChanges: [] });
    const a = planRevert(versions, 1, 'A.a');
    expect('problem' in a ? a.problem : a.laterChanges.map((c) => c.version)).toEqual([3]);
    expect(planRevert(versions, 2, 'A.a')).toEqual({ problem: expect.stringMatching(/did not change A\.a/) });
    expect(planRevert(versions, 9, 'A.a')).toEqual({ problem: 'there is no policy version 9' });
  });
});
