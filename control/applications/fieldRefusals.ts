/**
 * Field refusals (R5): every field an answer leaves out — a field a partial approval does not
 * grant, each field of a rejection, each not-shared field refused at once — carries its legal
 * ground and a text saying why, which the consumer, the provider and the coordinating office
 * read, and on which the consumer may contest that field alone (fieldContests.ts).
 *
 * Glossary:
 * - refusal: one field of one application that was not granted, with its ground and text.
 * - ground: the legal reason for not sharing, from the closed list the measures allow
 *   (`REFUSAL_GROUNDS`); LAW_OR_REGULATION names the law or regulation.
 * - contest: the consumer's request that the coordinating office decide one refused field.
 */
import { GraphQLError } from 'graphql';
import type { Kysely, Transaction } from 'kysely';
import { ErrorCode } from '../../lib/errors.ts';
import type { FieldPolicy } from '../../policies/model.ts';
import type { PlatformDatabase } from '../store/platformStore.ts';

/**
 * The grounds on which a department may refuse another's request to share. 000 art. 13: "except
 * those involving state secrets, commercial secrets, personal privacy or other legal reasons,
 * the administrative organ shall not refuse the request"; 003 (template art. 10): 对不予共享的,
 * 提供部门应说明理由; 003 (Changsha art. 7(二)): 不予共享须有法律、行政法规和国家、省相关政策依据.
 */
export const REFUSAL_GROUNDS = ['STATE_SECRET', 'PERSONAL_PRIVACY', 'COMMERCIAL_SECRET', 'LAW_OR_REGULATION', 'OTHER'] as const;
export type RefusalGround = (typeof REFUSAL_GROUNDS)[number];

/** The longest refusal text or law name kept. */
const MAX_TEXT = 2000;

export interface FieldRefusalInput {
  readonly coordinate: string;
  readonly ground: RefusalGround;
  /** Required with LAW_OR_REGULATION: the law or regulation, e.g. 《中华人民共和国个人信息保护法》第二十八条. */
  readonly lawName?: string | null;
  readonly text: string;
}

export interface FieldRefusal {
  readonly coordinate: string;
  readonly ground: RefusalGround;
  readonly lawName: string | null;
  readonly text: string;
  readonly refusedAt: string;
  readonly refusedBy: string;
}

export type FieldContestStatus = 'OPEN' | 'GRANTED' | 'UPHELD';

export interface FieldContest {
  readonly coordinate: string;
  readonly reason: string;
  readonly contestedAt: string;
  readonly contestedBy: string;
  readonly status: FieldContestStatus;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
  readonly decisionReason: string | null;
  readonly grantedUntil: string | null;
}

/** The tables of migration 009_field_refusals, beside the platform's own. */
export interface FieldRefusalTables {
  application_field_refusals: {
    application_id: string; coordinate: string; ground: string; law_name: string | null; text: string; refused_at: string; refused_by: string;
  };
  application_field_contests: {
    application_id: string; coordinate: string; reason: string; contested_at: string; contested_by: string; status: string;
    decided_at: string | null; decided_by: string | null; decision_reason: string | null; granted_until: string | null;
  };
}
export type FieldRefusalDatabase = PlatformDatabase & FieldRefusalTables;

/** The platform database (or a transaction on it) seen with the field refusal tables. */
export function withRefusalTables(db: Kysely<PlatformDatabase>): Kysely<FieldRefusalDatabase>;
export function withRefusalTables(db: Transaction<PlatformDatabase>): Transaction<FieldRefusalDatabase>;
export function withRefusalTables(db: Kysely<PlatformDatabase> | Transaction<PlatformDatabase>): Kysely<FieldRefusalDatabase> {
  return db as unknown as Kysely<FieldRefusalDatabase>;
}

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

/** The problems of each given refusal (not the fields' coverage), as sentences naming the field. */
function refusalProblems(requested: readonly string[], refused: readonly string[], given: readonly FieldRefusalInput[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const r of given) {
    const c = r.coordinate?.trim() ?? '';
    if (!requested.includes(c)) problems.push(`${JSON.stringify(c)} was not applied for; refusals are for fields of the application: ${requested.join(', ')}`);
    else if (!refused.includes(c)) problems.push(`${c} is granted: a refusal is only for a field left out`);
    if (seen.has(c)) problems.push(`${c} has more than one refusal`);
    seen.add(c);
    if (!REFUSAL_GROUNDS.includes(r.ground)) problems.push(`${c}: ground ${JSON.stringify(r.ground)} is not one of ${REFUSAL_GROUNDS.join(', ')}`);
    if (!r.text?.trim()) problems.push(`${c}: say why it is refused (text)`);
    if (r.ground === 'LAW_OR_REGULATION' && !r.lawName?.trim()) problems.push(`${c}: name the law or regulation (lawName) that forbids sharing it`);
    if ((r.text?.length ?? 0) > MAX_TEXT || (r.lawName?.length ?? 0) > MAX_TEXT) problems.push(`${c}: the text and law name are at most ${MAX_TEXT} characters`);
  }
  return problems;
}

function normalized(r: FieldRefusalInput): FieldRefusalInput {
  return { coordinate: r.coordinate.trim(), ground: r.ground, lawName: r.ground === 'LAW_OR_REGULATION' ? r.lawName!.trim() : r.lawName?.trim() || null, text: r.text.trim() };
}

/**
 * The refusals of a partial approval: one for each requested field not approved, each with a
 * ground and text (R5; 000 art. 13). Throws BAD_USER_INPUT naming every field without one.
 */
export function refusalsForApproval(
  requested: readonly string[], approved: readonly string[], given: readonly FieldRefusalInput[] | null | undefined, reason?: string | null,
): FieldRefusalInput[] {
  const refused = requested.filter((c) => !approved.includes(c));
  const list = given ?? [];
  const problems = refusalProblems(requested, refused, list);
  const missing = refused.filter((c) => !list.some((r) => r.coordinate?.trim() === c));
  // A client that gives only the approval's reason (as before refusals existed) keeps working:
  // its reason is the text of each field left out, on ground OTHER, as for a rejection.
  const fallback = reason?.trim() ? reason.trim() : null;
  if (missing.length && !fallback) {
    problems.unshift(`every field left out of an approval needs a refusal with its legal ground and text, or the approval's reason (R5); none was given for ${missing.join(', ')}`);
  }
  if (problems.length) throw badInput(`the approval was not recorded: ${problems.join('; ')}`);
  return [...list.map(normalized), ...missing.map((c) => ({ coordinate: c, ground: 'OTHER' as const, lawName: null, text: fallback! }))];
}

/**
 * The refusals of a rejection: every field is refused; a field without its own refusal is
 * refused on ground OTHER with the rejection's reason (so older clients keep working).
 */
export function refusalsForRejection(requested: readonly string[], reason: string, given: readonly FieldRefusalInput[] | null | undefined): FieldRefusalInput[] {
  const list = given ?? [];
  const problems = refusalProblems(requested, requested, list);
  if (problems.length) throw badInput(`the rejection was not recorded: ${problems.join('; ')}`);
  const own = list.map(normalized);
  return requested.map((c) => own.find((r) => r.coordinate === c) ?? { coordinate: c, ground: 'OTHER', lawName: null, text: reason.trim() });
}

/** The refusals of fields classed not shared, refused at once by the platform: their recorded basis. */
export function notSharedRefusals(coordinates: readonly string[], policyOf: (coordinate: string) => FieldPolicy | undefined): FieldRefusalInput[] {
  return coordinates.map((coordinate) => {
    const basis = policyOf(coordinate)?.basis?.trim();
    return basis
      ? { coordinate, ground: 'LAW_OR_REGULATION', lawName: basis, text: '列入不予共享类 (classed not shared)' }
      : { coordinate, ground: 'OTHER', lawName: null, text: '列入不予共享类 (classed not shared); no legal basis is recorded for it' };
  });
}

export async function recordRefusals(trx: Transaction<PlatformDatabase>, applicationId: string, refusals: readonly FieldRefusalInput[], at: Date, actor: string): Promise<void> {
  const db = withRefusalTables(trx);
  for (const r of refusals) {
    await db.insertInto('application_field_refusals').values({
      application_id: applicationId, coordinate: r.coordinate, ground: r.ground, law_name: r.lawName ?? null, text: r.text, refused_at: at.toISOString(), refused_by: actor,
    }).execute();
  }
}

/** The refusals and contests of some applications, by application id. */
export async function fieldDecisionsOf(db: Kysely<PlatformDatabase>, applicationIds: readonly string[]): Promise<Map<string, { refusals: FieldRefusal[]; contests: FieldContest[] }>> {
  const byApplication = new Map(applicationIds.map((id) => [id, { refusals: [] as FieldRefusal[], contests: [] as FieldContest[] }]));
  if (applicationIds.length === 0) return byApplication;
  const tables = withRefusalTables(db);
  const [refusals, contests] = await Promise.all([
    tables.selectFrom('application_field_refusals').selectAll().where('application_id', 'in', [...applicationIds]).execute(),
    tables.selectFrom('application_field_contests').selectAll().where('application_id', 'in', [...applicationIds]).execute(),
  ]);
  for (const r of refusals) {
    byApplication.get(r.application_id)?.refusals.push({
      coordinate: r.coordinate, ground: r.ground as RefusalGround, lawName: r.law_name, text: r.text, refusedAt: r.refused_at, refusedBy: r.refused_by,
    });
  }
  for (const c of contests) {
    byApplication.get(c.application_id)?.contests.push({
      coordinate: c.coordinate, reason: c.reason, contestedAt: c.contested_at, contestedBy: c.contested_by, status: c.status as FieldContestStatus,
      decidedAt: c.decided_at, decidedBy: c.decided_by, decisionReason: c.decision_reason, grantedUntil: c.granted_until,
    });
  }
  return byApplication;
}

/** Applications with a field contest the coordinating office has not decided: they are in its escalations. */
export async function applicationsWithOpenFieldContests(db: Kysely<PlatformDatabase>): Promise<string[]> {
  const rows = await withRefusalTables(db).selectFrom('application_field_contests').select('application_id').distinct().where('status', '=', 'OPEN').execute();
  return rows.map((r) => r.application_id);
}
