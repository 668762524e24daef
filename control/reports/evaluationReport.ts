/**
 * The yearly evaluation of a department (R11): how much it provides and uses, how timely its
 * catalogue and data are, how it answers applications and objections, and the violations the
 * measures list — catalogue not updated, applications left unanswered, inconsistent data,
 * data not provided, use beyond purpose (signs: many denials) — with improvement advice.
 *
 * Pure: it reads what the stores hold, given to it as data; JSON, CSV and an SVG chart come out.
 *
 * Glossary:
 * - on time: an application answered by its due date (R5); a catalogue
 *   update closed by its due date (R3); an objection resolved by its due date — each its own, set when it opened. The
 *   report's texts name the working days in force (the platform settings).
 * - inconsistent data (R11, 003 art. 21(4): data "inconsistent with what the department holds,
 *   not updated in time"): an objection received in the year and resolved CORRECTED after its
 *   due date, or still OPEN after its due date on the report's day. A correction made in time
 *   is the feedback mechanism working (R9), not a violation; an open objection within its
 *   deadline counts nothing; a late CONFIRMED is counted as resolved late (a timeliness figure
 *   with advice) but the data stood, so it is not inconsistent data.
 * - partial: the report of the current year (its figures are to date).
 * - usage: gateway requests per consumer and provider from the audit trail; absent when the
 *   audit trail is not available, and then said so rather than shown as zero.
 */
import type { FieldPolicy } from '../../policies/model.ts';
import type { ApplicationRecord } from '../applications/applicationService.ts';
import type { ObjectionRecord } from '../objections/objectionService.ts';
import type { CatalogueEntry, CatalogueUpdate } from '../catalogue/model.ts';
import { SETTING_DEFAULTS } from '../settings/settingDefinitions.ts';
import type { NeedRecord } from '../needs/needsRegister.ts';
import type { CatalogueReview } from '../catalogue/catalogueReview.ts';

export interface UsageRow {
  readonly consumer: string;
  readonly provider: string;
  readonly requests: number;
  readonly deniedFields: number;
}

export interface EvaluationInputs {
  readonly department: { readonly code: string; readonly name: string };
  readonly year: number;
  readonly fields: readonly FieldPolicy[];
  readonly entries: readonly CatalogueEntry[];
  readonly updates: readonly CatalogueUpdate[];
  readonly applications: readonly ApplicationRecord[];
  readonly objections: readonly ObjectionRecord[];
  /** From the audit trail; null when it is not available. */
  readonly usage: readonly UsageRow[] | null;
  /** Sharing needs (issue 21: 000 art. 9, 13); absent: counted as none. */
  readonly needs?: readonly NeedRecord[];
  /** Reviews of catalogue changes (issue 21: 001 art. 9–10); absent: counted as none. */
  readonly reviews?: readonly CatalogueReview[];
  /** The department that reviews catalogue changes (the coordinating office). @default 'dgo' */
  readonly reviewer?: string;
  /** ISO date the report is made on (China). */
  readonly today: string;
  /** The working days in force (platform settings) the texts name. @default the settings' defaults */
  readonly deadlines?: { readonly catalogueUpdateWorkingDays: number; readonly applicationAnswerWorkingDays: number };
}

export interface Violation {
  readonly kind: 'CATALOGUE_NOT_UPDATED' | 'CATALOGUE_REVIEW_LATE' | 'APPLICATIONS_UNANSWERED' | 'NEEDS_UNANSWERED' | 'INCONSISTENT_DATA' | 'DATA_NOT_PROVIDED' | 'USE_BEYOND_PURPOSE_SIGNS';
  readonly detail: string;
}

export interface EvaluationReport {
  readonly department: string;
  readonly departmentName: string;
  readonly year: number;
  readonly generatedOn: string;
  /** The year is not over on generatedOn: its figures are to date. */
  readonly partial: boolean;
  readonly provided: { readonly unconditional: number; readonly conditional: number; readonly notShared: number; readonly unclassified: number };
  readonly catalogue: {
    readonly entries: number; readonly staleEntries: number; readonly updatesOnTime: number; readonly updatesLate: number; readonly updatesOverdueOpen: number;
    /** Issue 21: changes submitted for review in the year, and returned with reasons (as the provider). */
    readonly changesSubmitted?: number; readonly changesReturned?: number;
    /** Issue 21: reviews decided by their due date, decided late or pending past it (the reviewer's report only). */
    readonly reviewsOnTime?: number; readonly reviewsLate?: number;
  };
  readonly applicationsAnswered: { readonly received: number; readonly onTime: number; readonly late: number; readonly escalatedUnanswered: number; readonly pending: number };
  readonly applicationsMade: { readonly made: number; readonly granted: number; readonly refused: number; readonly pending: number };
  readonly objections: {
    readonly received: number; readonly resolvedOnTime: number; readonly resolvedLate: number; readonly corrected: number; readonly open: number; readonly raised: number;
    readonly correctedOnTime: number; readonly correctedLate: number; readonly confirmedLate: number; readonly openOverdue: number; readonly openWithinDeadline: number;
  };
  /**
   * Sharing needs (000 art. 13): consultations received as the consulted provider in the year —
   * answered by their due date, after it, or sent unanswered to the coordinating office — and
   * needs stated as the consumer.
   */
  readonly needs: { readonly received: number; readonly answeredOnTime: number; readonly answeredLate: number; readonly escalatedUnanswered: number; readonly open: number; readonly stated: number };
  readonly usage: { readonly available: boolean; readonly asProvider: number; readonly asConsumer: number; readonly deniedFieldsAsConsumer: number; readonly byConsumer: readonly UsageRow[] };
  readonly violations: readonly Violation[];
  readonly advice: readonly string[];
}

const inYear = (iso: string | null | undefined, year: number) => !!iso && iso.slice(0, 4) === String(year);
const chinaDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

/** Denied fields per request above this share is a sign of use beyond purpose (R11). */
export const DENIAL_SIGN_RATIO = 0.2;

export function evaluate(input: EvaluationInputs): EvaluationReport {
  const d = input.department.code;
  const own = input.fields.filter((f) => f.provider === d && f.origin !== 'KEY');
  const provided = {
    unconditional: own.filter((f) => f.sharingClass === 'UNCONDITIONAL').length,
    conditional: own.filter((f) => f.sharingClass === 'CONDITIONAL' && f.origin !== 'UNCLASSIFIED').length,
    notShared: own.filter((f) => f.sharingClass === 'NOT_SHARED').length,
    unclassified: own.filter((f) => f.origin === 'UNCLASSIFIED').length,
  };

  const entries = input.entries.filter((e) => e.provider.code === d);
  const updates = input.updates.filter((u) => u.provider === d && (inYear(u.openedAt, input.year) || inYear(u.closedAt, input.year)));
  const closedOnTime = (u: CatalogueUpdate) => u.closedAt && u.dueDate && chinaDay(u.closedAt) <= u.dueDate;
  const catalogue = {
    entries: entries.length,
    staleEntries: entries.filter((e) => e.freshness.stale === true).length,
    updatesOnTime: updates.filter((u) => u.closedAt && closedOnTime(u)).length,
    updatesLate: updates.filter((u) => u.closedAt && !closedOnTime(u)).length,
    updatesOverdueOpen: updates.filter((u) => !u.closedAt && u.dueDate && u.dueDate < input.today).length,
    ...reviewFigures(input),
  };

  const received = input.applications.filter((a) => a.provider === d && inYear(a.submittedAt, input.year) && a.status !== 'REFUSED');
  const answeredByProvider = received.filter((a) => a.decidedAt && (a.status === 'APPROVED' || a.status === 'REJECTED' || (a.escalationCause === 'CONTESTED' && a.decidedAt)));
  const onTime = answeredByProvider.filter((a) => a.dueDate && chinaDay(a.decidedAt!) <= a.dueDate);
  const applicationsAnswered = {
    received: received.length,
    onTime: onTime.length,
    late: answeredByProvider.length - onTime.length,
    escalatedUnanswered: received.filter((a) => a.escalationCause === 'OVERDUE').length,
    pending: received.filter((a) => a.status === 'PENDING').length,
  };
  const made = input.applications.filter((a) => a.consumer === d && inYear(a.submittedAt, input.year));
  const applicationsMade = {
    made: made.length,
    granted: made.filter((a) => a.status === 'APPROVED' || a.status === 'GRANTED_ON_ARBITRATION').length,
    refused: made.filter((a) => a.status === 'REJECTED' || a.status === 'REFUSED' || a.status === 'UPHELD_ON_ARBITRATION').length,
    pending: made.filter((a) => a.status === 'PENDING' || a.status === 'ESCALATED').length,
  };

  const objections = objectionFigures(input);
  const needs = needFigures(input);

  const usageRows = input.usage ?? [];
  const asConsumerRows = usageRows.filter((u) => u.consumer === d);
  const usage = {
    available: input.usage !== null,
    asProvider: usageRows.filter((u) => u.provider === d).reduce((s, u) => s + u.requests, 0),
    asConsumer: asConsumerRows.reduce((s, u) => s + u.requests, 0),
    deniedFieldsAsConsumer: asConsumerRows.reduce((s, u) => s + u.deniedFields, 0),
    byConsumer: usageRows.filter((u) => u.provider === d).sort((a, b) => b.requests - a.requests),
  };

  const violations: Violation[] = [];
  const advice: string[] = [];
  const { catalogueUpdateWorkingDays: catalogueDays, applicationAnswerWorkingDays: answerDays } = input.deadlines
    ?? { catalogueUpdateWorkingDays: SETTING_DEFAULTS.CATALOGUE_UPDATE_WORKING_DAYS, applicationAnswerWorkingDays: SETTING_DEFAULTS.APPLICATION_ANSWER_WORKING_DAYS };
  if (catalogue.updatesOverdueOpen > 0 || catalogue.updatesLate > 0) {
    violations.push({ kind: 'CATALOGUE_NOT_UPDATED', detail: `${catalogue.updatesOverdueOpen} catalogue update(s) overdue and ${catalogue.updatesLate} closed late (R3: within ${catalogueDays} working days)` });
    advice.push(`Publish catalogue updates within ${catalogueDays} working days of a policy, legal-basis or function change; assign an owner per resource.`);
  }
  if (applicationsAnswered.escalatedUnanswered > 0 || applicationsAnswered.late > 0) {
    violations.push({ kind: 'APPLICATIONS_UNANSWERED', detail: `${applicationsAnswered.escalatedUnanswered} application(s) left unanswered past ${answerDays} working days and ${applicationsAnswered.late} answered late (R5)` });
    advice.push(`Answer sharing applications within ${answerDays} working days; check the inbox weekly and set a webhook for new applications.`);
  }
  // 001 art. 9–10, 002 art. 10: the competent department reviews and files catalogue changes in time.
  if ((catalogue.reviewsLate ?? 0) > 0) {
    violations.push({ kind: 'CATALOGUE_REVIEW_LATE', detail: `${catalogue.reviewsLate} catalogue change(s) reviewed after their due date or pending past it (001 art. 9–10; 002 art. 10)` });
    advice.push('Review and file providers\' catalogue changes by their due date (platform setting CATALOGUE_REVIEW_WORKING_DAYS).');
  }
  // 000 art. 13: a consultation on a need left unanswered is an answer refused without a ground.
  if (needs.escalatedUnanswered > 0 || needs.answeredLate > 0) {
    violations.push({ kind: 'NEEDS_UNANSWERED', detail: `${needs.escalatedUnanswered} consultation(s) on sharing needs left unanswered past their due date and ${needs.answeredLate} answered late (000 art. 13)` });
    advice.push('Answer consultations on other departments\' sharing needs by their due date; refuse only on a ground the measures admit.');
  }
  // R11: inconsistent data is data corrected late or left unverified past the deadline — never a correction in time.
  if (objections.correctedLate > 0 || objections.openOverdue > 0) {
    violations.push({ kind: 'INCONSISTENT_DATA', detail: `${objections.correctedLate} datum/data corrected after the objection's due date, ${objections.openOverdue} objection(s) still open past their due date (R9)` });
    advice.push('Cross-check overlapping sources at collection (R8) and resolve objections by their due date.');
  } else if (objections.confirmedLate > 0) {
    advice.push(`${objections.confirmedLate} objection(s) were confirmed after their due date: verify flagged data within the deadline (R9).`);
  }
  if (provided.unclassified > 0 || catalogue.staleEntries > 0) {
    violations.push({ kind: 'DATA_NOT_PROVIDED', detail: `${provided.unclassified} field(s) never classified (treated as conditional), ${catalogue.staleEntries} resource(s) older than their declared update cycle` });
    advice.push('Classify every field with its legal basis (R1) and keep data within its declared update cycle.');
  }
  if (usage.available && usage.asConsumer > 0 && usage.deniedFieldsAsConsumer / usage.asConsumer > DENIAL_SIGN_RATIO) {
    violations.push({ kind: 'USE_BEYOND_PURPOSE_SIGNS', detail: `${usage.deniedFieldsAsConsumer} denied fields over ${usage.asConsumer} requests: asking for data beyond the declared purpose or grants (R6)` });
    advice.push('Review apps that ask for fields they are not granted; apply for what a duty needs, declare the true purpose.');
  }
  if (!usage.available) advice.push('Usage figures need the access audit trail, which was not available for this report.');
  if (violations.length === 0) advice.push('No violation found; keep the catalogue and answers timely.');

  return {
    department: d, departmentName: input.department.name, year: input.year, generatedOn: input.today, partial: input.year >= Number(input.today.slice(0, 4)),
    provided, catalogue, applicationsAnswered, applicationsMade, objections, needs, usage, violations, advice,
  };
}

/** Catalogue changes submitted and returned (as the provider); reviews on time and late (as the reviewer), in the year. */
function reviewFigures(input: EvaluationInputs): Pick<EvaluationReport['catalogue'], 'changesSubmitted' | 'changesReturned' | 'reviewsOnTime' | 'reviewsLate'> {
  const d = input.department.code;
  const reviews = (input.reviews ?? []).filter((r) => !r.submittedBy.startsWith('system:') && (inYear(r.submittedAt, input.year) || inYear(r.decidedAt, input.year)));
  const own = reviews.filter((r) => r.provider === d);
  const reviewer = (input.reviewer ?? 'dgo') === d;
  const decided = reviews.filter((r) => r.status === 'FILED' || r.status === 'RETURNED');
  return {
    changesSubmitted: own.length,
    changesReturned: own.filter((r) => r.status === 'RETURNED').length,
    reviewsOnTime: reviewer ? decided.filter((r) => !r.late).length : 0,
    reviewsLate: reviewer ? reviews.filter((r) => r.late).length : 0,
  };
}

/** Consultations on sharing needs received as the provider in the year (on time: answered by the due date, China day); needs stated as the consumer. */
function needFigures(input: EvaluationInputs): EvaluationReport['needs'] {
  const d = input.department.code;
  const all = input.needs ?? [];
  const received = all.filter((n) => n.provider === d && n.consultedAt && inYear(n.consultedAt, input.year));
  const answered = received.filter((n) => n.answeredAt);
  const onTime = answered.filter((n) => n.consultationDue && chinaDay(n.answeredAt!) <= n.consultationDue);
  return {
    received: received.length,
    answeredOnTime: onTime.length,
    answeredLate: answered.length - onTime.length,
    escalatedUnanswered: received.filter((n) => n.escalatedAt && !n.answeredAt).length,
    open: received.filter((n) => n.status === 'CONSULTING').length,
    stated: all.filter((n) => n.consumer === d && inYear(n.statedAt, input.year)).length,
  };
}

/** Objections received as the provider in the year (on time: resolved by the due date, China day), and raised as the consumer. */
function objectionFigures(input: EvaluationInputs): EvaluationReport['objections'] {
  const d = input.department.code;
  const received = input.objections.filter((o) => o.provider === d && inYear(o.raisedAt, input.year));
  const resolved = received.filter((o) => o.resolvedAt);
  const late = (o: ObjectionRecord) => chinaDay(o.resolvedAt!) > o.dueDate;
  const open = received.filter((o) => o.status === 'OPEN');
  const corrected = resolved.filter((o) => o.status === 'CORRECTED');
  return {
    received: received.length,
    resolvedOnTime: resolved.filter((o) => !late(o)).length,
    resolvedLate: resolved.filter(late).length,
    corrected: corrected.length,
    open: open.length,
    raised: input.objections.filter((o) => o.consumer === d && inYear(o.raisedAt, input.year)).length,
    correctedOnTime: corrected.filter((o) => !late(o)).length,
    correctedLate: corrected.filter(late).length,
    confirmedLate: resolved.filter((o) => o.status === 'CONFIRMED' && late(o)).length,
    // Past due: the due day is the provider's to its end (China), as for applications.
    openOverdue: open.filter((o) => o.dueDate < input.today).length,
    openWithinDeadline: open.filter((o) => o.dueDate >= input.today).length,
  };
}

/** The languages the report's texts are made in: the reading department's setting (020_department_language). */
export type ReportLanguage = 'zh' | 'en';

/**
 * The report as CSV rows `section,measure,value` (UTF-8 with BOM, so spreadsheet programs read the
 * Chinese); the header row in the reader's language (zh: Chinese with the English in brackets),
 * the section and measure names stay the stable identifiers scripts read.
 */
export function reportCsv(report: EvaluationReport, language: ReportLanguage = 'zh'): string {
  const rows: [string, string, string | number | boolean][] = [['report', 'department', report.department], ['report', 'year', report.year], ['report', 'generatedOn', report.generatedOn]];
  rows.push(['report', 'partial', report.partial]);
  const section = (name: string, values: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(values)) if (typeof v !== 'object') rows.push([name, k, v as string | number | boolean]);
  };
  section('provided', report.provided);
  section('catalogue', report.catalogue);
  section('applicationsAnswered', report.applicationsAnswered);
  section('applicationsMade', report.applicationsMade);
  section('objections', report.objections);
  if (report.needs) section('needs', report.needs);
  section('usage', report.usage);
  for (const u of report.usage.byConsumer) rows.push(['usageByConsumer', u.consumer, u.requests]);
  report.violations.forEach((v) => rows.push(['violation', v.kind, v.detail]));
  report.advice.forEach((a, i) => rows.push(['advice', String(i + 1), a]));
  const cell = (v: string | number | boolean) => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const header = language === 'zh' ? '部分 (section),指标 (measure),值 (value)' : 'section,measure,value';
  return '\uFEFF' + [header, ...rows.map((r) => r.map(cell).join(','))].join('\r\n') + '\r\n';
}

/** A bar chart of the report's key figures, self-contained SVG (no fonts or scripts fetched). */
export function reportSvg(report: EvaluationReport, language: ReportLanguage = 'zh'): string {
  const zh = language === 'zh';
  const bars: [string, number, string][] = [
    [zh ? '无条件共享字段' : 'Unconditional fields', report.provided.unconditional, '#2e7d32'],
    [zh ? '有条件共享字段' : 'Conditional fields', report.provided.conditional, '#f9a825'],
    [zh ? '不予共享字段' : 'Not-shared fields', report.provided.notShared, '#c62828'],
    [zh ? '收到的共享申请' : 'Applications received', report.applicationsAnswered.received, '#1565c0'],
    [zh ? '…按期答复' : '…answered on time', report.applicationsAnswered.onTime, '#2e7d32'],
    [zh ? '…逾期或未答复' : '…late or unanswered', report.applicationsAnswered.late + report.applicationsAnswered.escalatedUnanswered, '#c62828'],
    [zh ? '目录按期更新' : 'Catalogue updates on time', report.catalogue.updatesOnTime, '#2e7d32'],
    [zh ? '…逾期或超期未更新' : '…late or overdue', report.catalogue.updatesLate + report.catalogue.updatesOverdueOpen, '#c62828'],
    [zh ? '收到的异议' : 'Objections received', report.objections.received, '#6a1b9a'],
    [zh ? '提供服务的请求' : 'Requests served', report.usage.asProvider, '#1565c0'],
  ];
  const max = Math.max(1, ...bars.map(([, v]) => v));
  const width = 720;
  const rowHeight = 26;
  const left = 220;
  const chart = width - left - 80;
  const esc = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
  const body = bars.map(([label, value, color], i) => {
    const y = 50 + i * rowHeight;
    const w = Math.round((value / max) * chart);
    return `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${esc(label)}</text><rect x="${left}" y="${y + 3}" width="${w}" height="16" fill="${color}"/><text x="${left + w + 6}" y="${y + 15}">${value}</text>`;
  }).join('');
  const height = 60 + bars.length * rowHeight + 20 + report.violations.length * 18;
  const violations = report.violations.map((v, i) => `<text x="20" y="${70 + bars.length * rowHeight + i * 18}" fill="#c62828">${esc(`⚠ ${v.kind}: ${v.detail}`)}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`
    + `<rect width="100%" height="100%" fill="#fff"/><text x="20" y="28" font-size="16" font-weight="bold">${esc(zh ? `${report.departmentName}(${report.department})${report.year} 年度共享评估` : `${report.departmentName} (${report.department}) — evaluation ${report.year}`)}</text>`
    + body + violations + '</svg>';
}
