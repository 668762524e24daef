/** The enterprise profile's own schema, as migrations (applied in name order). */
import type { Kysely } from 'kysely';
import type { Migrations } from '../../storage/migrate.ts';
import { addUpdatedAtColumns } from '../runtime/definition.ts';

/**
 * The risk rules the profile starts with. They are the thematic resource's configuration, not
 * demo data: a platform started without a demo world still raises them. Market supervision
 * edits descriptions, levels, windows and `enabled` in the table; which facts a code tests is
 * fixed in enterpriseProfile.ts.
 */
const DEFAULT_RISK_RULES = [
  { code: 'ENTITY_NOT_ACTIVE', position: 1, description: '登记状态非存续（停业、吊销或注销）', source: 'samr', severity: 'HIGH', window_days: null },
  { code: 'DISHONEST_LIST', position: 2, description: '列入失信被执行人名单', source: 'ndrc', severity: 'HIGH', window_days: null },
  { code: 'RECENT_PENALTY', position: 3, description: '近三年内受到行政处罚', source: 'ndrc', severity: 'MEDIUM', window_days: null },
  { code: 'NO_VALID_LICENCE', position: 4, description: '无有效电子证照（均已过期或被吊销）', source: 'gsa', severity: 'MEDIUM', window_days: null },
  { code: 'LICENCE_EXPIRING', position: 5, description: '有效电子证照即将到期，请提醒办理延续', source: 'gsa', severity: 'LOW', window_days: 90 },
  { code: 'SUPERVISION_FOCUS', position: 6, description: '列入市场监管重点监管对象', source: 'samr', severity: 'LOW', window_days: null },
];

export const migrations: Migrations = {
  '001_enterprise_profile': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('risk_rules')
        .addColumn('code', 'text', (c) => c.primaryKey())
        // Order among flags of the same level.
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        // Department whose data the rule tests.
        .addColumn('source', 'text', (c) => c.notNull())
        // LOW, MEDIUM or HIGH: the level a raised flag carries (SUPERVISION_FOCUS: at least this).
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('window_days', 'integer')
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.insertInto('risk_rules').values(DEFAULT_RISK_RULES.map((r) => ({ ...r, enabled: 1 }))).execute();
      // Kept by market supervision, the lead department of the thematic resource; one row per
      // entity under focus, none for the rest.
      await db.schema
        .createTable('supervision_focus')
        .addColumn('credit_code', 'text', (c) => c.primaryKey())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('decided_by', 'text', (c) => c.notNull())
        .addColumn('decided_date', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '002_updated_at_for_freshness': {
    async up(db: Kysely<any>) {
      await addUpdatedAtColumns(db, ['risk_rules', 'supervision_focus']);
    },
  },
};
