import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { calendarDate, calendarDateProblem } from './calendarDate.ts';

describe('calendarDate', () => {
  it('accepts real days in range, leap days included', () => {
    for (const d of ['2000-01-01', '2024-02-29', '2027-06-30', '2100-12-31']) expect(calendarDate(d, { name: 'd' })).toBe(d);
  });

  it('refuses what Date.parse lets through or rolls over', () => {
    expect(calendarDateProblem('2027-02-30')).toMatch(/not a day/);
    expect(calendarDateProblem('2025-02-29')).toMatch(/not a day/);
    expect(calendarDateProblem('2027-13-01')).toMatch(/not a day/);
    expect(calendarDateProblem('9999-99-99')).toMatch(/not a day/);
    expect(calendarDateProblem('9999-12-31')).toMatch(/from 2000-01-01 to 2100-12-31/);
    expect(calendarDateProblem('1999-12-31')).toMatch(/from 2000-01-01/);
    for (const shape of ['2027-6-30', '2027-06-30T00:00:00Z', ' 2027-06-30', '', 20270630, null]) expect(calendarDateProblem(shape)).toMatch(/YYYY-MM-DD/);
  });

  it('refuses an "until" date before its lower bound', () => {
    expect(calendarDateProblem('2026-01-01', { notBefore: '2026-01-02', notBeforeMeaning: 'today' })).toMatch(/not be before today \(2026-01-02\)/);
    expect(calendarDateProblem('2026-01-02', { notBefore: '2026-01-02' })).toBeNull();
  });

  it('throws BAD_USER_INPUT with HTTP 400, naming the argument and the value', () => {
    try {
      calendarDate('2027-02-30', { name: 'requestedUntil' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GraphQLError);
      expect((error as GraphQLError).message).toBe('requestedUntil is not a day of the calendar, received "2027-02-30"');
      expect((error as GraphQLError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'requestedUntil', http: { status: 400 } });
    }
  });
});
