/**
 * Objections' follow-ups in the management API (`/admin/graphql`): the correction a CORRECTED
 * objection records and who may read it (correction.ts), and the escalation of overdue
 * objections to the coordinating office (escalation.ts). An extension of the admin schema
 * (`objectionTypeDefs`, merged with `control/admin/schema.graphql`) and its resolvers.
 *
 * Who may do what: an objection's parties read it whole (the `objections` query); a
 * department told of a correction because it read the datum reads that correction
 * (`objectionCorrections`) and nothing else of the objection; the coordinating office reads
 * every correction and the escalated objections, and may run the escalation sweep.
 */
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errors.ts';
import type { Identity, PlatformStore } from '../store/platformStore.ts';
import type { ObjectionRecord, ObjectionService } from './objectionService.ts';
import { correctionsVisibleTo, followUpsOf } from './correction.ts';
import { escalatedObjectionIds } from './escalation.ts';

/** The part of the admin context these resolvers use. */
export interface ObjectionAdminContext {
  readonly identity: Identity;
  readonly store: PlatformStore;
  readonly objections: ObjectionService;
}

export const objectionTypeDefs = /* GraphQL */ `
extend type Query {
  """
  Corrections of data (R9) the caller's department may see: those of objections it raised or
  resolved, and those it was told of because it had read the datum; all for the coordinating
  office. One objection's with objectionId.
  """
  objectionCorrections(objectionId: ID): [ObjectionCorrection!]!
  "Coordinating office: objections still open after their due date, escalated to it (R9, R11); with includeResolved, those resolved since as well."
  escalatedObjections(includeResolved: Boolean = false): [Objection!]!
}

extend type Mutation {
  "Coordinating office: escalates every objection open past its due date now (it also runs by itself every minute); returns those escalated."
  escalateOverdueObjections: [ID!]!
}

extend type Objection {
  "CORRECTED: the datum's value before the correction."
  valueBefore: String
  "CORRECTED: the datum's value after the correction."
  valueAfter: String
  "CORRECTED: when the correction was recorded."
  correctedAt: String
  "When the objection, open past its due date, went to the coordinating office."
  escalatedAt: String
}

"What a CORRECTED objection changed (R9), as the departments that read the datum see it."
type ObjectionCorrection {
  objectionId: ID!
  provider: String!
  coordinate: String!
  "The record's key (idNumber, creditCode, unitNo or licenceNo): the record to fix in one's own files."
  entityKey: String!
  valueBefore: String!
  valueAfter: String!
  correctedAt: String!
  "The provider's note on what was verified and changed."
  note: String!
}
`;

type FollowUps = Awaited<ReturnType<typeof followUpsOf>> extends Map<string, infer V> ? V : never;

/** One loader per request (the context is made per request): an objection list's follow-ups in two queries. */
const loaders = new WeakMap<ObjectionAdminContext, DataLoader<string, FollowUps>>();
function followUps(ctx: ObjectionAdminContext, id: string): Promise<FollowUps> {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const found = await followUpsOf(ctx.store.db, ids);
      return ids.map((id) => found.get(id)!);
    });
    loaders.set(ctx, loader);
  }
  return loader.load(id);
}

function requireCoordinatingOffice({ identity }: ObjectionAdminContext): void {
  if (identity.kind !== 'PLATFORM_ADMIN') {
    throw new GraphQLError(`escalated objections are the coordinating office's; your token is a ${identity.kind} of ${identity.department}`, { extensions: { code: ErrorCode.FORBIDDEN } });
  }
}

export const objectionResolvers = {
  Query: {
    objectionCorrections: (_: unknown, args: { objectionId?: string | null }, ctx: ObjectionAdminContext) => correctionsVisibleTo(ctx.store.db, ctx.identity, args.objectionId),
    escalatedObjections: async (_: unknown, args: { includeResolved: boolean }, ctx: ObjectionAdminContext) => {
      requireCoordinatingOffice(ctx);
      const ids = await escalatedObjectionIds(ctx.store.db, args.includeResolved);
      return (await Promise.all(ids.map((id) => ctx.objections.get(id)))).filter((o): o is ObjectionRecord => o !== null);
    },
  },
  Mutation: {
    escalateOverdueObjections: (_: unknown, __: unknown, ctx: ObjectionAdminContext) => {
      requireCoordinatingOffice(ctx);
      return ctx.objections.escalateOverdue();
    },
  },
  Objection: {
    valueBefore: async (o: ObjectionRecord, _: unknown, ctx: ObjectionAdminContext) => (await followUps(ctx, o.id)).correction?.valueBefore ?? null,
    valueAfter: async (o: ObjectionRecord, _: unknown, ctx: ObjectionAdminContext) => (await followUps(ctx, o.id)).correction?.valueAfter ?? null,
    correctedAt: async (o: ObjectionRecord, _: unknown, ctx: ObjectionAdminContext) => (await followUps(ctx, o.id)).correction?.correctedAt ?? null,
    escalatedAt: async (o: ObjectionRecord, _: unknown, ctx: ObjectionAdminContext) => (await followUps(ctx, o.id)).escalatedAt ?? null,
  },
};
