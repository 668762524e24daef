import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { declaredCaller, decodeCaseIdHeader } from './purpose.ts';
import { PolicySnapshot } from '../../policies/snapshot.ts';

/** What Node's HTTP parser hands over for a header sent as raw UTF-8 bytes. */
const asReceived = (value: string) => Buffer.from(value, 'utf8').toString('latin1');

describe('X-Case-Id (matter numbers)', () => {
  it('takes a Chinese matter number sent percent-encoded, as browsers and fetch must send it', () => {
    expect(decodeCaseIdHeader(encodeURIComponent('民〔2026〕17号'))).toBe('民〔2026〕17号');
  });

  it('takes a Chinese matter number sent as raw UTF-8 bytes', () => {
    expect(decodeCaseIdHeader(asReceived('粤民〔2026〕0017号'))).toBe('粤民〔2026〕0017号');
  });

  it('keeps ASCII matter numbers as they are', () => {
    expect(decodeCaseIdHeader('MJ-2026/017')).toBe('MJ-2026/017');
  });

  it.each([
    ['broken percent-encoding', '%E6%B0', /not valid percent-encoded UTF-8/],
    ['Latin-1 bytes that are not UTF-8', 'caf\u00e9', /not UTF-8/],
    ['a character outside the rule', 'MJ-2026;drop', /X-Case-Id must be 1–64 letters/],
    ['too long', 'A'.repeat(65), /X-Case-Id must be 1–64 letters/],
    ['percent-encoded control characters', '%0Aforged', /X-Case-Id must be 1–64 letters/],
  ])('refuses %s with a 400 that says what to send', (_name, raw, message) => {
    let error: unknown;
    try {
      decodeCaseIdHeader(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).message).toMatch(message);
    expect((error as GraphQLError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', http: { status: 400 } });
  });
});

describe('X-Purpose (R6)', () => {
  const snapshot = new PolicySnapshot({
    version: 1, fields: [], grants: [], departments: [],
    purposes: ['ADMINISTRATIVE_BASIS', 'WORK_REFERENCE'],
    purposeNames: [{ code: 'ADMINISTRATIVE_BASIS', name: '行政依据', nameEn: 'Administrative basis' }, { code: 'WORK_REFERENCE', name: '工作参考', nameEn: 'Work reference' }, { code: 'RETIRED', name: '已停用', nameEn: null }],
  });
  const context = { snapshot, identity: { department: 'mca', credentialId: 'cred-1' } } as unknown as Parameters<typeof declaredCaller>[1];
  const declare = (value: string) => declaredCaller({ get: (name: string) => (name === 'x-purpose' ? value : undefined) }, context).purpose;
  const refusal = (value: string) => {
    try {
      declare(value);
    } catch (error) {
      return error as GraphQLError;
    }
    throw new Error('accepted');
  };

  it('takes a purpose by its code, by its Chinese name sent as UTF-8 bytes or percent-encoded, and by its English name', () => {
    expect(declare('ADMINISTRATIVE_BASIS')).toBe('ADMINISTRATIVE_BASIS');
    expect(declare(asReceived('行政依据'))).toBe('ADMINISTRATIVE_BASIS');
    expect(declare(encodeURIComponent('工作参考'))).toBe('WORK_REFERENCE');
    expect(declare('administrative basis')).toBe('ADMINISTRATIVE_BASIS');
  });

  it('names an unknown Chinese purpose as written, not as mojibake, and lists the purposes with their names', () => {
    const error = refusal(asReceived('随便看看'));
    expect(error.message).toContain('"随便看看" is not a registered purpose');
    expect(error.message).not.toMatch(/[\u0080-\u00ff]/);
    expect(error.message).toContain('ADMINISTRATIVE_BASIS (行政依据)');
    expect(error.extensions).toMatchObject({ code: 'PURPOSE_REQUIRED', http: { status: 400 } });
    // A deactivated purpose's name is not a way back in.
    expect(refusal(asReceived('已停用')).extensions.code).toBe('PURPOSE_REQUIRED');
    expect(refusal(asReceived('行政依据,工作参考')).message).toContain('exactly one purpose');
  });
});
