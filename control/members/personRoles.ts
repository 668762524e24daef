/**
 * Roles enforced on a person's management mutations (issue 14), in one table: who drafts
 * (经办人), who decides (审批人), who administers. A bare token (no person) keeps working as
 * before: the rules apply when the caller is a person.
 *
 * - Fail closed: a mutation not named in MUTATION_ROLES needs the ADMINISTRATOR role.
 * - Decisions (approvals, rejections, arbitrations, policy decisions) need APPROVER — the
 *   person's own or an acting approver's period — and the approver of a case is never its
 *   drafter, the person who submitted or drafted it.
 * - Every mutation of a person runs as that person (control/store/actingPerson.ts), so the
 *   records it writes name them.
 */
import { GraphQLError } from 'graphql';
import type { Kysely } from 'kysely';
import { ErrorCode } from '../../lib/errors.ts';
import { actAs } from '../store/actingPerson.ts';
import type { Identity, PersonRole, PlatformDatabase } from '../store/platformStore.ts';
import { personStanding, type PersonStanding } from './personStanding.ts';

/** Roles a person needs for a mutation: any one of them. `ANY`: every active person. */
type Requirement = readonly PersonRole[] | 'ANY';

const DRAFTER: Requirement = ['DRAFTER'];
const APPROVER: Requirement = ['APPROVER'];

/** The mutations that need something other than ADMINISTRATOR (the default). */
export const MUTATION_ROLES: Readonly<Record<string, Requirement>> = {
  // Drafting a case (经办).
  applyForAccess: DRAFTER, contestApplication: DRAFTER, contestApplicationField: DRAFTER, withdrawApplication: DRAFTER,
  proposeFieldPolicy: DRAFTER, proposeReclassification: DRAFTER, raiseObjection: DRAFTER, resolveObjection: DRAFTER,
  reportCatalogueChange: DRAFTER,
  // Issue 21: a need, an answer to a consultation or a notice, a complaint are drafted (经办); the office's decisions are approved (审批).
  submitCatalogueChange: DRAFTER, answerRectificationNotice: DRAFTER, lodgeComplaint: DRAFTER,
  stateSharingNeed: DRAFTER, markSharingNeedMet: DRAFTER, consultOnSharingNeed: DRAFTER, withdrawSharingNeed: DRAFTER, answerSharingNeed: DRAFTER,
  // Deciding a case or a policy (审批).
  approveApplication: APPROVER, rejectApplication: APPROVER, arbitrateApplication: APPROVER, arbitrateApplicationField: APPROVER,
  decidePolicyProposal: APPROVER, acceptReclassification: APPROVER, contestReclassification: APPROVER, reviewReclassification: APPROVER,
  decideSharingNeed: APPROVER, fileCatalogueChange: APPROVER, returnCatalogueChange: APPROVER,
  openRectificationNotices: APPROVER, openRectificationNotice: APPROVER, handleComplaint: APPROVER,
  setFieldPolicy: APPROVER, clearFieldPolicy: APPROVER, overrideItemMandate: APPROVER, withdrawItemMandateOverride: APPROVER, rollbackPolicy: APPROVER, revertPolicyChange: APPROVER, revokeGrant: APPROVER,
  // The consumer's use undertaking binds its department (issue 21; 003 ××市 art. 12).
  undertakeApplication: APPROVER,
  // One's own reading.
  markNotificationsRead: 'ANY',
};

/** A case's drafter, for the decisions that must not be theirs. */
type DrafterOf = (db: Kysely<PlatformDatabase>, args: Record<string, unknown>) => Promise<{ drafter: string | null; label: string } | null>;

const applicationDrafter: DrafterOf = async (db, args) => {
  const row = await db.selectFrom('applications').select('drafted_by_person').where('id', '=', String(args.id)).executeTakeFirst();
  return row ? { drafter: row.drafted_by_person ?? null, label: `application ${String(args.id)}` } : null;
};
const proposalDrafter: DrafterOf = async (db, args) => {
  const row = await db.selectFrom('policy_proposals').select('proposed_by_person').where('id', '=', String(args.id)).executeTakeFirst();
  return row ? { drafter: row.proposed_by_person ?? null, label: `proposal ${String(args.id)}` } : null;
};

/** Decisions on a case with a drafter: the drafter may not make them. */
export const CASE_DRAFTERS: Readonly<Record<string, DrafterOf>> = {
  approveApplication: applicationDrafter, rejectApplication: applicationDrafter, arbitrateApplication: applicationDrafter, arbitrateApplicationField: applicationDrafter,
  decidePolicyProposal: proposalDrafter, acceptReclassification: proposalDrafter, contestReclassification: proposalDrafter, reviewReclassification: proposalDrafter,
};

export function requirementOf(mutation: string): Requirement {
  return MUTATION_ROLES[mutation] ?? ['ADMINISTRATOR'];
}

/** What a person's call needs of the management API's context. */
export interface PersonCallContext {
  readonly identity: Identity;
  readonly store: { readonly db: Kysely<PlatformDatabase> };
  readonly clock: () => Date;
}

const standings = new WeakMap<object, Promise<PersonStanding>>();

/** The person's standing for this request: read once per request, from the store. */
export function standingFor(ctx: PersonCallContext): Promise<PersonStanding> | null {
  const person = ctx.identity.person;
  if (!person) return null;
  let standing = standings.get(ctx);
  if (!standing) {
    standing = personStanding(ctx.store.db, person.id, ctx.clock());
    standings.set(ctx, standing);
  }
  return standing;
}

function refusal(message: string, code: ErrorCode, status: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

/** Throws unless the identity's person may act at all: known, active, in an active department. */
export async function requireActivePerson(ctx: PersonCallContext): Promise<Extract<PersonStanding, { status: 'ACTIVE' }> | null> {
  const standing = await standingFor(ctx);
  if (!standing) return null;
  switch (standing.status) {
    case 'ACTIVE':
      if (standing.department !== ctx.identity.department) throw refusal(`person ${standing.id} belongs to ${standing.department}, not ${ctx.identity.department}; sign in again`, ErrorCode.UNAUTHENTICATED, 401);
      return standing;
    case 'UNKNOWN':
      throw refusal(`there is no person ${standing.id}; sign in again`, ErrorCode.UNAUTHENTICATED, 401);
    case 'DEACTIVATED':
      throw refusal(`${standing.name} (${standing.id}) was deactivated at ${standing.at} and can no longer act; a department administrator can tell you more`, ErrorCode.UNAUTHENTICATED, 401);
    case 'DEPARTMENT_DEACTIVATED':
      throw refusal(`department ${standing.department} was deactivated at ${standing.at}: its people can no longer act`, ErrorCode.FORBIDDEN, 403);
    default:
      throw new Error(`unknown person standing ${JSON.stringify(standing satisfies never)}`);
  }
}

/** Throws unless the person may make this mutation with these arguments (role, and not their own draft). */
export async function requireRoleFor(ctx: PersonCallContext, mutation: string, args: Record<string, unknown>): Promise<void> {
  const standing = await requireActivePerson(ctx);
  if (!standing) return;
  const needed = requirementOf(mutation);
  if (needed !== 'ANY' && !needed.some((role) => standing.roles.includes(role))) {
    throw refusal(
      `${mutation} needs the ${needed.join(' or ')} role; ${standing.name} (${standing.id}) has ${standing.roles.join(', ') || 'no role'} — a department administrator gives roles (setPersonRoles) or names an acting approver (nameActingApprover)`,
      ErrorCode.FORBIDDEN, 403,
    );
  }
  const drafterOf = CASE_DRAFTERS[mutation];
  if (drafterOf) {
    const found = await drafterOf(ctx.store.db, args);
    if (found?.drafter && found.drafter === standing.id) {
      throw refusal(`${standing.name} (${standing.id}) drafted ${found.label} and may not decide it: the approver (审批人) of a case is never its drafter (经办人); another approver decides`, ErrorCode.FORBIDDEN, 403);
    }
  }
}

type Resolver = (parent: unknown, args: Record<string, unknown>, ctx: PersonCallContext, info: unknown) => unknown;

/**
 * The management API's resolver maps with every mutation guarded: a person's call is checked
 * (requireRoleFor) and then runs as that person; a bare token's call runs as before.
 */
export function withPersonRoles<T extends Record<string, unknown>>(maps: readonly T[]): T[] {
  return maps.map((map) => {
    const mutations = map.Mutation as Record<string, Resolver> | undefined;
    if (!mutations) return map;
    const guarded: Record<string, Resolver> = {};
    for (const [name, resolve] of Object.entries(mutations)) {
      guarded[name] = async (parent, args, ctx, info) => {
        if (!ctx.identity.person) return resolve(parent, args, ctx, info);
        await requireRoleFor(ctx, name, args);
        const standing = (await standingFor(ctx))! as Extract<PersonStanding, { status: 'ACTIVE' }>;
        return actAs({ id: standing.id, name: standing.name, roles: standing.roles }, () => resolve(parent, args, ctx, info));
      };
    }
    return { ...map, Mutation: guarded };
  });
}
