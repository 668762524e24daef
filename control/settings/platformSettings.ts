/**
 * The platform's versioned settings (settingDefinitions.ts), in the platform store: the value
 * in force is read from the database on each use (one indexed row), so a change made on any
 * replica applies on every replica from the next deadline set, without a restart or a poll.
 */
import { GraphQLError } from 'graphql';
import type { Kysely } from 'kysely';
import { ErrorCode } from '../../lib/errors.ts';
import type { PlatformDatabase } from '../store/platformStore.ts';
import { NO_CHANGE_FEED, type ChangeFeed } from '../../storage/changeFeed.ts';
import { SETTING_DEFAULTS, SETTING_DEFINITIONS, SETTING_KEYS, settingDefinition, type SettingKey, type SettingsReader, type SettingValues } from './settingDefinitions.ts';

/** The table of migration 008_settings. */
export type SettingVersionsTable = {
  setting_versions: { version: number; values_json: string; changes_json: string; actor: string; reason: string; created_at: string };
};

export interface SettingChange {
  readonly key: SettingKey;
  readonly from: number;
  readonly to: number;
}

export interface SettingsVersion {
  /** 0: the defaults, no change made yet. */
  readonly version: number;
  readonly values: SettingValues;
  readonly changes: readonly SettingChange[];
  readonly actor: string;
  readonly reason: string;
  readonly at: string | null;
}

const DEFAULTS_VERSION: SettingsVersion = { version: 0, values: SETTING_DEFAULTS, changes: [], actor: 'system:defaults', reason: 'the defaults of the measures', at: null };

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

export class PlatformSettings implements SettingsReader {
  private readonly db: Kysely<PlatformDatabase & SettingVersionsTable>;
  private readonly clock: () => Date;
  private readonly changes: ChangeFeed;

  /** `changes`: where a new version is announced (`settings`) to whoever keeps settings in memory. */
  constructor(db: Kysely<PlatformDatabase>, options: { clock?: () => Date; changes?: ChangeFeed } = {}) {
    this.db = db.withTables<SettingVersionsTable>();
    this.clock = options.clock ?? (() => new Date());
    this.changes = options.changes ?? NO_CHANGE_FEED;
  }

  /** The version in force. */
  async current(): Promise<SettingsVersion> {
    const row = await this.db.selectFrom('setting_versions').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
    return row ? toVersion(row) : DEFAULTS_VERSION;
  }

  async value(key: SettingKey): Promise<number> {
    return (await this.current()).values[key];
  }

  /**
   * The values in force at a moment (the newest version made at or before it): a deadline
   * recomputed later counts the working days that applied when its case was opened.
   */
  async valuesAt(): Promise<(at: string) => SettingValues> {
    const versions = await this.history();
    return (at) => (versions.find((v) => v.at === null || v.at <= at) ?? DEFAULTS_VERSION).values;
  }

  /** Every version, newest first, ending with the defaults (version 0). */
  async history(): Promise<SettingsVersion[]> {
    const rows = await this.db.selectFrom('setting_versions').selectAll().orderBy('version', 'desc').limit(1000).execute();
    return [...rows.map(toVersion), DEFAULTS_VERSION];
  }

  /**
   * Makes a new version with the given values changed; the caller has checked that the actor is
   * the platform administrator. Bad input (unknown key, a value out of range or not whole, no
   * reason, nothing changed) is refused whole, naming each problem; nothing is stored then.
   */
  async change(actor: string, changes: readonly { key: string; value: number }[], reason: string): Promise<SettingsVersion> {
    const problems: string[] = [];
    if (!reason?.trim()) problems.push('state the reason for the change (a decision, a measure adopted): it is kept with the version and in the audit trail');
    if (changes.length === 0) problems.push(`name at least one setting to change; one of ${SETTING_KEYS.join(', ')}`);
    const seen = new Set<string>();
    for (const { key, value } of changes) {
      if (!SETTING_KEYS.includes(key as SettingKey)) { problems.push(`no setting ${JSON.stringify(key)}; one of ${SETTING_KEYS.join(', ')}`); continue; }
      if (seen.has(key)) problems.push(`${key} is named twice`);
      seen.add(key);
      const d = settingDefinition(key as SettingKey);
      if (!Number.isInteger(value) || value < d.min || value > d.max) problems.push(`${key} (${d.nameEn}) is a whole number of ${d.unit === 'DAYS' ? 'days' : 'working days'} from ${d.min} to ${d.max}, received ${value}`);
    }
    if (problems.length) throw badInput(`the settings were not changed: ${problems.join('; ')}`);
    return this.db.transaction().execute(async (trx) => {
      const latest = await trx.selectFrom('setting_versions').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
      const before = latest ? toVersion(latest) : DEFAULTS_VERSION;
      const made = changes.map(({ key, value }) => ({ key: key as SettingKey, from: before.values[key as SettingKey], to: value })).filter((c) => c.from !== c.to);
      if (made.length === 0) throw badInput(`the settings were not changed: ${changes.map((c) => `${c.key} is already ${c.value}`).join('; ')}`);
      const values = { ...before.values, ...Object.fromEntries(made.map((c) => [c.key, c.to])) } as SettingValues;
      const row = {
        version: before.version + 1, values_json: JSON.stringify(values), changes_json: JSON.stringify(made),
        actor, reason: reason.trim(), created_at: this.clock().toISOString(),
      };
      // Two administrators changing at once: the version's primary key lets one win.
      const result = await trx.insertInto('setting_versions').values(row).onConflict((oc) => oc.column('version').doNothing()).executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) {
        throw new GraphQLError(`the settings were changed by someone else at the same moment (version ${row.version}): reload them and change again`, { extensions: { code: ErrorCode.CONFLICT } });
      }
      await this.changes.publish('settings', String(row.version), trx);
      return toVersion(row);
    });
  }
}

function toVersion(row: SettingVersionsTable['setting_versions']): SettingsVersion {
  const stored = JSON.parse(row.values_json) as Partial<Record<SettingKey, number>>;
  // A setting added after this version was made has its default in it.
  const values = Object.fromEntries(SETTING_DEFINITIONS.map((d) => [d.key, stored[d.key] ?? d.defaultValue])) as Record<SettingKey, number>;
  return { version: Number(row.version), values, changes: JSON.parse(row.changes_json) as SettingChange[], actor: row.actor, reason: row.reason, at: row.created_at };
}
