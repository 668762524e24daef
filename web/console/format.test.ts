import { describe, expect, it } from 'vitest';
import { maskCitizenIds } from './format.ts';

describe('maskCitizenIds', () => {
  it('shows a citizen id as 4401**********0119, in any text', () => {
    expect(maskCitizenIds('440106199001010119')).toBe('4401**********0119');
    expect(maskCitizenIds('idNumber 44010619900101011X, creditCode 91440101MA5CXXXX1X')).toBe('idNumber 4401**********011X, creditCode 91440101MA5CXXXX1X');
    expect(maskCitizenIds('{"value":"440106900101011"}')).toBe('{"value":"4401*******1011"}');
  });

  it('leaves other numbers alone (times, counts, licence numbers)', () => {
    expect(maskCitizenIds('2026-12-05 12:00 · 1234567 · 12345678901234567890')).toBe('2026-12-05 12:00 · 1234567 · 12345678901234567890');
  });
});
