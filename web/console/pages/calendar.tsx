/**
 * The working-day calendar: each year's holidays and adjusted working days and where they come
 * from (the official package, a notice the coordinating office entered, or provisional), and —
 * for the coordinating office — the form to enter (or correct) a year's notice. Also the banner
 * that next year's notice is missing, and the 暂定 mark shown beside a provisional deadline.
 */
import { useState, type FormEvent } from 'react';
import * as Q from '../queries.ts';
import { Async, Badge, DataTable, ErrorBox, Field, Notice, PageHeader, formatTime, useMutation, useQuery, useSession } from '../ui.tsx';

interface CalendarDay { date: string; name: string }
interface CalendarYearRow {
  year: number; source: 'OFFICIAL_PACKAGE' | 'NOTICE' | 'PROVISIONAL'; holidays: CalendarDay[]; adjustedWorkdays: CalendarDay[];
  enteredBy: string | null; enteredAt: string | null; reason: string | null;
}
interface Recomputed { subject: string; id: string; oldDueDate: string | null; computedDueDate: string; dueDate: string; provisional: boolean }

const SOURCE_LABEL: Record<CalendarYearRow['source'], string> = { OFFICIAL_PACKAGE: '官方数据', NOTICE: '已录入通知', PROVISIONAL: '暂定' };

/** The 暂定 mark beside a deadline that counts a day of a year without a notice. */
export function ProvisionalMark({ provisional }: { provisional: boolean | null | undefined }) {
  if (!provisional) return null;
  return <> <span className="badge badge-amber" data-testid="provisional" title="暂定：该年度放假通知尚未录入，期限按周末与可预知的法定节假日计算，录入通知后重新计算（不会提前）">暂定</span></>;
}

/** Next year's notice is missing (from 1 October): shown on every page. */
export function CalendarBanner() {
  const { session } = useSession();
  const warning = useQuery<{ calendarWarning: { year: number; message: string } | null }>(Q.CALENDAR_WARNING);
  if (warning.state !== 'ok' || !warning.data.calendarWarning) return null;
  return (
    <Notice kind="warning" testId="calendar-warning">
      {warning.data.calendarWarning.message}
      {session.me.kind === 'PLATFORM_ADMIN' && <> — <a href="#/calendar">录入 {warning.data.calendarWarning.year} 年通知</a></>}
    </Notice>
  );
}

/** Lines of `YYYY-MM-DD 名称`; the API checks the dates, this only splits them. */
export function parseCalendarLines(text: string): { days: CalendarDay[]; problems: string[] } {
  const days: CalendarDay[] = [];
  const problems: string[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(\S+)\s+(.+)$/.exec(line);
    if (!m) problems.push(`line ${i + 1}: write “YYYY-MM-DD 名称”, e.g. “2027-01-01 元旦”`);
    else days.push({ date: m[1]!, name: m[2]!.trim() });
  }
  return { days, problems };
}

const linesOf = (days: readonly CalendarDay[]) => days.map((d) => `${d.date} ${d.name}`).join('\n');

function NoticeForm({ years, onDone }: { years: CalendarYearRow[]; onDone(): void }) {
  const enter = useMutation<{ enterCalendarNotice: { year: CalendarYearRow; recomputed: Recomputed[] } }>(Q.ENTER_CALENDAR_NOTICE);
  const next = years.find((y) => y.source === 'PROVISIONAL') ?? years[years.length - 1];
  const [form, setForm] = useState({ year: String(next?.year ?? ''), holidays: '', workdays: '', reason: '' });
  const [problems, setProblems] = useState<string[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const holidays = parseCalendarLines(form.holidays);
    const workdays = parseCalendarLines(form.workdays);
    const found = [...holidays.problems.map((p) => `放假：${p}`), ...workdays.problems.map((p) => `调休上班：${p}`)];
    if (!/^\d{4}$/.test(form.year)) found.push('年份写四位数字');
    if (!form.reason.trim()) found.push('写明理由（通知文号）');
    setProblems(found);
    setDone(null);
    if (found.length) return;
    const result = await enter.run({ year: Number(form.year), h: holidays.days, w: workdays.days, reason: form.reason.trim() });
    if (!result) return;
    const moved = result.enterCalendarNotice.recomputed.filter((r) => r.dueDate !== r.oldDueDate);
    setDone(`${form.year} 年通知已录入；重新计算 ${result.enterCalendarNotice.recomputed.length} 个未结期限，其中 ${moved.length} 个顺延（期限不会提前）。`);
    onDone();
  };
  const prefill = (year: string) => {
    const known = years.find((y) => String(y.year) === year && y.source !== 'PROVISIONAL');
    setForm({ ...form, year, holidays: known ? linesOf(known.holidays) : form.holidays, workdays: known ? linesOf(known.adjustedWorkdays) : form.workdays });
  };
  return (
    <form className="form panel" onSubmit={submit} noValidate data-testid="notice-form">
      <h2>录入放假通知</h2>
      {done && <Notice kind="success" testId="notice-entered">{done}</Notice>}
      {problems.length > 0 && <Notice kind="warning" testId="notice-problems">{problems.map((p) => <div key={p}>{p}</div>)}</Notice>}
      <ErrorBox error={enter.error} title="通知未录入" />
      <Field label="年份" htmlFor="notice-year"><input id="notice-year" value={form.year} onChange={(e) => prefill(e.target.value)} inputMode="numeric" /></Field>
      <Field label="放假日期" htmlFor="notice-holidays" hint="每行一天：YYYY-MM-DD 名称，如 2027-02-06 春节">
        <textarea id="notice-holidays" rows={8} value={form.holidays} onChange={(e) => setForm({ ...form, holidays: e.target.value })} spellCheck={false} />
      </Field>
      <Field label="调休上班日" htmlFor="notice-workdays" hint="周六或周日上班，每行一天：YYYY-MM-DD 名称（所补的节日）">
        <textarea id="notice-workdays" rows={4} value={form.workdays} onChange={(e) => setForm({ ...form, workdays: e.target.value })} spellCheck={false} />
      </Field>
      <Field label="理由" htmlFor="notice-reason" hint="通知名称与文号，记入审计">
        <input id="notice-reason" value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />
      </Field>
      <div className="actions"><button type="submit" disabled={enter.busy} data-testid="notice-submit">录入通知</button></div>
    </form>
  );
}

export function CalendarPage() {
  const { session } = useSession();
  const years = useQuery<{ calendarYears: CalendarYearRow[] }>(Q.CALENDAR_YEARS);
  return (
    <section>
      <PageHeader title="Working-day calendar 工作日历">
        Deadlines count working days. A year without the State Council's notice is <strong>暂定 (provisional)</strong>: weekends and the statutory
        holidays known in advance, without adjusted working days. Entering the notice recomputes every open deadline; none moves earlier.
      </PageHeader>
      <Async value={years} what="the calendar">
        {({ calendarYears }) => (
          <>
            <DataTable rows={calendarYears} rowKey={(y) => String(y.year)} empty="—" testId="calendar-years" rowTestId={(y) => `calendar-year-${y.year}`} columns={[
              { header: '年份', render: (y) => y.year },
              { header: '来源', render: (y) => <Badge value={y.source === 'PROVISIONAL' ? 'PENDING' : y.source === 'NOTICE' ? 'ACCEPTED' : 'CONFIRMED'} label={SOURCE_LABEL[y.source]} /> },
              { header: '放假', render: (y) => <span title={linesOf(y.holidays)}>{y.holidays.length} 天</span> },
              { header: '调休上班', render: (y) => (y.adjustedWorkdays.length ? y.adjustedWorkdays.map((d) => d.date).join(', ') : <span className="muted">—</span>) },
              { header: '录入', render: (y) => (y.enteredBy ? <>{y.enteredBy} · {formatTime(y.enteredAt)}<div className="muted">{y.reason}</div></> : <span className="muted">—</span>) },
            ]} />
            {session.me.kind === 'PLATFORM_ADMIN' && <NoticeForm years={calendarYears} onDone={years.reload} />}
          </>
        )}
      </Async>
    </section>
  );
}
