/**
 * The platform store: departments, their credentials (app and admin tokens, stored hashed),
 * purposes, policy versions (each a full set of field-policy overrides, with who, when, why)
 * and grants. SQLite by default, PostgreSQL when DATABASE_URL says so — one query layer.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SqliteAdapter, type Kysely, type Transaction } from 'kysely';
import type { Grant, PolicyOverride } from '../../policies/model.ts';
import type { SecretSealer } from '../../lib/secretSealer.ts';
import { NO_CHANGE_FEED, type ChangeFeed } from '../../storage/changeFeed.ts';
import { actingPerson } from './actingPerson.ts';

export interface PlatformDatabase {
  departments: {
    code: string; name: string; name_en: string; role: string; jurisdiction: string | null; created_at: string;
    webhook_url: string | null; webhook_secret: string | null;
    /** 013_members: deactivation keeps the department (history names it) and refuses its tokens and people. */
    deactivated_at?: string | null; deactivated_by?: string | null; deactivation_reason?: string | null;
    /** 020_department_language: zh (default) or en, the language of texts made for the department. */
    language?: string;
  };
  purposes: {
    code: string; name: string; description: string | null;
    /** 013_members: the English name, the legal basis, and deactivation (refused for new requests and applications). */
    name_en?: string | null; legal_basis?: string | null; deactivated_at?: string | null; deactivated_by?: string | null; deactivation_reason?: string | null;
  };
  credentials: {
    id: string; kind: string; department: string; name: string; token_hash: string;
    created_at: string; created_by: string; revoked_at: string | null;
    /** 013_members: expiry, rotation overlap, last use (at most one write a minute), revocation's who and why, the issuing person. */
    expires_at?: string | null; last_used_at?: string | null; previous_token_hash?: string | null; previous_valid_until?: string | null;
    rotated_at?: string | null; revoked_by?: string | null; revoke_reason?: string | null; issued_by_person?: string | null;
  };
  policy_versions: {
    version: number; kind: string; overrides_json: string; actor: string; reason: string; created_at: string;
    /** 013_members: the person acting, when a person did it (actor stays the credential). */
    person_id?: string | null; person_name?: string | null;
  };
  grants: {
    id: string; consumer: string; coordinate: string; purpose: string; valid_from: string; valid_until: string | null;
    revoked_at: string | null; revoked_by: string | null; revoke_reason: string | null; application_id: string | null;
    created_at: string; created_by: string;
  };
  applications: {
    id: string; consumer: string; provider: string; applicant: string; purpose: string; justification: string; legal_basis: string;
    case_ref: string | null; requested_from: string; requested_until: string; status: string; submitted_at: string; due_date: string | null;
    decided_at: string | null; decided_by: string | null; decision_reason: string | null; approved_until: string | null;
    escalated_at: string | null; escalation_cause: string | null; updated_at: string;
    /** 013_members: the person who drafted (submitted) it; never its approver. */
    drafted_by_person?: string | null;
  };
  application_fields: { application_id: string; coordinate: string; sharing_class: string; approved: number | null };
  application_events: {
    id: string; application_id: string; at: string; actor: string; action: string; from_status: string | null; to_status: string;
    reason: string | null; details_json: string | null;
  };
  notifications: {
    id: string; department: string; kind: string; application_id: string | null; message: string; payload_json: string; created_at: string; read_at: string | null;
  };
  webhook_deliveries: {
    id: string; notification_id: string; url: string; status: string; attempts: number; next_attempt_at: string; delivered_at: string | null; last_error: string | null;
  };
  subgraphs: { name: string; department: string; url: string; sdl: string; registered_at: string; updated_at: string; updated_by: string };
  supergraph_versions: { version: number; supergraph_sdl: string; subgraphs_json: string; kind: string; actor: string; reason: string; created_at: string };
  objections: {
    id: string; consumer: string; provider: string; raised_by: string; coordinate: string; entity_key: string; observed_value: string | null;
    expected_value: string | null; description: string; status: string; raised_at: string; due_date: string; resolved_at: string | null;
    resolved_by: string | null; resolution: string | null; resolution_note: string | null;
  };
  schema_owners: { element: string; kind: string; department: string; subgraph: string; claimed_at: string; claimed_by: string; reason: string };
  department_hosts: { department: string; host: string; added_at: string; added_by: string };
  policy_proposals: {
    id: string; coordinate: string; proposal_json: string; proposed_by: string; department: string; reason: string;
    status: string; created_at: string; decided_at: string | null; decided_by: string | null;
    /** 010_policy_changes: FROM_DEPARTMENT (to the office) or TO_DEPARTMENT (the office's reclassification). */
    direction: string; contest_reason: string | null; contested_at: string | null; contested_by: string | null; decision_reason: string | null; applied_version: number | null;
    /** 013_members: the person who drafted it; never its approver. */
    proposed_by_person?: string | null;
  };
  app_rate_limits: { app_id: string; requests_per_minute: number; keys_per_minute: number; updated_at: string; updated_by: string };
  objection_corrections: { objection_id: string; value_before: string; value_after: string; corrected_at: string };
  objection_readers: { objection_id: string; department: string; notified_at: string };
  objection_escalations: { objection_id: string; due_date: string; escalated_at: string };
  report_publications: { year: number; published_at: string; published_by: string; reason: string };
  published_reports: { year: number; department: string; report_json: string; report_csv: string; report_svg: string };
  /** Each entry (or correction) of a year's holiday notice; the latest revision of a year is in force (control/calendar). */
  calendar_notices: { revision: number; year: number; holidays_json: string; adjusted_workdays_json: string; entered_by: string; entered_at: string; reason: string };
  /** 012_people: named accounts of a department, with roles (control/people). */
  people: {
    id: string; department: string; name: string; roles_json: string; created_at: string; created_by: string;
    deactivated_at: string | null; deactivated_by: string | null; deactivation_reason: string | null;
  };
  /** 013_members: the approver role for a period (代理审批人), named by the department administrator. */
  acting_approvers: {
    id: string; department: string; person_id: string; valid_from: string; valid_until: string; reason: string;
    named_at: string; named_by: string; ended_at: string | null; ended_by: string | null;
  };
  /** 014_sign_in: a person's local account (control/signIn): scrypt hash, TOTP secret sealed under the platform key, lockout. */
  local_accounts: {
    username: string; person_id: string; password_hash: string; must_change_password: number; totp_secret: string;
    last_totp_step: number | null; locked_until: string | null; created_at: string; created_by: string; password_changed_at: string;
  };
  /** 014_sign_in: failed local sign-ins, counted toward a lockout. */
  sign_in_failures: { id: string; username: string; at: string };
  /** 014_sign_in: a sign-in half done (TOTP step, forced password change, OpenID Connect round trip); id stored hashed. */
  sign_in_challenges: { id_hash: string; kind: string; payload_json: string; expires_at: string };
  /** 014_sign_in: server-side console sessions; the id (the cookie's value) stored hashed. */
  sign_in_sessions: {
    id_hash: string; person_id: string; method: string; created_at: string; last_seen_at: string; expires_at: string;
    ended_at: string | null; end_reason: string | null;
  };
  /** 014_sign_in: which person an identity service's subject is. */
  oidc_links: { issuer: string; subject: string; person_id: string; linked_at: string };
  /** 019: a department's sharing need (control/needs). */
  sharing_needs: {
    id: string; consumer: string; data_wanted: string; purpose: string; legal_basis: string; description: string; provider: string | null;
    status: string; matched_json: string; stated_at: string; stated_by: string; consulted_at: string | null; consultation_due: string | null;
    answer: string | null; answer_ground: string | null; answer_reasons: string | null; answered_at: string | null; answered_by: string | null;
    decision_due: string | null; escalated_at: string | null; decision: string | null; decision_reasons: string | null; decided_at: string | null; decided_by: string | null;
  };
  /** 019: rectification notices to a department (control/rectification). */
  rectification_notices: {
    id: string; department: string; source: string; source_key: string | null; violation_kind: string; detail: string; complaint_id: string | null;
    opened_at: string; opened_by: string; due_date: string; working_days: number; status: string;
    answer: string | null; answered_at: string | null; answered_by: string | null; escalated_at: string | null;
  };
  /** 019: complaints between departments (control/rectification). */
  complaints: {
    id: string; complainant: string; against: string; subject: string; facts: string; lodged_at: string; lodged_by: string;
    status: string; handled_at: string | null; handled_by: string | null; reasons: string | null; notice_id: string | null;
  };
  /** 019: every step of a need, a notice or a complaint, with the person acting (control/governance/caseEvents.ts). */
  case_events: { id: string; case_kind: string; case_id: string; at: string; action: string; actor: string; person_id: string | null; person_name: string | null; note: string | null };
}

export type CredentialKind = 'APP' | 'DEPARTMENT_ADMIN' | 'PLATFORM_ADMIN';

/** A person's roles (issue 14; control/people): drafter 经办人, approver 审批人, department administrator. */
export type PersonRole = 'DRAFTER' | 'APPROVER' | 'ADMINISTRATOR';

/** Who acted, as an Identity carries it and records name it. */
export interface PersonRef {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly PersonRole[];
}

export interface Identity {
  readonly credentialId: string;
  readonly kind: CredentialKind;
  readonly department: string;
  readonly name: string;
  /** The signed-in person acting (issue 14); absent for an app's or a bare token's call. */
  readonly person?: PersonRef;
}

/** The languages a department may choose for the texts made for it. */
export type DepartmentLanguage = 'zh' | 'en';
export const DEPARTMENT_LANGUAGES: readonly DepartmentLanguage[] = ['zh', 'en'];

export interface Department {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly role: string;
  readonly jurisdiction: string | null;
  /** The language of texts the platform makes for it (020_department_language); zh when absent. */
  readonly language?: DepartmentLanguage;
  /** When it was deactivated (its tokens and people refused); null or absent while active. */
  readonly deactivatedAt?: string | null;
}

/**
 * What a presented token is: usable (the identity), or refused and why — unknown or revoked,
 * expired (401, saying so), or its department deactivated (403).
 */
export type TokenStanding =
  | { readonly status: 'VALID'; readonly identity: Identity; readonly expiresAt: string | null; readonly lastUsedAt: string | null }
  | { readonly status: 'UNKNOWN' }
  | { readonly status: 'EXPIRED'; readonly credentialId: string; readonly expiredAt: string }
  | { readonly status: 'DEPARTMENT_DEACTIVATED'; readonly credentialId: string; readonly department: string; readonly deactivatedAt: string };

export interface PolicyVersion {
  readonly version: number;
  readonly kind: 'SEED' | 'POLICY' | 'GRANT' | 'ROLLBACK' | 'REGISTRY' | 'OWNERSHIP' | 'REVERT' | 'MEMBERS';
  readonly overrides: readonly PolicyOverride[];
  readonly actor: string;
  readonly reason: string;
  readonly createdAt: string;
  /** The person acting, when a person made it (issue 14). */
  readonly person?: { readonly id: string; readonly name: string } | null;
}

export const TOKEN_PREFIX: Readonly<Record<CredentialKind, string>> = { APP: 'gga_', DEPARTMENT_ADMIN: 'ggd_', PLATFORM_ADMIN: 'ggp_' };

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(kind: CredentialKind): string {
  return TOKEN_PREFIX[kind] + randomBytes(32).toString('base64url');
}

export interface PolicyProposalRecord {
  readonly id: string;
  readonly coordinate: string;
  readonly proposal: PolicyOverride;
  readonly proposedBy: string;
  readonly department: string;
  readonly reason: string;
  readonly status: 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'CONTESTED' | 'APPLIED_ON_REVIEW' | 'WITHDRAWN';
  readonly createdAt: string;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
  /** FROM_DEPARTMENT: a department's, decided by the office; TO_DEPARTMENT: the office's, answered by the department (000 art. 9). */
  readonly direction: 'FROM_DEPARTMENT' | 'TO_DEPARTMENT';
  readonly contestReason: string | null;
  readonly contestedAt: string | null;
  readonly contestedBy: string | null;
  readonly decisionReason: string | null;
  /** The policy version that applied it. */
  readonly appliedVersion: number | null;
  /** The person who drafted it (issue 14), who may not decide it. */
  readonly proposedByPerson: string | null;
}

function toProposal(row: PlatformDatabase['policy_proposals']): PolicyProposalRecord {
  return {
    id: row.id, coordinate: row.coordinate, proposal: JSON.parse(row.proposal_json) as PolicyOverride, proposedBy: row.proposed_by,
    department: row.department, reason: row.reason, status: row.status as PolicyProposalRecord['status'], createdAt: row.created_at,
    decidedAt: row.decided_at, decidedBy: row.decided_by, direction: (row.direction ?? 'FROM_DEPARTMENT') as PolicyProposalRecord['direction'],
    contestReason: row.contest_reason ?? null, contestedAt: row.contested_at ?? null, contestedBy: row.contested_by ?? null, decisionReason: row.decision_reason ?? null,
    appliedVersion: row.applied_version === null || row.applied_version === undefined ? null : Number(row.applied_version),
    proposedByPerson: row.proposed_by_person ?? null,
  };
}

function toGrant(row: PlatformDatabase['grants']): Grant {
  return { id: row.id, consumer: row.consumer, coordinate: row.coordinate, purpose: row.purpose, validFrom: row.valid_from, validUntil: row.valid_until, revokedAt: row.revoked_at };
}

function toVersion(row: PlatformDatabase['policy_versions']): PolicyVersion {
  return {
    version: Number(row.version),
    kind: row.kind as PolicyVersion['kind'],
    overrides: JSON.parse(row.overrides_json) as PolicyOverride[],
    actor: row.actor,
    reason: row.reason,
    createdAt: row.created_at,
    person: row.person_id ? { id: row.person_id, name: row.person_name ?? '' } : null,
  };
}

/** A credential as its department's administrators see it (never its token). */
export interface CredentialRecord {
  readonly id: string; readonly kind: CredentialKind; readonly name: string; readonly createdAt: string; readonly createdBy: string;
  readonly revokedAt: string | null; readonly revokedBy: string | null; readonly revokeReason: string | null;
  readonly expiresAt: string | null; readonly lastUsedAt: string | null; readonly rotatedAt: string | null;
  /** Until when the token it had before its last rotation is still accepted. */
  readonly previousValidUntil: string | null;
  readonly issuedByPerson: string | null;
}

export class PlatformStore {
  /**
   * `secrets` encrypts what the store keeps secret (webhook secrets, R10); a store opened
   * without it (the catalogue command) refuses to write or read those. `changes` tells the other
   * replicas of what changed here (policy versions, grants, tokens), in the change's transaction;
   * without it they find out by polling.
   */
  constructor(readonly db: Kysely<PlatformDatabase>, readonly secrets?: SecretSealer, readonly changes: ChangeFeed = NO_CHANGE_FEED) {}

  // --- identity ---------------------------------------------------------------------------

  /** The identity of a usable token (not revoked, not expired, its department active), else null. */
  async identityByToken(token: string, now: Date = new Date()): Promise<Identity | null> {
    const standing = await this.tokenStanding(token, now);
    return standing.status === 'VALID' ? standing.identity : null;
  }

  /**
   * What a token is at `now`: its current hash, or the hash it had before a rotation while the
   * overlap lasts (issue 14: old and new valid together, then the old one stops).
   */
  async tokenStanding(token: string, now: Date = new Date()): Promise<TokenStanding> {
    const hash = hashToken(token);
    const row = await this.db
      .selectFrom('credentials')
      .leftJoin('departments', 'departments.code', 'credentials.department')
      .select(['credentials.id', 'credentials.kind', 'credentials.department', 'credentials.name', 'credentials.token_hash', 'credentials.expires_at',
        'credentials.previous_valid_until', 'credentials.last_used_at', 'departments.deactivated_at as department_deactivated_at'])
      .where((eb) => eb.or([eb('credentials.token_hash', '=', hash), eb('credentials.previous_token_hash', '=', hash)]))
      .where('credentials.revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return { status: 'UNKNOWN' };
    const at = now.toISOString();
    if (row.token_hash !== hash && !(row.previous_valid_until && row.previous_valid_until > at)) return { status: 'UNKNOWN' };
    if (row.expires_at && row.expires_at <= at) return { status: 'EXPIRED', credentialId: row.id, expiredAt: row.expires_at };
    if (row.department_deactivated_at) return { status: 'DEPARTMENT_DEACTIVATED', credentialId: row.id, department: row.department, deactivatedAt: row.department_deactivated_at };
    return {
      status: 'VALID', expiresAt: row.expires_at ?? null, lastUsedAt: row.last_used_at ?? null,
      identity: { credentialId: row.id, kind: row.kind as CredentialKind, department: row.department, name: row.name },
    };
  }

  /** Issues a credential; the token is returned once and only its hash is kept. */
  async issueCredential(
    kind: CredentialKind, department: string, name: string, actor: string, token = newToken(kind),
    options: { expiresAt?: string | null; issuedByPerson?: string | null } = {},
  ): Promise<{ id: string; token: string }> {
    const id = kind === 'APP' ? `app-${randomUUID()}` : `cred-${randomUUID()}`;
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('credentials')
        .values({
          id, kind, department, name, token_hash: hashToken(token), created_at: new Date().toISOString(), created_by: actor, revoked_at: null,
          expires_at: options.expiresAt ?? null, issued_by_person: options.issuedByPerson ?? null,
        })
        .execute();
      // A replica that was shown the token before it existed remembers "unknown" for a moment.
      await this.changes.publish('tokens', id, trx);
    });
    return { id, token };
  }

  /** Records a token's use; the authenticator calls it at most once a minute per token and replica. */
  async noteCredentialUse(id: string, at: Date): Promise<void> {
    const iso = at.toISOString();
    await this.db.updateTable('credentials').set({ last_used_at: iso }).where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', iso)])).execute();
  }

  /** R10: refused on every replica at once — each drops its identity cache on the `tokens` change. */
  async revokeCredential(id: string, revokedBy: string | null = null, reason: string | null = null): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx.updateTable('credentials').set({ revoked_at: new Date().toISOString(), revoked_by: revokedBy, revoke_reason: reason })
        .where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      const revoked = Number(result.numUpdatedRows) > 0;
      if (revoked) await this.changes.publish('tokens', id, trx);
      return revoked;
    });
  }

  async credentialsOf(department: string): Promise<CredentialRecord[]> {
    const rows = await this.db.selectFrom('credentials').selectAll().where('department', '=', department).orderBy('created_at').execute();
    return rows.map((r) => ({
      id: r.id, kind: r.kind as CredentialKind, name: r.name, createdAt: r.created_at, createdBy: r.created_by, revokedAt: r.revoked_at,
      revokedBy: r.revoked_by ?? null, revokeReason: r.revoke_reason ?? null, expiresAt: r.expires_at ?? null, lastUsedAt: r.last_used_at ?? null,
      rotatedAt: r.rotated_at ?? null, previousValidUntil: r.previous_valid_until ?? null, issuedByPerson: r.issued_by_person ?? null,
    }));
  }

  async credential(id: string): Promise<{ id: string; kind: CredentialKind; department: string } | null> {
    const row = await this.db.selectFrom('credentials').select(['id', 'kind', 'department']).where('id', '=', id).executeTakeFirst();
    return row ? { id: row.id, kind: row.kind as CredentialKind, department: row.department } : null;
  }

  // --- app rate limits (R10: no enumeration) ---------------------------------------------------

  /** An app's own limits; null when it has the platform's defaults. */
  async appRateLimit(appId: string): Promise<{ requestsPerMinute: number; keysPerMinute: number } | null> {
    const row = await this.db.selectFrom('app_rate_limits').select(['requests_per_minute', 'keys_per_minute']).where('app_id', '=', appId).executeTakeFirst();
    return row ? { requestsPerMinute: Number(row.requests_per_minute), keysPerMinute: Number(row.keys_per_minute) } : null;
  }

  async setAppRateLimit(appId: string, limits: { requestsPerMinute: number; keysPerMinute: number }, actor: string): Promise<void> {
    const values = { requests_per_minute: limits.requestsPerMinute, keys_per_minute: limits.keysPerMinute, updated_at: new Date().toISOString(), updated_by: actor };
    await this.db
      .insertInto('app_rate_limits')
      .values({ app_id: appId, ...values })
      .onConflict((oc) => oc.column('app_id').doUpdateSet(values))
      .execute();
  }

  // --- departments and purposes ---------------------------------------------------------------

  async departments(db: Kysely<PlatformDatabase> = this.db): Promise<Department[]> {
    const rows = await db.selectFrom('departments').selectAll().orderBy('code').execute();
    return rows.map((r) => ({ code: r.code, name: r.name, nameEn: r.name_en, role: r.role, jurisdiction: r.jurisdiction, language: r.language === 'en' ? 'en' as const : 'zh' as const, deactivatedAt: r.deactivated_at ?? null }));
  }

  /** Where a department's notifications are posted; the secret never leaves the store. */
  async webhookUrl(code: string): Promise<string | null> {
    const row = await this.db.selectFrom('departments').select('webhook_url').where('code', '=', code).executeTakeFirst();
    return row?.webhook_url ?? null;
  }

  async upsertDepartment(d: Department): Promise<void> {
    await this.db
      .insertInto('departments')
      .values({ code: d.code, name: d.name, name_en: d.nameEn, role: d.role, jurisdiction: d.jurisdiction, created_at: new Date().toISOString(), webhook_url: null, webhook_secret: null })
      .onConflict((oc) => oc.column('code').doUpdateSet({ name: d.name, name_en: d.nameEn, role: d.role, jurisdiction: d.jurisdiction }))
      .execute();
  }

  /** Every purpose, deactivated ones included (history names them). */
  async purposes(db: Kysely<PlatformDatabase> = this.db): Promise<PlatformDatabase['purposes'][]> {
    return db.selectFrom('purposes').selectAll().orderBy('code').execute();
  }

  async upsertPurpose(code: string, name: string, description: string | null): Promise<void> {
    await this.db
      .insertInto('purposes')
      .values({ code, name, description })
      .onConflict((oc) => oc.column('code').doUpdateSet({ name, description }))
      .execute();
  }

  // --- policy versions ------------------------------------------------------------------------

  async currentVersion(db: Kysely<PlatformDatabase> = this.db): Promise<number> {
    const row = await db.selectFrom('policy_versions').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
    return Number(row?.v ?? 0);
  }

  async policyVersion(version: number, db: Kysely<PlatformDatabase> = this.db): Promise<PolicyVersion | null> {
    const row = await db.selectFrom('policy_versions').selectAll().where('version', '=', version).executeTakeFirst();
    return row ? toVersion(row) : null;
  }

  /**
   * Everything a policy snapshot is built from, read in one transaction, so that the snapshot
   * labelled version N holds exactly N's overrides and grants even while another replica
   * appends N+1 (on PostgreSQL under REPEATABLE READ: one view of the database for all reads).
   */
  async policySource(): Promise<{ version: number; row: PolicyVersion | null; grants: Grant[]; departments: Department[]; purposes: PlatformDatabase['purposes'][] }> {
    const isolated = this.db.getExecutor().adapter instanceof SqliteAdapter
      ? this.db.transaction()
      : this.db.transaction().setIsolationLevel('repeatable read');
    return isolated.execute(async (trx) => {
      const version = await this.currentVersion(trx);
      return {
        version,
        row: await this.policyVersion(version, trx),
        grants: await this.grants(trx),
        departments: await this.departments(trx),
        // A deactivated purpose cannot be declared for new requests or applications (issue 14).
        purposes: (await this.purposes(trx)).filter((p) => !p.deactivated_at),
      };
    });
  }

  async policyHistory(limit = 100): Promise<PolicyVersion[]> {
    const rows = await this.db.selectFrom('policy_versions').selectAll().orderBy('version', 'desc').limit(limit).execute();
    return rows.map(toVersion);
  }

  /**
   * Appends a version. Versions are a gap-free sequence shared by every gateway replica:
   * two replicas writing at once collide on the primary key and the loser retries on top.
   */
  async appendVersion(
    kind: PolicyVersion['kind'],
    reason: string,
    actor: string,
    change: (trx: Transaction<PlatformDatabase>, previous: readonly PolicyOverride[]) => Promise<readonly PolicyOverride[]>,
  ): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          const last = await trx.selectFrom('policy_versions').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
          const previous = last ? (JSON.parse(last.overrides_json) as PolicyOverride[]) : [];
          const overrides = await change(trx, previous);
          const version = (last ? Number(last.version) : 0) + 1;
          const person = actingPerson();
          await trx
            .insertInto('policy_versions')
            .values({ version, kind, overrides_json: JSON.stringify(overrides), actor, reason, created_at: new Date().toISOString(), person_id: person?.id ?? null, person_name: person?.name ?? null })
            .execute();
          // Every replica re-reads its snapshot when this version commits.
          await this.changes.publish('policy', String(version), trx);
          return version;
        });
      } catch (error) {
        const code = (error as { code?: string }).code;
        const conflict = code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '40001';
        if (!conflict || attempt >= 5) throw error;
      }
    }
  }

  // --- grants -----------------------------------------------------------------------------------

  async grants(db: Kysely<PlatformDatabase> = this.db): Promise<Grant[]> {
    const rows = await db.selectFrom('grants').selectAll().orderBy('created_at').execute();
    return rows.map(toGrant);
  }

  async grantsWithApplications(): Promise<(Grant & { applicationId: string | null })[]> {
    const rows = await this.db.selectFrom('grants').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({ ...toGrant(r), applicationId: r.application_id }));
  }

  async grant(id: string): Promise<(Grant & { revokeReason: string | null; applicationId: string | null }) | null> {
    const row = await this.db.selectFrom('grants').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? { ...toGrant(row), revokeReason: row.revoke_reason, applicationId: row.application_id } : null;
  }

  async insertGrant(trx: Transaction<PlatformDatabase> | Kysely<PlatformDatabase>, grant: Omit<Grant, 'id' | 'revokedAt'> & { applicationId: string | null }, actor: string): Promise<string> {
    const id = `grant-${randomUUID()}`;
    await trx
      .insertInto('grants')
      .values({
        id, consumer: grant.consumer, coordinate: grant.coordinate, purpose: grant.purpose, valid_from: grant.validFrom, valid_until: grant.validUntil,
        revoked_at: null, revoked_by: null, revoke_reason: null, application_id: grant.applicationId, created_at: new Date().toISOString(), created_by: actor,
      })
      .execute();
    await this.changes.publish('grants', id, trx);
    return id;
  }

  async markGrantRevoked(trx: Transaction<PlatformDatabase>, id: string, actor: string, reason: string): Promise<boolean> {
    const result = await trx
      .updateTable('grants')
      .set({ revoked_at: new Date().toISOString(), revoked_by: actor, revoke_reason: reason })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const revoked = Number(result.numUpdatedRows) > 0;
    if (revoked) await this.changes.publish('grants', id, trx);
    return revoked;
  }

  // --- policy proposals (a department proposes, the platform administrator decides) ---------------

  async insertProposal(p: { coordinate: string; proposal: PolicyOverride; proposedBy: string; department: string; reason: string }): Promise<PolicyProposalRecord> {
    const id = `proposal-${randomUUID()}`;
    const row = {
      id, coordinate: p.coordinate, proposal_json: JSON.stringify(p.proposal), proposed_by: p.proposedBy, department: p.department, reason: p.reason, status: 'PENDING', created_at: new Date().toISOString(), decided_at: null, decided_by: null,
      direction: 'FROM_DEPARTMENT', contest_reason: null, contested_at: null, contested_by: null, decision_reason: null, applied_version: null,
      proposed_by_person: actingPerson()?.id ?? null,
    };
    await this.db.insertInto('policy_proposals').values(row).execute();
    return toProposal(row);
  }

  async proposals(status?: string): Promise<PolicyProposalRecord[]> {
    let query = this.db.selectFrom('policy_proposals').selectAll().orderBy('created_at', 'desc');
    if (status) query = query.where('status', '=', status);
    return (await query.execute()).map(toProposal);
  }

  async proposal(id: string): Promise<PolicyProposalRecord | null> {
    const row = await this.db.selectFrom('policy_proposals').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toProposal(row) : null;
  }

  /** Marks a pending proposal decided; false when it was not pending (decided meanwhile). */
  async decideProposal(trx: Transaction<PlatformDatabase> | Kysely<PlatformDatabase>, id: string, status: 'ACCEPTED' | 'REJECTED', actor: string): Promise<boolean> {
    const result = await trx
      .updateTable('policy_proposals')
      .set({ status, decided_at: new Date().toISOString(), decided_by: actor })
      .where('id', '=', id)
      .where('status', '=', 'PENDING')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Whether the demo policy (or a real one) has been set up: a SEED version exists. */
  async isSeeded(): Promise<boolean> {
    const row = await this.db.selectFrom('policy_versions').select('version').where('kind', '=', 'SEED').limit(1).executeTakeFirst();
    return row !== undefined;
  }

  async hasDepartments(): Promise<boolean> {
    return (await this.db.selectFrom('departments').select('code').limit(1).executeTakeFirst()) !== undefined;
  }
}
