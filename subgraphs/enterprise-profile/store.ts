/**
 * Reads of the enterprise profile's own data: the risk rules and market supervision's
 * supervision focus records. Nothing here copies another department's data; the profile's
 * inputs arrive with each request (see resolvers.ts).
 *
 * Glossary:
 * - risk rule: a named test over the departments' data (DISHONEST_LIST, …) with the level a
 *   raised flag carries.
 * - supervision focus (重点监管): market supervision's decision to watch an entity closely,
 *   with a level and a note.
 */
import type { Kysely } from 'kysely';

export type RiskLevel = 'LOW' | 'MEDIUM' | 'HIGH';

export interface EnterpriseProfileDatabase {
  risk_rules: {
    code: string;
    position: number;
    description: string;
    source: string;
    severity: string;
    window_days: number | null;
    enabled: number;
    updated_at: string | null;
  };
  supervision_focus: {
    credit_code: string;
    level: string;
    note: string;
    decided_by: string;
    decided_date: string;
    updated_at: string | null;
  };
}

export interface RiskRule {
  readonly code: string;
  readonly position: number;
  readonly description: string;
  /** Code of the department whose data the rule tests. */
  readonly source: string;
  readonly severity: RiskLevel;
  readonly windowDays: number | null;
}

export interface SupervisionFocus {
  readonly creditCode: string;
  readonly level: RiskLevel;
  readonly note: string;
  readonly decidedBy: string;
  readonly decidedDate: string;
}

export const RISK_LEVELS: readonly RiskLevel[] = ['LOW', 'MEDIUM', 'HIGH'];

/** A level written by hand into the table must still be one the schema can return. */
function riskLevel(value: string, where: string): RiskLevel {
  if (!(RISK_LEVELS as readonly string[]).includes(value)) {
    throw new Error(`${where}: level must be one of ${RISK_LEVELS.join(', ')}, the table holds ${JSON.stringify(value)}`);
  }
  return value as RiskLevel;
}

export class EnterpriseProfileStore {
  constructor(private readonly db: Kysely<EnterpriseProfileDatabase>) {}

  async enabledRiskRules(): Promise<RiskRule[]> {
    const rows = await this.db.selectFrom('risk_rules').selectAll().where('enabled', '=', 1).orderBy('position').execute();
    return rows.map((r) => ({
      code: r.code,
      position: r.position,
      description: r.description,
      source: r.source,
      severity: riskLevel(r.severity, `risk_rules ${r.code}`),
      windowDays: r.window_days,
    }));
  }

  async focusOf(creditCodes: readonly string[]): Promise<SupervisionFocus[]> {
    const rows = await this.db.selectFrom('supervision_focus').selectAll().where('credit_code', 'in', creditCodes).execute();
    return rows.map((r) => ({
      creditCode: r.credit_code,
      level: riskLevel(r.level, `supervision_focus ${r.credit_code}`),
      note: r.note,
      decidedBy: r.decided_by,
      decidedDate: r.decided_date,
    }));
  }
}
