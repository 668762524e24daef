import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar, chinaDate, provisionalYear } from './workingDays.ts';

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

  it('never refuses a year it has no notice for: counts it provisionally, and takes an entered notice or the override file over it', () => {
    const last = calendar.knownYears[calendar.knownYears.length - 1]!;
    expect(last).toBe(2026);
    expect(calendar.sourceOf(2027)).toBe('PROVISIONAL');
    expect(calendar.isWorkingDay('2027-03-02')).toBe(true);
    // Mon 28 Dec 2026: 29, 30, 31, [1 Jan 元旦], 4, 5, 6, 7, 8, 11, 12.
    expect(calendar.deadline('2026-12-28', 10)).toEqual({ date: '2027-01-12', provisional: true });
    expect(calendar.deadline('2026-11-20', 10)).toEqual({ date: '2026-12-04', provisional: false });
    const withOverride = WorkingDayCalendar.official({ years: { 2027: { holidays: { '2027-01-01': '元旦' }, adjustedWorkdays: {} } } });
    expect(withOverride.sourceOf(2027)).toBe('OFFICIAL_PACKAGE');
    expect(withOverride.isWorkingDay('2027-02-08')).toBe(true); // the override says nothing of 春节
    const noticed = WorkingDayCalendar.official();
    noticed.setNotices(new Map([[2027, { holidays: { '2027-01-01': '元旦', '2027-01-02': '元旦' }, adjustedWorkdays: { '2027-01-09': '元旦' } }]]));
    expect(noticed.sourceOf(2027)).toBe('NOTICE');
    expect(noticed.knownYears).toContain(2027);
    expect(noticed.isWorkingDay('2027-01-09')).toBe(true);
    expect(noticed.deadline('2026-12-28', 10)).toEqual({ date: '2027-01-11', provisional: false });
  });

  it('computes a provisional year’s lunar holidays: 2027 春节 (除夕 5 Feb to 初三 8 Feb), 清明 5 Apr, 端午 9 Jun, 中秋 15 Sep', () => {
    const y2027 = provisionalYear(2027);
    expect(y2027.holidays).toEqual({
      '2027-01-01': '元旦',
      '2027-02-05': '春节', '2027-02-06': '春节', '2027-02-07': '春节', '2027-02-08': '春节',
      '2027-04-05': '清明',
      '2027-05-01': '劳动节', '2027-05-02': '劳动节',
      '2027-06-09': '端午',
      '2027-09-15': '中秋',
      '2027-10-01': '国庆节', '2027-10-02': '国庆节', '2027-10-03': '国庆节',
    });
    expect(y2027.adjustedWorkdays).toEqual({});
    expect(calendar.isWorkingDay('2027-02-08')).toBe(false); // Monday, 初三
    expect(calendar.isWorkingDay('2027-09-15')).toBe(false); // Wednesday, 中秋
    expect(calendar.describe('2027-06-09')).toBe('statutory holiday (端午, provisional)');
  });

  it('agrees with the official notices on the statutory days of 2025 and 2026 (the rule in force since 2025)', () => {
    for (const year of [2025, 2026]) {
      const official = calendar.year(year).holidays;
      for (const [date, name] of Object.entries(provisionalYear(year).holidays)) expect(official[date], `${date} ${name}`).toBeDefined();
    }
  });

  it('takes the date in China for an instant', () => {
    expect(chinaDate('2026-02-11T16:30:00Z')).toBe('2026-02-12');
    expect(chinaDate('2026-02-11T15:59:59Z')).toBe('2026-02-11');
  });
});
