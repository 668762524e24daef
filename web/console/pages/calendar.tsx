/**
 * The working-day calendar: each year's holidays and adjusted working days and where they come
 * from (the official package, a notice the coordinating office entered, or provisional), and —
 * for the coordinating office — the form to enter (or correct) a year's notice. Also the banner
 * that next year's notice is missing, and the 暂定 mark shown beside a provisional deadline.
 */
import { useState, type FormEvent } from 'react';
import * as Q from '../queries.ts';
import { Async, Badge, DataTable, ErrorBox, Field, Notice, PageHeader, formatTime, useMutation, useQuery, useSession } from '../ui.tsx';
import { defineMessages } from '../i18n/defineMessages.ts';
import { messagesNow, useMessages } from '../i18n/I18nProvider.tsx';

const M = defineMessages('calendar', {
  officialData: '官方数据',
  noticeEntered: '已录入通知',
  provisional: '暂定',
  provisionalTheYearS: '暂定：该年度放假通知尚未录入，期限按周末与可预知的法定节假日计算，录入通知后重新计算（不会提前）',
  enter: '录入',
  notice: '年通知',
  lineWriteYyyyMm: '第 {v0} 行：请写成“YYYY-MM-DD 名称”，如“2027-01-01 元旦”',
  holidays: '放假：{v0}',
  adjustedWorkingDays: '调休上班：{v0}',
  writeTheYearWith: '年份写四位数字',
  stateTheReasonThe: '写明理由（通知文号）',
  theNoticeIsEntered: '{v0} 年通知已录入；重新计算 {v1} 个未结期限，其中 {v2} 个顺延（期限不会提前）。',
  enterAHolidayNotice: '录入放假通知',
  theNoticeWasNot: '通知未录入',
  year: '年份',
  holidays2: '放假日期',
  oneDayALine: '每行一天：YYYY-MM-DD 名称，如 2027-02-06 春节',
  adjustedWorkingDays2: '调休上班日',
  aSaturdayOrSunday: '周六或周日上班，每行一天：YYYY-MM-DD 名称（所补的节日）',
  reason: '理由',
  theNoticeSTitle: '通知名称与文号，记入审计',
  enterNotice: '录入通知',
  workingDayCalendar: '工作日历',
  deadlinesCountWorkingDays: '期限按工作日计算。尚未录入国务院放假通知的年度为',
  weekendsAndTheStatutory: '：按周末和可预知的法定节假日计算，不含调休上班日。录入通知后重新计算所有未结期限，任何期限都不会提前。',
  theCalendar: '工作日历',
  source: '来源',
  holidays3: '放假',
  days: '天',
  adjustedWorkingDays3: '调休上班',
}, {
  officialData: 'official data',
  noticeEntered: 'notice entered',
  provisional: 'provisional',
  provisionalTheYearS: 'Provisional: the year\'s holiday notice has not been entered; deadlines count weekends and the statutory holidays known in advance, and are recomputed when the notice is entered (never earlier)',
  enter: 'Enter',
  notice: ' notice',
  lineWriteYyyyMm: 'line {v0}: write “YYYY-MM-DD name”, e.g. “2027-01-01 New Year\'s Day”',
  holidays: 'Holidays: {v0}',
  adjustedWorkingDays: 'Adjusted working days: {v0}',
  writeTheYearWith: 'Write the year with four digits',
  stateTheReasonThe: 'State the reason (the notice\'s number)',
  theNoticeIsEntered: 'The {v0} notice is entered; {v1} open deadlines were recomputed, {v2} of them moved later (deadlines never move earlier).',
  enterAHolidayNotice: 'Enter a holiday notice',
  theNoticeWasNot: 'The notice was not entered',
  year: 'Year',
  holidays2: 'Holidays',
  oneDayALine: 'One day a line: YYYY-MM-DD name, e.g. 2027-02-06 Spring Festival',
  adjustedWorkingDays2: 'Adjusted working days',
  aSaturdayOrSunday: 'A Saturday or Sunday worked, one a line: YYYY-MM-DD name (the holiday it makes up for)',
  reason: 'Reason',
  theNoticeSTitle: 'The notice\'s title and number, recorded in the audit trail',
  enterNotice: 'Enter notice',
  workingDayCalendar: 'Working-day calendar',
  deadlinesCountWorkingDays: 'Deadlines count working days. A year without the State Council\'s notice is',
  weekendsAndTheStatutory: ': weekends and the statutory holidays known in advance, without adjusted working days. Entering the notice recomputes every open deadline; none moves earlier.',
  theCalendar: 'the calendar',
  source: 'Source',
  holidays3: 'Holidays',
  days: 'days',
  adjustedWorkingDays3: 'Adjusted working days',
});

interface CalendarDay { date: string; name: string }
interface CalendarYearRow {
  year: number; source: 'OFFICIAL_PACKAGE' | 'NOTICE' | 'PROVISIONAL'; holidays: CalendarDay[]; adjustedWorkdays: CalendarDay[];
  enteredBy: string | null; enteredAt: string | null; reason: string | null;
}
interface Recomputed { subject: string; id: string; oldDueDate: string | null; computedDueDate: string; dueDate: string; provisional: boolean }

const SOURCE_KEY = { OFFICIAL_PACKAGE: 'officialData', NOTICE: 'noticeEntered', PROVISIONAL: 'provisional' } as const satisfies Record<CalendarYearRow['source'], string>;

/** The 暂定 mark beside a deadline that counts a day of a year without a notice. */
export function ProvisionalMark({ provisional }: { provisional: boolean | null | undefined }) {
  const t = useMessages(M);
  if (!provisional) return null;
  return <> <span className="badge badge-amber" data-testid="provisional" title={t('provisionalTheYearS')}>{t('provisional')}</span></>;
}

/** Next year's notice is missing (from 1 October): shown on every page. */
export function CalendarBanner() {
  const t = useMessages(M);
  const { session } = useSession();
  const warning = useQuery<{ calendarWarning: { year: number; message: string } | null }>(Q.CALENDAR_WARNING);
  if (warning.state !== 'ok' || !warning.data.calendarWarning) return null;
  return (
    <Notice kind="warning" testId="calendar-warning">
      {warning.data.calendarWarning.message}
      {session.me.kind === 'PLATFORM_ADMIN' && <> — <a href="#/calendar">{t('enter')} {warning.data.calendarWarning.year} {t('notice')}</a></>}
    </Notice>
  );
}

/** Lines of `YYYY-MM-DD 名称`; the API checks the dates, this only splits them. */
export function parseCalendarLines(text: string): { days: CalendarDay[]; problems: string[] } {
  const t = messagesNow(M);
  const days: CalendarDay[] = [];
  const problems: string[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(\S+)\s+(.+)$/.exec(line);
    if (!m) problems.push(t('lineWriteYyyyMm', { v0: i + 1 }));
    else days.push({ date: m[1]!, name: m[2]!.trim() });
  }
  return { days, problems };
}

const linesOf = (days: readonly CalendarDay[]) => days.map((d) => `${d.date} ${d.name}`).join('\n');

function NoticeForm({ years, onDone }: { years: CalendarYearRow[]; onDone(): void }) {
  const t = useMessages(M);
  const enter = useMutation<{ enterCalendarNotice: { year: CalendarYearRow; recomputed: Recomputed[] } }>(Q.ENTER_CALENDAR_NOTICE);
  const next = years.find((y) => y.source === 'PROVISIONAL') ?? years[years.length - 1];
  const [form, setForm] = useState({ year: String(next?.year ?? ''), holidays: '', workdays: '', reason: '' });
  const [problems, setProblems] = useState<string[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const holidays = parseCalendarLines(form.holidays);
    const workdays = parseCalendarLines(form.workdays);
    const found = [...holidays.problems.map((p) => t('holidays', { v0: p })), ...workdays.problems.map((p) => t('adjustedWorkingDays', { v0: p }))];
    if (!/^\d{4}$/.test(form.year)) found.push(t('writeTheYearWith'));
    if (!form.reason.trim()) found.push(t('stateTheReasonThe'));
    setProblems(found);
    setDone(null);
    if (found.length) return;
    const result = await enter.run({ year: Number(form.year), h: holidays.days, w: workdays.days, reason: form.reason.trim() });
    if (!result) return;
    const moved = result.enterCalendarNotice.recomputed.filter((r) => r.dueDate !== r.oldDueDate);
    setDone(t('theNoticeIsEntered', { v0: form.year, v1: result.enterCalendarNotice.recomputed.length, v2: moved.length }));
    onDone();
  };
  const prefill = (year: string) => {
    const known = years.find((y) => String(y.year) === year && y.source !== 'PROVISIONAL');
    setForm({ ...form, year, holidays: known ? linesOf(known.holidays) : form.holidays, workdays: known ? linesOf(known.adjustedWorkdays) : form.workdays });
  };
  return (
    <form className="form panel" onSubmit={submit} noValidate data-testid="notice-form">
      <h2>{t('enterAHolidayNotice')}</h2>
      {done && <Notice kind="success" testId="notice-entered">{done}</Notice>}
      {problems.length > 0 && <Notice kind="warning" testId="notice-problems">{problems.map((p) => <div key={p}>{p}</div>)}</Notice>}
      <ErrorBox error={enter.error} title={t('theNoticeWasNot')} />
      <Field label={t('year')} htmlFor="notice-year"><input id="notice-year" value={form.year} onChange={(e) => prefill(e.target.value)} inputMode="numeric" /></Field>
      <Field label={t('holidays2')} htmlFor="notice-holidays" hint={t('oneDayALine')}>
        <textarea id="notice-holidays" rows={8} value={form.holidays} onChange={(e) => setForm({ ...form, holidays: e.target.value })} spellCheck={false} />
      </Field>
      <Field label={t('adjustedWorkingDays2')} htmlFor="notice-workdays" hint={t('aSaturdayOrSunday')}>
        <textarea id="notice-workdays" rows={4} value={form.workdays} onChange={(e) => setForm({ ...form, workdays: e.target.value })} spellCheck={false} />
      </Field>
      <Field label={t('reason')} htmlFor="notice-reason" hint={t('theNoticeSTitle')}>
        <input id="notice-reason" value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />
      </Field>
      <div className="actions"><button type="submit" disabled={enter.busy} data-testid="notice-submit">{t('enterNotice')}</button></div>
    </form>
  );
}

export function CalendarPage() {
  const t = useMessages(M);
  const { session } = useSession();
  const years = useQuery<{ calendarYears: CalendarYearRow[] }>(Q.CALENDAR_YEARS);
  return (
    <section>
      <PageHeader title={t('workingDayCalendar')}>
        {t('deadlinesCountWorkingDays')} <strong>{t('provisional')}</strong>{t('weekendsAndTheStatutory')}
      </PageHeader>
      <Async value={years} what={t('theCalendar')}>
        {({ calendarYears }) => (
          <>
            <DataTable rows={calendarYears} rowKey={(y) => String(y.year)} empty="—" testId="calendar-years" rowTestId={(y) => `calendar-year-${y.year}`} columns={[
              { header: t('year'), render: (y) => y.year },
              { header: t('source'), render: (y) => <Badge value={y.source === 'PROVISIONAL' ? 'PENDING' : y.source === 'NOTICE' ? 'ACCEPTED' : 'CONFIRMED'} label={t(SOURCE_KEY[y.source])} /> },
              { header: t('holidays3'), render: (y) => <span title={linesOf(y.holidays)}>{y.holidays.length} {t('days')}</span> },
              { header: t('adjustedWorkingDays3'), render: (y) => (y.adjustedWorkdays.length ? y.adjustedWorkdays.map((d) => d.date).join(', ') : <span className="muted">—</span>) },
              { header: t('enter'), render: (y) => (y.enteredBy ? <>{y.enteredBy} · {formatTime(y.enteredAt)}<div className="muted">{y.reason}</div></> : <span className="muted">—</span>) },
            ]} />
            {session.me.kind === 'PLATFORM_ADMIN' && <NoticeForm years={calendarYears} onDone={years.reload} />}
          </>
        )}
      </Async>
    </section>
  );
}
