/**
 * Doubt and error feedback (R9): a consumer flags a datum it believes wrong — the field, the
 * record's key, what it saw and what it expected; the providing department (the one
 * authoritative collector, R8) verifies it and either corrects its data or confirms it, with
 * a note; every department that read that datum recently is told. Meanwhile the citizen's
 * business goes on: an objection never blocks reading.
 *
 * Glossary:
 * - objection: one flagged datum (field coordinate × record key), raised by a consumer department.
 * - resolution: CORRECTED (the provider changed its data) or CONFIRMED (the data stands), with a note.
 */
import { randomUUID } from 'node:crypto';
import { queueNotification } from '../notifications/queueNotification.ts';
import { correctionValues, recordResolution } from './correction.ts';
import { escalateOverdueObjections } from './escalation.ts';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errors.ts';
import type { PolicySnapshot } from '../../policies/snapshot.ts';
import { decideField } from '../../policies/decide.ts';
import { chinaDate, type WorkingDayCalendar } from '../../policies/workingDays.ts';
import type { Identity, PlatformDatabase, PlatformStore } from '../store/platformStore.ts';
import { DEFAULT_SETTINGS, SETTING_DEFAULTS, type SettingsReader } from '../settings/settingDefinitions.ts';

/**
 * Working days a provider has to verify a flagged datum, by default (the measures say "timely"
 * and fix no number: 10, as for an application); the setting OBJECTION_VERIFICATION_WORKING_DAYS
 * is in force, read when the objection is raised.
 */
export const OBJECTION_WORKING_DAYS = SETTING_DEFAULTS.OBJECTION_VERIFICATION_WORKING_DAYS;

export type ObjectionStatus = 'OPEN' | 'CORRECTED' | 'CONFIRMED';

export interface ObjectionRecord {
  readonly id: string; readonly consumer: string; readonly provider: string; readonly raisedBy: string; readonly coordinate: string;
  readonly entityKey: string; readonly observedValue: string | null; readonly expectedValue: string | null; readonly description: string;
  readonly status: ObjectionStatus; readonly raisedAt: string; readonly dueDate: string; readonly resolvedAt: string | null;
  readonly resolvedBy: string | null; readonly resolutionNote: string | null;
}

/** Departments that read a datum recently, to be told of its correction (from the audit trail when present). */
export type ReadersOf = (coordinate: string, entityKey: string) => Promise<readonly string[]>;

export class ObjectionService {
  constructor(private readonly options: { store: PlatformStore; calendar: WorkingDayCalendar; snapshot: () => PolicySnapshot; readersOf?: ReadersOf; clock?: () => Date; settings?: SettingsReader }) {}

  private get now(): Date {
    return this.options.clock?.() ?? new Date();
  }

  async raise(identity: Identity, input: { coordinate: string; entityKey: string; observedValue?: string | null; expectedValue?: string | null; description: string }): Promise<ObjectionRecord> {
    const policy = this.options.snapshot().fields.get(input.coordinate);
    if (!policy) throw new GraphQLError(`${JSON.stringify(input.coordinate)} is not a field of the supergraph`, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
    if (!input.entityKey.trim()) throw new GraphQLError('name the record: its key (idNumber, creditCode, unitNo or licenceNo)', { extensions: { code: ErrorCode.BAD_USER_INPUT } });
    if (!input.description.trim()) throw new GraphQLError('describe what is wrong', { extensions: { code: ErrorCode.BAD_USER_INPUT } });
    if (policy.provider === identity.department) throw new GraphQLError('this is your own department\'s data: correct it directly', { extensions: { code: ErrorCode.BAD_USER_INPUT } });
    await this.requireUsed(identity.department, input.coordinate, input.entityKey.trim());
    const id = `obj-${randomUUID()}`;
    const at = this.now;
    const verifyDays = await (this.options.settings ?? DEFAULT_SETTINGS).value('OBJECTION_VERIFICATION_WORKING_DAYS');
    const row: PlatformDatabase['objections'] = {
      id, consumer: identity.department, provider: policy.provider, raised_by: `${identity.department}:${identity.credentialId}`, coordinate: input.coordinate,
      entity_key: input.entityKey.trim(), observed_value: input.observedValue ?? null, expected_value: input.expectedValue ?? null, description: input.description.trim(),
      status: 'OPEN', raised_at: at.toISOString(), due_date: this.options.calendar.addWorkingDays(chinaDate(at), verifyDays),
      resolved_at: null, resolved_by: null, resolution: null, resolution_note: null,
    };
    await this.options.store.db.transaction().execute(async (trx) => {
      await trx.insertInto('objections').values(row).execute();
      // The record's key and the description concern a citizen: they stay in the objection, which only its parties read.
      await queueNotification(trx, [policy.provider], 'OBJECTION_RAISED', `objection ${id}: ${identity.department} flags ${input.coordinate} of one record as wrong (verify by ${row.due_date}); the record and the description are in the objection`, at, { objectionId: id });
    });
    return toRecord(row);
  }

  /**
   * R9 concerns data the consumer used: the raiser's department must have been returned this
   * field of this record (the audit trail, R10, says so) — which also shows the record exists
   * and the department was entitled to it. Without it an objection would be a way to probe
   * whether a key exists, or to bother a provider about data one may not read. One answer for
   * "never read", "may not read" and "no such record", so the refusal tells nothing of the key.
   * Without an audit trail (a store-only setup), the policy must at least let the department
   * read the field for some purpose.
   */
  private async requireUsed(department: string, coordinate: string, entityKey: string): Promise<void> {
    const refuse = () => new GraphQLError(
      `${department} has not been returned ${coordinate} of this record in the last 365 days: an objection (R9) concerns data your department used — read it through /graphql for a declared purpose first, then flag it`,
      { extensions: { code: ErrorCode.FORBIDDEN } },
    );
    if (this.options.readersOf) {
      if (!(await this.options.readersOf(coordinate, entityKey)).includes(department)) throw refuse();
      return;
    }
    const snapshot = this.options.snapshot();
    const readable = [...snapshot.purposes].some((purpose) => decideField(snapshot, { department, app: 'objection', purpose, caseId: 'objection' }, coordinate).allowed);
    if (!readable) throw refuse();
  }

  /**
   * The provider resolves: CORRECTED with the datum's value before and after (R9: what the
   * readers must fix in their own files), or CONFIRMED; the consumer and the departments that
   * read that datum are told, and may see the correction (correction.ts).
   */
  async resolve(identity: Identity, id: string, resolution: 'CORRECTED' | 'CONFIRMED', note: string, values: { valueBefore?: string | null; valueAfter?: string | null } = {}): Promise<ObjectionRecord> {
    const current = await this.get(id);
    if (!current) throw new GraphQLError(`no objection ${id}`, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
    if (identity.kind !== 'DEPARTMENT_ADMIN' || identity.department !== current.provider) {
      throw new GraphQLError(`only an administrator of ${current.provider}, the data's collector (R8), resolves this objection`, { extensions: { code: ErrorCode.FORBIDDEN } });
    }
    if (!note.trim()) throw new GraphQLError('say what was verified and, if corrected, what changed', { extensions: { code: ErrorCode.BAD_USER_INPUT } });
    const correction = correctionValues(resolution, values);
    const readers = ((await this.options.readersOf?.(current.coordinate, current.entityKey)) ?? []).filter((d) => d !== current.provider && d !== current.consumer);
    const at = this.now;
    await this.options.store.db.transaction().execute(async (trx) => {
      const result = await trx.updateTable('objections')
        .set({ status: resolution, resolution, resolution_note: note.trim(), resolved_at: at.toISOString(), resolved_by: `${identity.department}:${identity.credentialId}` })
        .where('id', '=', id).where('status', '=', 'OPEN').executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new GraphQLError(`objection ${id} is already ${current.status.toLowerCase()}`, { extensions: { code: ErrorCode.CONFLICT } });
      await recordResolution(trx, id, correction, readers, at);
      // R9: the provider tells the consumers of that datum. The values stay in the objection
      // (correction.ts says why): the notification names the objection and the field only.
      await queueNotification(trx, [current.consumer, ...readers], `OBJECTION_${resolution}`,
        `异议 ${id}：${current.provider} 已${resolution === 'CORRECTED' ? '更正' : '核实并确认'} ${current.coordinate}（一条记录）${resolution === 'CORRECTED' ? '；更正前后的值见该异议的更正记录' : ''}`, at,
        { objectionId: id }, { objectionId: id, coordinate: current.coordinate, provider: current.provider, resolution, correctionRecorded: correction !== null });
    });
    return (await this.get(id))!;
  }

  /** R9, R11: escalates every objection open past its due date to the coordinating office (escalation.ts). */
  escalateOverdue(): Promise<string[]> {
    return escalateOverdueObjections(this.options.store.db, this.now);
  }

  async get(id: string): Promise<ObjectionRecord | null> {
    const row = await this.options.store.db.selectFrom('objections').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async list(identity: Identity, status?: ObjectionStatus | null): Promise<ObjectionRecord[]> {
    let query = this.options.store.db.selectFrom('objections').selectAll().orderBy('raised_at', 'desc').limit(1000);
    if (status) query = query.where('status', '=', status);
    if (identity.kind !== 'PLATFORM_ADMIN') query = query.where((eb) => eb.or([eb('consumer', '=', identity.department), eb('provider', '=', identity.department)]));
    return (await query.execute()).map(toRecord);
  }
}

function toRecord(r: PlatformDatabase['objections']): ObjectionRecord {
  return {
    id: r.id, consumer: r.consumer, provider: r.provider, raisedBy: r.raised_by, coordinate: r.coordinate, entityKey: r.entity_key,
    observedValue: r.observed_value, expectedValue: r.expected_value, description: r.description, status: r.status as ObjectionStatus,
    raisedAt: r.raised_at, dueDate: r.due_date, resolvedAt: r.resolved_at, resolvedBy: r.resolved_by, resolutionNote: r.resolution_note,
  };
}
