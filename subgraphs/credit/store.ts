/**
 * Reads of the public credit records. Every read is by known subjects: nothing lists them.
 *
 * Glossary:
 * - subject: whom a record is about — a legal entity (by credit code) or a natural person
 *   (by citizen ID number). The two number spaces may overlap, so a subject is always the
 *   pair (kind, key); loaders carry it as one string, its subject id `KIND:key`.
 * - profile: a subject's credit record (rating, dishonest-list flag); penalties and
 *   commendations belong to a profile.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { preparedRead, type ReadShape } from '../runtime/preparedRead.ts';

export type SubjectKind = 'PERSON' | 'LEGAL_ENTITY';

export interface CreditDatabase {
  credit_profiles: {
    subject_kind: SubjectKind;
    subject_key: string;
    /** A–D; null for natural persons. */
    rating: string | null;
    dishonest: number;
    updated_date: string;
    updated_at: string | null;
  };
  penalties: {
    subject_kind: SubjectKind;
    subject_key: string;
    position: number;
    decision_no: string;
    authority: string;
    decision_date: string;
    reason: string;
    kind: string;
    /** Yuan. */
    amount: number;
    updated_at: string | null;
  };
  commendations: {
    subject_kind: SubjectKind;
    subject_key: string;
    position: number;
    title: string;
    authority: string;
    awarded_date: string;
    updated_at: string | null;
  };
}

/** The one string a loader keys a subject by. */
export const subjectId = (kind: SubjectKind, key: string): string => `${kind}:${key}`;

export interface CreditProfile {
  readonly subjectId: string;
  readonly rating: string | null;
  readonly dishonest: boolean;
  readonly updatedDate: string;
}

export interface Penalty {
  readonly subjectId: string;
  readonly decisionNo: string;
  readonly authority: string;
  readonly decisionDate: string;
  readonly reason: string;
  readonly kind: string;
  readonly amount: number;
}

export interface Commendation {
  readonly subjectId: string;
  readonly title: string;
  readonly authority: string;
  readonly awardedDate: string;
}

/**
 * `(subject_kind = 'PERSON' AND subject_key IN (…)) OR (subject_kind = 'LEGAL_ENTITY' AND …)`:
 * one statement for a batch that mixes kinds, each arm served by the primary key. (SQLite
 * takes no row-value list on the right of IN, so `(kind, key) IN ((…), …)` is out.)
 */
function keysByKindOf(subjectIds: readonly string[]): Map<string, string[]> {
  const keysByKind = new Map<string, string[]>();
  for (const id of subjectIds) {
    const colon = id.indexOf(':');
    const kind = id.slice(0, colon);
    const keys = keysByKind.get(kind) ?? [];
    keys.push(id.slice(colon + 1));
    keysByKind.set(kind, keys);
  }
  return keysByKind;
}

function ofSubjects(subjectIds: readonly string[]): RawBuilder<SqlBool> {
  const keysByKind = keysByKindOf(subjectIds);
  if (keysByKind.size === 0) return sql<SqlBool>`1 = 0`;
  const arms = [...keysByKind].map(([kind, keys]) => sql`(subject_kind = ${kind} AND subject_key IN (${sql.join(keys)}))`);
  return sql<SqlBool>`(${sql.join(arms, sql` OR `)})`;
}

/**
 * How `ofSubjects` binds (subgraphs/runtime/preparedRead.ts): its kinds, in order, each with
 * the number of its keys, are the shape; kinds and keys are the parameters.
 */
function subjectsShape(subjectIds: readonly string[]): ReadShape {
  const arms = [...keysByKindOf(subjectIds)];
  return { shape: arms.map(([kind, keys]) => `${kind}:${keys.length}`).join(','), parameters: arms.flatMap(([kind, keys]) => [kind, ...keys]) };
}

const PROFILES_OF = preparedRead((db: Kysely<CreditDatabase>, subjectIds: readonly string[]) =>
  db.selectFrom('credit_profiles').selectAll().where(ofSubjects(subjectIds)), subjectsShape);

export class CreditStore {
  constructor(private readonly db: Kysely<CreditDatabase>) {}

  async profilesOf(subjectIds: readonly string[]): Promise<CreditProfile[]> {
    const rows = await PROFILES_OF(this.db, subjectIds);
    return rows.map((r) => ({
      subjectId: subjectId(r.subject_kind, r.subject_key),
      rating: r.rating,
      dishonest: r.dishonest === 1,
      updatedDate: r.updated_date,
    }));
  }

  async penaltiesOf(subjectIds: readonly string[]): Promise<Penalty[]> {
    const rows = await this.db
      .selectFrom('penalties')
      .selectAll()
      .where(ofSubjects(subjectIds))
      .orderBy('decision_date', 'desc')
      .orderBy('position')
      .execute();
    return rows.map((r) => ({
      subjectId: subjectId(r.subject_kind, r.subject_key),
      decisionNo: r.decision_no,
      authority: r.authority,
      decisionDate: r.decision_date,
      reason: r.reason,
      kind: r.kind,
      amount: r.amount,
    }));
  }

  async commendationsOf(subjectIds: readonly string[]): Promise<Commendation[]> {
    const rows = await this.db
      .selectFrom('commendations')
      .selectAll()
      .where(ofSubjects(subjectIds))
      .orderBy('awarded_date', 'desc')
      .orderBy('position')
      .execute();
    return rows.map((r) => ({
      subjectId: subjectId(r.subject_kind, r.subject_key),
      title: r.title,
      authority: r.authority,
      awardedDate: r.awarded_date,
    }));
  }
}
