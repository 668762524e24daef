/**
 * Computes an enterprise profile (一企一档) from the departments' data about one legal entity
 * and the profile's own rules. Pure: no database, no clock of its own.
 *
 * Glossary:
 * - inputs: what the gateway fetched from the owning subgraphs through @requires — status
 *   (samr), credit (ndrc), licences (gsa), real estate (nr). An input that is null or absent
 *   is unknown (no record, or withheld from this caller); the profile says null for what it
 *   cannot count, and rules over an unknown input raise nothing.
 * - flag: a rule that held for the entity, with the department whose data raised it.
 * - risk level: the highest level among the raised flags, LOW when none.
 */
import type { RiskLevel, RiskRule, SupervisionFocus } from './store.ts';

/** The representation `_entities` receives: the key and the @requires selection. */
export interface ProfileInputs {
  readonly creditCode: string;
  readonly status?: string | null;
  readonly credit?: {
    readonly rating?: string | null;
    readonly dishonest?: boolean | null;
    readonly penalties?: readonly { readonly decisionDate?: string | null }[] | null;
  } | null;
  readonly licences?: readonly { readonly status?: string | null; readonly validUntil?: string | null }[] | null;
  readonly realEstate?: readonly { readonly unitNo?: string }[] | null;
}

export interface RiskFlag {
  readonly code: string;
  readonly description: string;
  readonly source: string;
  readonly level: RiskLevel;
}

export interface EnterpriseProfile {
  readonly validLicenceCount: number | null;
  readonly licenceCount: number | null;
  readonly creditRating: string | null;
  readonly realEstateCount: number | null;
  readonly penaltyCountLast3Years: number | null;
  readonly riskFlags: readonly RiskFlag[];
  readonly riskLevel: RiskLevel;
  readonly supervisionFocus: string | null;
  readonly generatedAt: string;
}

/** What the rules test, derived once per profile. */
interface Facts {
  readonly status: string | null;
  readonly dishonest: boolean | null;
  readonly penaltyCountLast3Years: number | null;
  readonly validLicences: readonly { readonly validUntil?: string | null }[] | null;
  readonly focus: SupervisionFocus | null;
  readonly today: string;
}

const RANK: Readonly<Record<RiskLevel, number>> = { LOW: 0, MEDIUM: 1, HIGH: 2 };
const higher = (a: RiskLevel, b: RiskLevel): RiskLevel => (RANK[a] >= RANK[b] ? a : b);

/** The level a raised flag carries, or null when the rule does not hold (or cannot be judged). */
type Evaluator = (facts: Facts, rule: RiskRule) => RiskLevel | null;

const EVALUATORS: Readonly<Record<string, Evaluator>> = {
  ENTITY_NOT_ACTIVE: (f, rule) => (f.status !== null && f.status !== 'ACTIVE' ? rule.severity : null),
  DISHONEST_LIST: (f, rule) => (f.dishonest === true ? rule.severity : null),
  RECENT_PENALTY: (f, rule) => (f.penaltyCountLast3Years !== null && f.penaltyCountLast3Years > 0 ? rule.severity : null),
  NO_VALID_LICENCE: (f, rule) => (f.validLicences !== null && f.validLicences.length === 0 ? rule.severity : null),
  LICENCE_EXPIRING: (f, rule) => {
    if (f.validLicences === null || rule.windowDays === null) return null;
    const horizon = addDays(f.today, rule.windowDays);
    return f.validLicences.some((l) => l.validUntil != null && l.validUntil <= horizon) ? rule.severity : null;
  },
  // Market supervision's own judgement: its focus level can raise the flag above the rule's.
  SUPERVISION_FOCUS: (f, rule) => (f.focus ? higher(rule.severity, f.focus.level) : null),
};

export const KNOWN_RISK_RULES: readonly string[] = Object.keys(EVALUATORS);

/** Today's date in China Standard Time (UTC+8), where the licences and penalties are dated. */
export function todayInChina(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The first day inside the three-year window ending today: a decision dated exactly three
 * years ago has left it. (29 February falls back to 28 February.)
 */
export function threeYearsBefore(today: string): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const sameDay = new Date(Date.UTC(y - 3, m - 1, d));
  if (sameDay.getUTCMonth() !== m - 1) sameDay.setUTCDate(0);
  return sameDay.toISOString().slice(0, 10);
}

export class UnknownRiskRuleError extends Error {}

/**
 * The profile of one entity; null when its registration status is unknown — market
 * supervision holds no record of it (or it was withheld), so there is no file to build, and
 * a profile of zeros would read as "low risk" for an entity nobody knows.
 */
export function computeEnterpriseProfile(
  inputs: ProfileInputs,
  rules: readonly RiskRule[],
  focus: SupervisionFocus | null,
  now: Date,
): EnterpriseProfile | null {
  if (inputs.status == null) return null;
  const today = todayInChina(now);
  const credit = inputs.credit ?? null;
  const penalties = credit?.penalties ?? null;
  const windowStart = threeYearsBefore(today);
  const licences = inputs.licences ?? null;
  const validLicences = licences?.filter((l) => l.status === 'VALID') ?? null;
  const facts: Facts = {
    status: inputs.status,
    dishonest: credit?.dishonest ?? null,
    penaltyCountLast3Years: penalties === null ? null : penalties.filter((p) => p.decisionDate != null && p.decisionDate > windowStart).length,
    validLicences,
    focus,
    today,
  };

  const flags: (RiskFlag & { position: number })[] = [];
  for (const rule of rules) {
    const evaluate = EVALUATORS[rule.code];
    if (!evaluate) {
      throw new UnknownRiskRuleError(`risk rule ${rule.code} is enabled but the profile cannot evaluate it; known rules: ${KNOWN_RISK_RULES.join(', ')}. Disable it or correct its code.`);
    }
    const level = evaluate(facts, rule);
    if (level) flags.push({ code: rule.code, description: rule.description, source: rule.source, level, position: rule.position });
  }
  flags.sort((a, b) => RANK[b.level] - RANK[a.level] || a.position - b.position);

  return {
    validLicenceCount: validLicences?.length ?? null,
    licenceCount: licences?.length ?? null,
    creditRating: credit?.rating ?? null,
    realEstateCount: inputs.realEstate?.length ?? null,
    penaltyCountLast3Years: facts.penaltyCountLast3Years,
    riskFlags: flags.map(({ position: _, ...flag }) => flag),
    riskLevel: flags.reduce<RiskLevel>((level, flag) => higher(level, flag.level), 'LOW'),
    supervisionFocus: focus?.note ?? null,
    generatedAt: now.toISOString(),
  };
}
