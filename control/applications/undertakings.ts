/**
 * Use undertakings (使用承诺, issue 21; 003 ××市 art. 12, no onward transfer; R6): when an
 * application is approved (or granted on arbitration), an approver of the consuming department
 * accepts an undertaking — the purpose the data is used for, that it is not passed on to any
 * third party, and how long it is kept — recorded with the application's grants.
 *
 * Decision (for now): reads do not wait for the undertaking. A grant is in force from the
 * approval, as before; until its consumer accepts the undertaking it is shown as awaiting it
 * (Grant.awaitingUndertaking, Application.undertaking null) in the management API and the CLI.
 * Making reads wait is one change - PlatformStore.policySource leaving out the grants of
 * applications not in `undertakenApplications` - and waits for the console's undertaking
 * action, without which a consumer using only the console could not put a grant in force.
 * Accepting already makes a new GRANT policy version, so the switch needs no other change.
 * The demo's seeded grants carry a seeded undertaking (platform/demoSeed.ts); grants made
 * before migration 018 are recorded as undertaken by it.
 *
 * The acceptance is recorded three times: in `grant_undertakings` (one per application, never
 * changed), as an UNDERTAKE event of the application, and in the audit trail (the admin audit
 * plugin records the mutation with its purpose and retention).
 */
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Kysely, Transaction } from 'kysely';
import { ErrorCode } from '../../lib/errors.ts';
import { actingPersonRecord } from '../store/actingPerson.ts';
import type { Identity, PlatformDatabase, PlatformStore } from '../store/platformStore.ts';

export interface UndertakingsTable {
  grant_undertakings: {
    application_id: string;
    consumer: string;
    /** The purpose of use, in the consumer's words (beside the application's declared purpose code). */
    use_purpose: string;
    /** 1: the consumer undertakes not to pass the data on (003 ××市 art. 12); never 0. */
    no_onward_transfer: number;
    /** Days the consumer keeps data it received, at most. */
    retention_days: number;
    accepted_by: string;
    accepted_by_person: string | null;
    accepted_at: string;
  };
}

type Db = Kysely<PlatformDatabase & UndertakingsTable>;

/** Longest retention an undertaking may state: ten years. */
export const MAX_RETENTION_DAYS = 3650;
const MAX_PURPOSE = 500;
/** Application states whose grants exist and await (or have) an undertaking. */
const GRANTED = ['APPROVED', 'GRANTED_ON_ARBITRATION'];

export interface Undertaking {
  readonly applicationId: string;
  readonly consumer: string;
  readonly purpose: string;
  readonly noOnwardTransfer: boolean;
  readonly retentionDays: number;
  readonly acceptedBy: string;
  readonly acceptedByPerson: string | null;
  readonly acceptedAt: string;
}

export interface UndertakingInput {
  readonly purpose: string;
  readonly noOnwardTransfer: boolean;
  readonly retentionDays: number;
}

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

function toUndertaking(r: UndertakingsTable['grant_undertakings']): Undertaking {
  return {
    applicationId: r.application_id, consumer: r.consumer, purpose: r.use_purpose, noOnwardTransfer: Number(r.no_onward_transfer) === 1,
    retentionDays: Number(r.retention_days), acceptedBy: r.accepted_by, acceptedByPerson: r.accepted_by_person, acceptedAt: r.accepted_at,
  };
}

export async function undertakingOf(db: Kysely<any>, applicationId: string): Promise<Undertaking | null> {
  const row = await (db as Db).selectFrom('grant_undertakings').selectAll().where('application_id', '=', applicationId).executeTakeFirst();
  return row ? toUndertaking(row) : null;
}

/** The ids of applications whose undertaking was accepted. */
export async function undertakenApplications(db: Kysely<any>): Promise<Set<string>> {
  const rows = await (db as Db).selectFrom('grant_undertakings').select('application_id').execute();
  return new Set(rows.map((r) => r.application_id));
}

/** The input checked: a purpose, no onward transfer (the undertaking's point), a retention in days. */
export function checkedUndertaking(input: UndertakingInput): UndertakingInput {
  const purpose = input.purpose.trim();
  if (!purpose || purpose.length > MAX_PURPOSE) throw badInput(`state the purpose the data is used for (1–${MAX_PURPOSE} characters)`);
  // 003 ××市 art. 12: the consumer does not pass shared data on; an undertaking without it is not one.
  if (input.noOnwardTransfer !== true) throw badInput('the undertaking must include noOnwardTransfer: true — shared data is not passed to any third party (003 ××市 art. 12; R6)');
  if (!Number.isInteger(input.retentionDays) || input.retentionDays < 1 || input.retentionDays > MAX_RETENTION_DAYS) {
    throw badInput(`retentionDays must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}, received ${input.retentionDays}`);
  }
  return { purpose, noOnwardTransfer: true, retentionDays: input.retentionDays };
}

/**
 * Records the consumer's undertaking for an approved application, in a new GRANT policy
 * version. Only an administrator of the
 * consuming department (a person needs APPROVER: control/members/personRoles.ts); once only.
 */
export async function acceptUndertaking(
  store: PlatformStore, identity: Identity, applicationId: string, given: UndertakingInput, at: Date,
  { actor = `${identity.department}:${identity.credentialId}` }: { actor?: string } = {},
): Promise<Undertaking> {
  const input = checkedUndertaking(given);
  const application = await store.db.selectFrom('applications').select(['id', 'consumer', 'status']).where('id', '=', applicationId).executeTakeFirst();
  if (!application) throw badInput(`no application ${JSON.stringify(applicationId)}`);
  if (identity.kind !== 'DEPARTMENT_ADMIN' || identity.department !== application.consumer) {
    throw new GraphQLError(`the undertaking is given by an administrator of ${application.consumer}, which applied; your token is a ${identity.kind} of ${identity.department}`, { extensions: { code: ErrorCode.FORBIDDEN } });
  }
  if (!GRANTED.includes(application.status)) {
    throw new GraphQLError(`application ${applicationId} is ${application.status}: an undertaking is given once it is approved`, { extensions: { code: ErrorCode.CONFLICT } });
  }
  const person = actingPersonRecord();
  await store.appendVersion('GRANT', `application ${applicationId}: use undertaking accepted by ${application.consumer} (no onward transfer, kept ${input.retentionDays} days)`, actor, async (trx, previous) => {
    await insertUndertaking(trx, { applicationId, consumer: application.consumer, input, actor, person: person?.id ?? null, at });
    await trx.insertInto('application_events').values({
      id: randomUUID(), application_id: applicationId, at: at.toISOString(), actor, action: 'UNDERTAKE', from_status: application.status, to_status: application.status,
      reason: `${input.purpose}；不向第三方提供；保存 ${input.retentionDays} 日`, details_json: person ? JSON.stringify({ person }) : null,
    }).execute();
    await store.changes.publish('grants', applicationId, trx);
    return [...previous];
  });
  return (await undertakingOf(store.db, applicationId))!;
}

async function insertUndertaking(
  trx: Transaction<PlatformDatabase> | Kysely<PlatformDatabase>,
  u: { applicationId: string; consumer: string; input: UndertakingInput; actor: string; person: string | null; at: Date },
): Promise<void> {
  const db = trx as unknown as Db;
  const existing = await db.selectFrom('grant_undertakings').select('accepted_at').where('application_id', '=', u.applicationId).executeTakeFirst();
  if (existing) throw new GraphQLError(`application ${u.applicationId}'s undertaking was accepted already, at ${existing.accepted_at}; it is not changed`, { extensions: { code: ErrorCode.CONFLICT } });
  await db.insertInto('grant_undertakings').values({
    application_id: u.applicationId, consumer: u.consumer, use_purpose: u.input.purpose, no_onward_transfer: 1, retention_days: u.input.retentionDays,
    accepted_by: u.actor, accepted_by_person: u.person, accepted_at: u.at.toISOString(),
  }).execute();
}

export const undertakingsTypeDefs = /* GraphQL */ `
extend type Mutation {
  """
  An administrator of the consuming department (a person: APPROVER) accepts the use
  undertaking (使用承诺) for an approved application: the purpose the data is used for, that it
  is passed to no third party (noOnwardTransfer must be true; 003 ××市 art. 12), and how many
  days it is kept. Recorded with the application's grants (a new policy version); once per
  application; audited.
  """
  undertakeApplication(id: ID!, purpose: String!, noOnwardTransfer: Boolean!, retentionDays: Int!): GrantUndertaking!
}

"A consumer's use undertaking for an application's grants (使用承诺)."
type GrantUndertaking {
  applicationId: ID!
  consumer: String!
  "The purpose the data is used for, in the consumer's words."
  purpose: String!
  "Always true: the data is not passed to any third party (003 ××市 art. 12)."
  noOnwardTransfer: Boolean!
  "Days the consumer keeps the data, at most."
  retentionDays: Int!
  acceptedBy: String!
  "The person who accepted it, when a person did."
  acceptedByPerson: String
  acceptedAt: String!
}

extend type Application {
  "The consumer's use undertaking; null: none yet."
  undertaking: GrantUndertaking
}

extend type Grant {
  "The undertaking its application's consumer accepted; null: none (yet)."
  undertaking: GrantUndertaking
  "True: the grant comes from an application whose consumer has not yet accepted the use undertaking (undertakeApplication)."
  awaitingUndertaking: Boolean!
}
`;

interface Ctx { readonly identity: Identity; readonly store: PlatformStore; readonly clock: () => Date; readonly policy: { refresh(): Promise<unknown> } }

async function applicationOfGrant(ctx: Ctx, grant: { id: string; applicationId?: string | null }): Promise<string | null> {
  if (grant.applicationId !== undefined) return grant.applicationId;
  return (await ctx.store.grant(grant.id))?.applicationId ?? null;
}

export const undertakingsResolvers = {
  Mutation: {
    undertakeApplication: async (_: unknown, args: { id: string; purpose: string; noOnwardTransfer: boolean; retentionDays: number }, ctx: Ctx) => {
      const undertaking = await acceptUndertaking(ctx.store, ctx.identity, args.id, args, ctx.clock());
      await ctx.policy.refresh();
      return undertaking;
    },
  },
  Application: {
    undertaking: (a: { id: string }, _: unknown, ctx: Ctx) => undertakingOf(ctx.store.db, a.id),
  },
  Grant: {
    undertaking: async (g: { id: string; applicationId?: string | null }, _: unknown, ctx: Ctx) => {
      const applicationId = await applicationOfGrant(ctx, g);
      return applicationId ? undertakingOf(ctx.store.db, applicationId) : null;
    },
    awaitingUndertaking: async (g: { id: string; applicationId?: string | null }, _: unknown, ctx: Ctx) => {
      const applicationId = await applicationOfGrant(ctx, g);
      return applicationId !== null && (await undertakingOf(ctx.store.db, applicationId)) === null;
    },
  },
};

