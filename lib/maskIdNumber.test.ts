import { describe, expect, it } from 'vitest';
import { isIdNumber, maskIdNumber, maskIdNumbersIn } from './maskIdNumber.ts';

describe('citizen identity numbers on display', () => {
  it('keeps four digits at each end: 4401**********0119', () => {
    expect(maskIdNumber('440104199001010119')).toBe('4401**********0119');
    expect(maskIdNumber('44010419900101011X')).toBe('4401**********011X');
    expect(maskIdNumber('440104900101011')).toBe('4401*******1011');
    expect(maskIdNumber('1234567')).toBe('*******');
  });

  it('masks every number inside a record and leaves credit codes, sequence numbers and dates alone', () => {
    const record = JSON.stringify({ seq: 1234567890123, key: 'idNumber=440104199001010119', other: '110101200002290017', creditCode: '91440101MA5CXXXX1Y', at: '2026-12-05T12:00:00Z' });
    const masked = maskIdNumbersIn(record);
    expect(masked).toContain('idNumber=4401**********0119');
    expect(masked).toContain('1101**********0017');
    expect(masked).toContain('91440101MA5CXXXX1Y');
    expect(masked).toContain('1234567890123');
    expect(masked).not.toMatch(/440104199001010119|110101200002290017/);
    expect(isIdNumber('440104199001010119')).toBe(true);
    expect(isIdNumber('x440104199001010119')).toBe(false);
  });
});
