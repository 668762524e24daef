import { describe, expect, it } from 'vitest';
import {
  citizenIdCheckCharacter, citizenIdProblem, creditCodeProblem, makeCitizenId, makeCreditCode, organizationCodeCheckCharacter,
} from './identifiers.ts';

describe('citizen ID numbers (GB 11643)', () => {
  it('computes the check character of published examples', () => {
    // The standard's own example: 11010519491231002X.
    expect(citizenIdCheckCharacter('11010519491231002')).toBe('X');
    expect(citizenIdProblem('11010519491231002X')).toBeNull();
    expect(makeCitizenId('440524', '1880-01-01', 1)).toBe('440524188001010014');
  });

  it('names the problem with a mistyped number', () => {
    expect(citizenIdProblem('110105194912310021')).toMatch(/check character/);
    expect(citizenIdProblem('11010519491331002X')).toMatch(/birth date/);
    expect(citizenIdProblem('1101051949123100')).toMatch(/17 digits/);
  });
});

describe('unified social credit codes (GB 32100)', () => {
  it('accepts real published codes and rejects a changed character', () => {
    // Public codes of well-known companies.
    for (const code of ['91350100M000100Y43', '91440300708461136T']) {
      expect(creditCodeProblem(code)).toBeNull();
    }
    expect(creditCodeProblem('91350100M000100Y44')).toMatch(/check character/);
    expect(creditCodeProblem('91350100M000100Y4I')).toMatch(/without I, O, S, V, Z/);
  });

  it('builds codes whose organization-code part carries its own GB 11714 check', () => {
    // The standard's example: D2143569-X.
    expect(organizationCodeCheckCharacter('D2143569')).toBe('X');
    const code = makeCreditCode('9', '1', '440106', '12345678');
    expect(code).toHaveLength(18);
    expect(creditCodeProblem(code)).toBeNull();
  });
});
