import { describe, expect, it } from 'vitest';
import { CalendarYearUnknownError, WorkingDayCalendar, chinaDate } from './workingDays.ts';

const calendar = WorkingDayCalendar.official();

describe('working-day calendar (official notices)', () => {
  it('knows the 2026 Spring Festival: 15–23 February off, Saturdays 14 and 28 February worked', () => {
    for (const d of ['2026-02-15', '2026-02-17', '2026-02-20', '2026-02-23']) expect(calendar.isWorkingDay(d), d).toBe(false);
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true);
    expect(calendar.describe('2026-02-17')).toMatch(/statutory holiday/);
    expect(calendar.describe('2026-02-14')).toMatch(/adjusted working day/);
  });

  it('counts 10 working days across the Spring Festival as the notice does', () => {
    // Thu 12 Feb: 13, 14 (Sat, worked), [15–23 off], 24, 25, 26, 27, 28 (Sat, worked), 2 Mar, 3, 4.
    expect(calendar.addWorkingDays('2026-02-12', 10)).toBe('2026-03-04');
  });

  it('counts 10 working days across National Day 2026 (1–7 October off, Sat 10 October worked)', () => {
    // Mon 28 Sep: 29, 30, [1–7 Oct off], 8, 9, 10 (Sat, worked), 12, 13, 14, 15, 16.
    expect(calendar.addWorkingDays('2026-09-28', 10)).toBe('2026-10-16');
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true); // Sunday worked before National Day
  });

  it('counts ordinary weeks as five working days', () => {
    expect(calendar.addWorkingDays('2026-11-20', 10)).toBe('2026-12-04');
    expect(calendar.workingDaysBetween('2026-11-20', '2026-12-04')).toBe(10);
  });

  it('refuses to guess a year it has no notice for, and takes one from the override file', () => {
    const last = calendar.knownYears[calendar.knownYears.length - 1]!;
    expect(() => calendar.isWorkingDay(`${last + 1}-03-02`)).toThrow(CalendarYearUnknownError);
    expect(() => calendar.addWorkingDays(`${last}-12-28`, 10)).toThrow(/override file/);
    const withOverride = WorkingDayCalendar.official({ years: { [last + 1]: { holidays: { [`${last + 1}-01-01`]: '元旦' }, adjustedWorkdays: {} } } });
    expect(withOverride.isWorkingDay(`${last + 1}-01-01`)).toBe(false);
    expect(withOverride.isWorkingDay(`${last + 1}-01-05`)).toBe(true);
  });

  it('takes the date in China for an instant', () => {
    expect(chinaDate('2026-02-11T16:30:00Z')).toBe('2026-02-12');
    expect(chinaDate('2026-02-11T15:59:59Z')).toBe('2026-02-11');
  });
});
