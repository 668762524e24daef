import { describe, expect, it } from 'vitest';
import { SUBGRAPHS } from '../../subgraphs/index.ts';
import type { PolicyOverride } from '../../policies/model.ts';
import { diffStates, entryState, fingerprintOf } from './entryState.ts';
import { placeCatalogue } from './placement.ts';
import { demoSnapshot, withExtraSdl } from './testing.ts';

const definition = placeCatalogue(SUBGRAPHS);
const override = (o: Partial<PolicyOverride>): PolicyOverride => ({
  coordinate: 'Person.ethnicity', sharingClass: 'UNCONDITIONAL', purposes: [], basis: null, caseIdRequired: false, condition: null, ...o,
});

describe('entry state and its fingerprint', () => {
  const base = entryState(definition, 'PSB-POP-001', demoSnapshot());

  it('is stable and does not depend on the snapshot version, grants or other entries', () => {
    const again = entryState(definition, 'PSB-POP-001', demoSnapshot({ version: 9, overrides: [override({ coordinate: 'Parcel.area', sharingClass: 'CONDITIONAL', basis: 'x' })] }));
    expect(fingerprintOf(again)).toBe(fingerprintOf(base));
    expect(fingerprintOf(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names what changed: the policy, the legal basis, or the department\'s declaration', () => {
    const policy = entryState(definition, 'PSB-POP-001', demoSnapshot({ overrides: [override({ sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS'], basis: '《个人信息保护法》第二十八条' })] }));
    expect(diffStates(base, policy)).toEqual({ causes: ['POLICY', 'LEGAL_BASIS'], changedItems: ['Person.ethnicity'] });

    const address = demoSnapshot().fields.get('Person.householdAddress')!;
    const basis = entryState(definition, 'PSB-POP-001', demoSnapshot({ overrides: [{ ...override({}), coordinate: address.coordinate, sharingClass: address.sharingClass, purposes: address.purposes, basis: '《个人信息保护法》（2021年修正）第十三条', caseIdRequired: false }] }));
    expect(diffStates(base, basis)).toEqual({ causes: ['LEGAL_BASIS'], changedItems: ['Person.householdAddress'] });

    const subgraphs = withExtraSdl('population', 'extend type Person @key(fields: "idNumber") { "Height (身高)." height: Int @sharing(class: "UNCONDITIONAL") }');
    const declared = entryState(placeCatalogue(subgraphs), 'PSB-POP-001', demoSnapshot({ subgraphs }));
    expect(diffStates(base, declared)).toEqual({ causes: ['DEFINITION'], changedItems: ['Person.height'] });

    expect(diffStates(null, base).causes).toEqual(['NEW_RESOURCE']);
    expect(diffStates(base, null).causes).toEqual(['WITHDRAWN']);
    expect(diffStates(base, base)).toEqual({ causes: [], changedItems: [] });
  });
});
