/**
 * The needs register in the management API (`/admin/graphql`): an extension of its schema
 * (`needsTypeDefs`) and its resolvers (needsRegister.ts holds the rules).
 *
 * Who may do what: a department's administrator (or app) states its needs and reads them; the
 * consulted provider reads and answers the needs put to it; the coordinating office reads every
 * need and decides those consultation did not settle. Another department sees nothing of a need.
 */
import { NeedsRegister, escalateOverdueNeeds, type NeedAnswer, type NeedDecision, type NeedInput, type NeedRecord, type NeedStatus, type NeedsContext, type RefusalGround } from './needsRegister.ts';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errors.ts';

export const needsTypeDefs = /* GraphQL */ `
extend type Query {
  """
  Sharing needs (共享需求, 000 art. 9, 13; 004 art. 15–16) the caller's department stated or was
  consulted on; every need for the coordinating office.
  """
  sharingNeeds(status: SharingNeedStatus): [SharingNeed!]!
  "One need, when the caller is one of its parties (null otherwise)."
  sharingNeed(id: ID!): SharingNeed
}

extend type Mutation {
  """
  A department states a need: the data wanted, the purpose, the legal basis, a description. It is
  matched to the catalogue now (apply for the matches with applyForAccess); when nothing matches,
  the named provider is consulted, due within NEED_CONSULTATION_WORKING_DAYS.
  """
  stateSharingNeed(input: SharingNeedInput!): SharingNeed!
  "The consumer: the matched entries meet the need (it applied for them)."
  markSharingNeedMet(id: ID!, note: String): SharingNeed!
  "The consumer: the matched entries do not meet the need; consult this provider (000 art. 13)."
  consultOnSharingNeed(id: ID!, provider: String!, reason: String!): SharingNeed!
  """
  The consulted provider answers: CAN_PROVIDE settles the need; CANNOT_PROVIDE names its ground
  (000 art. 13 admits state secrets, commercial secrets, personal privacy, other legal reasons)
  and sends the need to the coordinating office.
  """
  answerSharingNeed(id: ID!, answer: SharingNeedAnswer!, ground: SharingNeedRefusalGround, reasons: String!): SharingNeed!
  "Coordinating office: decides a need consultation did not settle, with reasons (000 art. 13)."
  decideSharingNeed(id: ID!, decision: SharingNeedDecision!, reasons: String!): SharingNeed!
  "The consumer withdraws a need not yet settled."
  withdrawSharingNeed(id: ID!, reason: String!): SharingNeed!
  "Coordinating office: sends every consultation unanswered past its due date to itself now (also every minute); returns those sent."
  escalateOverdueSharingNeeds: [ID!]!
}

enum SharingNeedStatus { MATCHED MET CONSULTING AGREED AWAITING_DECISION DECIDED_PROVIDE DECIDED_NOT_PROVIDE WITHDRAWN }
enum SharingNeedAnswer { CAN_PROVIDE CANNOT_PROVIDE }
enum SharingNeedRefusalGround { STATE_SECRET COMMERCIAL_SECRET PERSONAL_PRIVACY OTHER_LEGAL }
enum SharingNeedDecision { PROVIDE NOT_PROVIDE }

input SharingNeedInput {
  "The data wanted, in words or field coordinates (户籍地址, Person.householdAddress…)."
  dataWanted: String!
  "The duty the data serves."
  purpose: String!
  "The law and article the duty rests on."
  legalBasis: String!
  description: String
  "The department likely to hold the data: consulted when no catalogue entry matches."
  provider: String
}

"A catalogue item that matches a need, with the consumer's access to it when the need was stated."
type SharingNeedMatch {
  entryCode: String!
  entryName: String!
  provider: String!
  coordinate: String!
  itemName: String
  "READ (already readable), APPLY (apply with applyForAccess) or NOT_SHARED."
  access: String!
}

"One step of a governance case, with the person who took it."
type CaseEvent {
  at: String!
  action: String!
  actor: String!
  person: CaseEventPerson
  note: String
}
type CaseEventPerson { id: ID! name: String! }

type SharingNeed {
  id: ID!
  consumer: String!
  dataWanted: String!
  purpose: String!
  legalBasis: String!
  description: String!
  "The consulted (or named) provider."
  provider: String
  status: SharingNeedStatus!
  matches: [SharingNeedMatch!]!
  statedAt: String!
  statedBy: String!
  consultedAt: String
  "The last day the provider's answer is on time (China)."
  consultationDue: String
  answer: SharingNeedAnswer
  answerGround: SharingNeedRefusalGround
  answerReasons: String
  answeredAt: String
  answeredBy: String
  "The last day of the coordinating office's decision."
  decisionDue: String
  "When an unanswered consultation went to the coordinating office."
  escalatedAt: String
  decision: SharingNeedDecision
  decisionReasons: String
  decidedAt: String
  decidedBy: String
  "The step in progress is past its due date."
  overdue: Boolean!
  events: [CaseEvent!]!
}
`;

const registerOf = (ctx: NeedsContext) => new NeedsRegister(ctx);

export const needsResolvers = {
  Query: {
    sharingNeeds: (_: unknown, args: { status?: NeedStatus | null }, ctx: NeedsContext) => registerOf(ctx).list(args.status),
    sharingNeed: (_: unknown, args: { id: string }, ctx: NeedsContext) => registerOf(ctx).get(args.id),
  },
  Mutation: {
    stateSharingNeed: (_: unknown, args: { input: NeedInput }, ctx: NeedsContext) => registerOf(ctx).state(args.input),
    markSharingNeedMet: (_: unknown, args: { id: string; note?: string | null }, ctx: NeedsContext) => registerOf(ctx).markMet(args.id, args.note ?? null),
    consultOnSharingNeed: (_: unknown, args: { id: string; provider: string; reason: string }, ctx: NeedsContext) => registerOf(ctx).consult(args.id, args.provider, args.reason),
    answerSharingNeed: (_: unknown, args: { id: string; answer: NeedAnswer; ground?: RefusalGround | null; reasons: string }, ctx: NeedsContext) =>
      registerOf(ctx).answer(args.id, args.answer, args.ground ?? null, args.reasons),
    decideSharingNeed: (_: unknown, args: { id: string; decision: NeedDecision; reasons: string }, ctx: NeedsContext) => registerOf(ctx).decide(args.id, args.decision, args.reasons),
    withdrawSharingNeed: (_: unknown, args: { id: string; reason: string }, ctx: NeedsContext) => registerOf(ctx).withdraw(args.id, args.reason),
    escalateOverdueSharingNeeds: (_: unknown, __: unknown, ctx: NeedsContext) => {
      if (ctx.identity.kind !== 'PLATFORM_ADMIN') throw new GraphQLError('only the coordinating office runs the needs deadline sweep', { extensions: { code: ErrorCode.FORBIDDEN } });
      return escalateOverdueNeeds(ctx.store.db, ctx.calendar, ctx.settings, ctx.clock());
    },
  },
  SharingNeed: {
    events: (need: NeedRecord, _: unknown, ctx: NeedsContext) => registerOf(ctx).events(need.id),
  },
};
