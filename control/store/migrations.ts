/**
 * The platform store's schema (departments, credentials, purposes, policy versions, grants), as migrations.
 *
 * Expand-then-contract (issue 16, rolling upgrades): during an upgrade the previous release's
 * gateways run on the store this release's `govgraph migrate` has changed. So a migration only
 * adds — tables, nullable columns or columns with a default, indexes — and never drops, renames
 * or retypes what the previous release reads or writes, nor adds a constraint its writes would
 * break. Removing takes two releases: one stops using it, the next drops it. A rename is an add,
 * a copy and a later drop. (Every store's migrations follow the same rule: the subgraphs', the
 * catalogue's, the audit trail's.) storage/migrate.ts lets a release run beside a newer one's
 * migrations; test/rollingUpgrade.test.ts runs an old and a new gateway side by side.
 */
import type { Kysely } from 'kysely';
import type { Migrations } from '../../storage/migrate.ts';

/** Where the demo's and a fresh platform's subgraphs run: the gateway's own machine. */
export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1'] as const;

export const platformMigrations: Migrations = {
  '001_identity_and_policy': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('departments')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('jurisdiction', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('purposes')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .execute();
      // Tokens are stored only as SHA-256 hashes (they are 256-bit random, so a slow hash adds nothing).
      await db.schema
        .createTable('credentials')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('department', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createTable('policy_versions')
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('overrides_json', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('grants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('consumer', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('coordinate', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('valid_from', 'text', (c) => c.notNull())
        .addColumn('valid_until', 'text')
        .addColumn('revoked_at', 'text')
        .addColumn('revoked_by', 'text')
        .addColumn('revoke_reason', 'text')
        .addColumn('application_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('grants_consumer').on('grants').columns(['consumer', 'coordinate']).execute();
      await db.schema
        .createTable('policy_proposals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('coordinate', 'text', (c) => c.notNull())
        .addColumn('proposal_json', 'text', (c) => c.notNull())
        .addColumn('proposed_by', 'text', (c) => c.notNull())
        .addColumn('department', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text')
        .addColumn('decided_by', 'text')
        .execute();
    },
  },
  '002_applications': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('departments').addColumn('webhook_url', 'text').execute();
      await db.schema.alterTable('departments').addColumn('webhook_secret', 'text').execute();
      // R5: a consumer applies for conditional fields; the provider answers within 10 working days.
      await db.schema
        .createTable('applications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('consumer', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('provider', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('applicant', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('justification', 'text', (c) => c.notNull())
        .addColumn('legal_basis', 'text', (c) => c.notNull())
        .addColumn('case_ref', 'text')
        .addColumn('requested_from', 'text', (c) => c.notNull())
        .addColumn('requested_until', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('submitted_at', 'text', (c) => c.notNull())
        .addColumn('due_date', 'text')
        .addColumn('decided_at', 'text')
        .addColumn('decided_by', 'text')
        .addColumn('decision_reason', 'text')
        .addColumn('approved_until', 'text')
        .addColumn('escalated_at', 'text')
        .addColumn('escalation_cause', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('applications_provider_status').on('applications').columns(['provider', 'status']).execute();
      await db.schema.createIndex('applications_consumer').on('applications').columns(['consumer', 'status']).execute();
      await db.schema
        .createTable('application_fields')
        .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
        .addColumn('coordinate', 'text', (c) => c.notNull())
        .addColumn('sharing_class', 'text', (c) => c.notNull())
        .addColumn('approved', 'integer')
        .addPrimaryKeyConstraint('application_fields_pk', ['application_id', 'coordinate'])
        .execute();
      // Every state change: who, when, what, why.
      await db.schema
        .createTable('application_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('details_json', 'text')
        .execute();
      await db.schema.createIndex('application_events_application').on('application_events').column('application_id').execute();
      await db.schema
        .createTable('notifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('department', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('application_id', 'text')
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('read_at', 'text')
        .execute();
      await db.schema.createIndex('notifications_department').on('notifications').columns(['department', 'created_at']).execute();
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('notification_id', 'text', (c) => c.notNull().references('notifications.id'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('delivered_at', 'text')
        .addColumn('last_error', 'text')
        .execute();
      await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
    },
  },
  '003_registry': {
    async up(db: Kysely<any>) {
      // Departments register their subgraphs; each publish stores a whole supergraph version.
      await db.schema
        .createTable('subgraphs')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('department', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('sdl', 'text', (c) => c.notNull())
        .addColumn('registered_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('supergraph_versions')
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('supergraph_sdl', 'text', (c) => c.notNull())
        .addColumn('subgraphs_json', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '004_objections': {
    async up(db: Kysely<any>) {
      // R9: a consumer flags data it believes wrong; the provider verifies, corrects, tells the consumers.
      await db.schema
        .createTable('objections')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('consumer', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('provider', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('raised_by', 'text', (c) => c.notNull())
        .addColumn('coordinate', 'text', (c) => c.notNull())
        .addColumn('entity_key', 'text', (c) => c.notNull())
        .addColumn('observed_value', 'text')
        .addColumn('expected_value', 'text')
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('raised_at', 'text', (c) => c.notNull())
        .addColumn('due_date', 'text', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .addColumn('resolved_by', 'text')
        .addColumn('resolution', 'text')
        .addColumn('resolution_note', 'text')
        .execute();
      await db.schema.createIndex('objections_provider_status').on('objections').columns(['provider', 'status']).execute();
    },
  },
  '005_schema_owners_and_hosts': {
    async up(db: Kysely<any>) {
      // R8 (one datum, one source): every type and field has one owning department, fixed
      // when first published; only the coordinating office changes it. Existing
      // registrations are claimed at the next start, in the order they were first registered.
      await db.schema
        .createTable('schema_owners')
        .addColumn('element', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('department', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('subgraph', 'text', (c) => c.notNull())
        .addColumn('claimed_at', 'text', (c) => c.notNull())
        .addColumn('claimed_by', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('schema_owners_department').on('schema_owners').column('department').execute();
      // The hosts a department's subgraphs may be registered at: the registry fetches nothing else.
      await db.schema
        .createTable('department_hosts')
        .addColumn('department', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('added_at', 'text', (c) => c.notNull())
        .addColumn('added_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('department_hosts_pk', ['department', 'host'])
        .execute();
      const now = new Date().toISOString();
      const departments = await db.selectFrom('departments').select('code').execute();
      for (const { code } of departments) {
        for (const host of LOOPBACK_HOSTS) {
          await db.insertInto('department_hosts').values({ department: code, host, added_at: now, added_by: 'system:migration' }).execute();
        }
      }
    },
  },
  '006_app_rate_limits': {
    async up(db: Kysely<any>) {
      // R10: per-app limits against sweeping guessable keys; an app without a row has the defaults.
      await db.schema
        .createTable('app_rate_limits')
        .addColumn('app_id', 'text', (c) => c.primaryKey().references('credentials.id'))
        .addColumn('requests_per_minute', 'integer', (c) => c.notNull())
        .addColumn('keys_per_minute', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '007_calendar_notices': {
    async up(db: Kysely<any>) {
      // The State Council's holiday notice for a year, entered by the coordinating office; a
      // correction is a new revision (the latest of a year is in force), so every entry stays.
      await db.schema
        .createTable('calendar_notices')
        .addColumn('revision', 'integer', (c) => c.primaryKey())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('holidays_json', 'text', (c) => c.notNull())
        .addColumn('adjusted_workdays_json', 'text', (c) => c.notNull())
        .addColumn('entered_by', 'text', (c) => c.notNull())
        .addColumn('entered_at', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('calendar_notices_year').on('calendar_notices').column('year').execute();
    },
  },
  '008_settings': {
    async up(db: Kysely<any>) {
      // Deadlines and limits as versioned settings (issue 13, control/settings): every change a
      // new row holding every value, with who, when and why; no row yet means the defaults.
      await db.schema
        .createTable('setting_versions')
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('values_json', 'text', (c) => c.notNull())
        .addColumn('changes_json', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // Notices sent once (a grant's expiry warning, an update task overdue): the key's row is
      // inserted in the notification's transaction, so replicas and repeated sweeps send one.
      await db.schema
        .createTable('notices_sent')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '009_field_refusals': {
    async up(db: Kysely<any>) {
      // R5 (000 art. 13; 003 template art. 10: 对不予共享的,提供部门应说明理由): every field an
      // answer leaves out carries its legal ground and text (control/applications/fieldRefusals.ts).
      await db.schema
        .createTable('application_field_refusals')
        .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
        .addColumn('coordinate', 'text', (c) => c.notNull())
        .addColumn('ground', 'text', (c) => c.notNull())
        .addColumn('law_name', 'text')
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('refused_at', 'text', (c) => c.notNull())
        .addColumn('refused_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('application_field_refusals_pk', ['application_id', 'coordinate'])
        .execute();
      // One contest per refused field (the primary key): the coordinating office's decision on it is final.
      await db.schema
        .createTable('application_field_contests')
        .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
        .addColumn('coordinate', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('contested_at', 'text', (c) => c.notNull())
        .addColumn('contested_by', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text')
        .addColumn('decided_by', 'text')
        .addColumn('decision_reason', 'text')
        .addColumn('granted_until', 'text')
        .addPrimaryKeyConstraint('application_field_contests_pk', ['application_id', 'coordinate'])
        .execute();
      await db.schema.createIndex('application_field_contests_status').on('application_field_contests').column('status').execute();
    },
  },
  '010_policy_changes': {
    async up(db: Kysely<any>) {
      // 000 art. 9: a department classifies its own data. The coordinating office's change of a
      // department's field is a proposal TO_DEPARTMENT, which the department accepts or contests
      // (the office then decides, with reasons); departments' own proposals are FROM_DEPARTMENT.
      await db.schema.alterTable('policy_proposals').addColumn('direction', 'text', (c) => c.notNull().defaultTo('FROM_DEPARTMENT')).execute();
      for (const column of ['contest_reason', 'contested_at', 'contested_by', 'decision_reason']) {
        await db.schema.alterTable('policy_proposals').addColumn(column, 'text').execute();
      }
      await db.schema.alterTable('policy_proposals').addColumn('applied_version', 'integer').execute();
    },
  },
  '011_objection_corrections_and_reports': {
    async up(db: Kysely<any>) {
      // R9: what a CORRECTED objection changed (the datum before and after), and who was told of it.
      await db.schema
        .createTable('objection_corrections')
        .addColumn('objection_id', 'text', (c) => c.primaryKey().references('objections.id'))
        .addColumn('value_before', 'text', (c) => c.notNull())
        .addColumn('value_after', 'text', (c) => c.notNull())
        .addColumn('corrected_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('objection_readers')
        .addColumn('objection_id', 'text', (c) => c.notNull().references('objections.id'))
        .addColumn('department', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('notified_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('objection_readers_pk', ['objection_id', 'department'])
        .execute();
      await db.schema.createIndex('objection_readers_department').on('objection_readers').column('department').execute();
      // R9, R11: an objection still open after its due date goes to the coordinating office, once.
      await db.schema
        .createTable('objection_escalations')
        .addColumn('objection_id', 'text', (c) => c.primaryKey().references('objections.id'))
        .addColumn('due_date', 'text', (c) => c.notNull())
        .addColumn('escalated_at', 'text', (c) => c.notNull())
        .execute();
      // R11: a year's evaluation reports, published by the coordinating office, frozen as published.
      await db.schema
        .createTable('report_publications')
        .addColumn('year', 'integer', (c) => c.primaryKey())
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('published_by', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('published_reports')
        .addColumn('year', 'integer', (c) => c.notNull().references('report_publications.year'))
        .addColumn('department', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('report_json', 'text', (c) => c.notNull())
        .addColumn('report_csv', 'text', (c) => c.notNull())
        .addColumn('report_svg', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('published_reports_pk', ['year', 'department'])
        .execute();
    },
  },
  '012_people': {
    async up(db: Kysely<any>) {
      // Issue 14: people of a department, with roles (drafter 经办人, approver 审批人, administrator).
      await db.schema
        .createTable('people')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('department', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('roles_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('deactivated_at', 'text')
        .addColumn('deactivated_by', 'text')
        .addColumn('deactivation_reason', 'text')
        .execute();
      await db.schema.createIndex('people_department').on('people').column('department').execute();
    },
  },
  '013_members': {
    async up(db: Kysely<any>) {
      // Issue 14: the coordinating office manages members. Deactivation keeps the row (history
      // names it) and refuses new use; who deactivated, when and why are kept.
      for (const table of ['departments', 'purposes']) {
        await db.schema.alterTable(table).addColumn('deactivated_at', 'text').execute();
        await db.schema.alterTable(table).addColumn('deactivated_by', 'text').execute();
        await db.schema.alterTable(table).addColumn('deactivation_reason', 'text').execute();
      }
      await db.schema.alterTable('purposes').addColumn('name_en', 'text').execute();
      await db.schema.alterTable('purposes').addColumn('legal_basis', 'text').execute();
      // App tokens: expiry, rotation (the previous token stays valid until previous_valid_until),
      // last use (written at most once a minute per token), who revoked and why.
      for (const column of ['expires_at', 'last_used_at', 'previous_token_hash', 'previous_valid_until', 'rotated_at', 'revoked_by', 'revoke_reason', 'issued_by_person']) {
        await db.schema.alterTable('credentials').addColumn(column, 'text').execute();
      }
      await db.schema.createIndex('credentials_previous_token').on('credentials').column('previous_token_hash').execute();
      // The drafter (经办人) of a case, who may not approve it; passed on when they leave.
      await db.schema.alterTable('applications').addColumn('drafted_by_person', 'text').execute();
      await db.schema.alterTable('policy_proposals').addColumn('proposed_by_person', 'text').execute();
      // Records name the person acting, beside the credential (actor stays the credential).
      await db.schema.alterTable('policy_versions').addColumn('person_id', 'text').execute();
      await db.schema.alterTable('policy_versions').addColumn('person_name', 'text').execute();
      // An acting approver (代理审批人): the approver role for a period, named by the department administrator.
      await db.schema
        .createTable('acting_approvers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('department', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
        .addColumn('valid_from', 'text', (c) => c.notNull())
        .addColumn('valid_until', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('named_at', 'text', (c) => c.notNull())
        .addColumn('named_by', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .addColumn('ended_by', 'text')
        .execute();
      await db.schema.createIndex('acting_approvers_person').on('acting_approvers').column('person_id').execute();
    },
  },
  '014_sign_in': {
    async up(db: Kysely<any>) {
      // Issue 14 (R10): local accounts (scrypt hash, sealed TOTP secret, lockout), the failures
      // that count toward a lockout, short-lived sign-in challenges (the TOTP step, a forced
      // password change, an OpenID Connect round trip), server-side sessions (ids stored hashed)
      // and the link from an identity service's subject to a person (control/signIn).
      await db.schema
        .createTable('local_accounts')
        .addColumn('username', 'text', (c) => c.primaryKey())
        .addColumn('person_id', 'text', (c) => c.notNull().unique().references('people.id'))
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('must_change_password', 'integer', (c) => c.notNull())
        .addColumn('totp_secret', 'text', (c) => c.notNull())
        .addColumn('last_totp_step', 'integer')
        .addColumn('locked_until', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('password_changed_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('sign_in_failures')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sign_in_failures_username').on('sign_in_failures').columns(['username', 'at']).execute();
      await db.schema
        .createTable('sign_in_challenges')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('sign_in_sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .addColumn('end_reason', 'text')
        .execute();
      await db.schema.createIndex('sign_in_sessions_person').on('sign_in_sessions').column('person_id').execute();
      await db.schema
        .createTable('oidc_links')
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
        .addColumn('linked_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('oidc_links_pk', ['issuer', 'subject'])
        .execute();
    },
  },
  '015_signing_keys': {
    async up(db: Kysely<any>) {
      // Issue 15, R10: the gateway replicas' signing keys, shared through the store (never per
      // machine). One row per key: its purpose (context | audit-checkpoint), its generation
      // (the highest signs; every one keeps verifying), the public half, and the private half
      // encrypted under the platform key (bound to its kid).
      await db.schema
        .createTable('signing_keys')
        .addColumn('kid', 'text', (c) => c.primaryKey())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('generation', 'integer', (c) => c.notNull())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('private_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addUniqueConstraint('signing_keys_purpose_generation', ['purpose', 'generation'])
        .execute();
      // Secrets of the platform itself (the context MAC root), encrypted under the platform key.
      await db.schema
        .createTable('platform_secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '016_seal_keys': {
    async up(db: Kysely<any>) {
      // R12 (004 art. 22–23): the issuer seal-key registry (control/seals/sealKeyRegistry.ts).
      // Seals are verified against these rows, looked up by issuer and key id, never against a
      // key a document carries. The private key is a `gg1:` envelope under the platform key
      // (R10), bound to its row; a key is retired by rotation (valid_until) or revoked.
      await db.schema
        .createTable('issuer_seal_keys')
        .addColumn('key_id', 'text', (c) => c.primaryKey())
        .addColumn('department', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('issuer_code', 'text', (c) => c.notNull())
        .addColumn('issuer_name', 'text', (c) => c.notNull())
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('private_key', 'text', (c) => c.notNull())
        .addColumn('valid_from', 'text', (c) => c.notNull())
        .addColumn('valid_until', 'text')
        .addColumn('revoked_at', 'text')
        .addColumn('revocation_reason', 'text')
        .addColumn('revoked_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('creation_reason', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('issuer_seal_keys_issuer').on('issuer_seal_keys').column('issuer_code').execute();
    },
  },
  '017_classification_guards': {
    async up(db: Kysely<any>) {
      // Issue 21 (003 Guangdong art. 4): the coordinating office's reasoned overrides that let a
      // basic or licensing-related item be conditional or not shared
      // (control/classification/classificationGuards.ts). At most one stands per coordinate;
      // a withdrawn one stays, with who withdrew it and why.
      await db.schema
        .createTable('item_mandate_overrides')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('coordinate', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('granted_by', 'text', (c) => c.notNull())
        .addColumn('granted_at', 'text', (c) => c.notNull())
        .addColumn('withdrawn_at', 'text')
        .addColumn('withdrawn_by', 'text')
        .addColumn('withdrawal_reason', 'text')
        .execute();
      await db.schema.createIndex('item_mandate_overrides_coordinate').on('item_mandate_overrides').column('coordinate').execute();
    },
  },
  '018_undertakings': {
    async up(db: Kysely<any>) {
      // Issue 21 (003 ××市 art. 12; R6): the consumer's use undertaking for an application's
      // grants — purpose, no onward transfer, retention — one per application, never changed
      // (control/applications/undertakings.ts). Until it exists the grants are not in force.
      await db.schema
        .createTable('grant_undertakings')
        .addColumn('application_id', 'text', (c) => c.primaryKey().references('applications.id'))
        .addColumn('consumer', 'text', (c) => c.notNull())
        .addColumn('use_purpose', 'text', (c) => c.notNull())
        .addColumn('no_onward_transfer', 'integer', (c) => c.notNull())
        .addColumn('retention_days', 'integer', (c) => c.notNull())
        .addColumn('accepted_by', 'text', (c) => c.notNull())
        .addColumn('accepted_by_person', 'text')
        .addColumn('accepted_at', 'text', (c) => c.notNull())
        .execute();
      // Grants made before undertakings existed keep their force: their applications are
      // recorded as undertaken at the migration, by the platform, for their declared purpose.
      const now = new Date().toISOString();
      const granted = await db.selectFrom('applications').select(['id', 'consumer', 'purpose']).where('status', 'in', ['APPROVED', 'GRANTED_ON_ARBITRATION']).execute();
      for (const a of granted as { id: string; consumer: string; purpose: string }[]) {
        await db.insertInto('grant_undertakings').values({
          application_id: a.id, consumer: a.consumer, use_purpose: `${a.purpose} (recorded at migration 018 for a grant made before undertakings)`, no_onward_transfer: 1,
          retention_days: 365, accepted_by: 'system:migration-018', accepted_by_person: null, accepted_at: now,
        }).execute();
      }
    },
  },
  '019_needs_review_rectification': {
    async up(db: Kysely<any>) {
      // Issue 21: sharing needs (000 art. 9, 13; 004 art. 15–16), rectification notices and
      // complaints between departments (003 ××市 art. 21; 004 art. 32–33), and the steps of each
      // with the person acting (control/governance/caseEvents.ts). Catalogue review and filing
      // lives in the catalogue's own store (control/catalogue/migrations.ts 002_catalogue_reviews).
      await db.schema
        .createTable('sharing_needs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('consumer', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('data_wanted', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('legal_basis', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('provider', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('matched_json', 'text', (c) => c.notNull())
        .addColumn('stated_at', 'text', (c) => c.notNull())
        .addColumn('stated_by', 'text', (c) => c.notNull())
        .addColumn('consulted_at', 'text')
        .addColumn('consultation_due', 'text')
        .addColumn('answer', 'text')
        .addColumn('answer_ground', 'text')
        .addColumn('answer_reasons', 'text')
        .addColumn('answered_at', 'text')
        .addColumn('answered_by', 'text')
        .addColumn('decision_due', 'text')
        .addColumn('escalated_at', 'text')
        .addColumn('decision', 'text')
        .addColumn('decision_reasons', 'text')
        .addColumn('decided_at', 'text')
        .addColumn('decided_by', 'text')
        .execute();
      await db.schema.createIndex('sharing_needs_status').on('sharing_needs').columns(['status', 'consultation_due']).execute();
      await db.schema
        .createTable('rectification_notices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('department', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('source', 'text', (c) => c.notNull())
        // One notice per evaluation finding (year, department, violation): a second sweep opens none.
        .addColumn('source_key', 'text', (c) => c.unique())
        .addColumn('violation_kind', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('complaint_id', 'text')
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .addColumn('opened_by', 'text', (c) => c.notNull())
        .addColumn('due_date', 'text', (c) => c.notNull())
        .addColumn('working_days', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('answer', 'text')
        .addColumn('answered_at', 'text')
        .addColumn('answered_by', 'text')
        .addColumn('escalated_at', 'text')
        .execute();
      await db.schema.createIndex('rectification_notices_due').on('rectification_notices').columns(['status', 'due_date']).execute();
      await db.schema
        .createTable('complaints')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('complainant', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('against', 'text', (c) => c.notNull().references('departments.code'))
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('facts', 'text', (c) => c.notNull())
        .addColumn('lodged_at', 'text', (c) => c.notNull())
        .addColumn('lodged_by', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('handled_at', 'text')
        .addColumn('handled_by', 'text')
        .addColumn('reasons', 'text')
        .addColumn('notice_id', 'text')
        .execute();
      await db.schema
        .createTable('case_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_kind', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('person_id', 'text')
        .addColumn('person_name', 'text')
        .addColumn('note', 'text')
        .execute();
      await db.schema.createIndex('case_events_case').on('case_events').columns(['case_kind', 'case_id', 'at']).execute();
    },
  },
  '020_department_language': {
    async up(db: Kysely<any>) {
      // Issue 17: the language of the texts the platform makes for a department's people (report
      // CSV headers and SVG labels; later notifications and webhook bodies): zh by default.
      await db.schema.alterTable('departments').addColumn('language', 'text', (c) => c.notNull().defaultTo('zh')).execute();
    },
  },
};
