/**
 * The policy workflow in the management API (`/admin/graphql`): an extension of its schema
 * (`policyWorkflowTypeDefs`, merged with `control/admin/schema.graphql`) and its resolvers.
 *
 * - 000 art. 9: a department classifies its own fields. The coordinating office changes a
 *   department's field either by a proposal to that department (`proposeReclassification`),
 *   which the department accepts or contests (then the office reviews it, with reasons), or by
 *   a reasoned override applied at once (`setFieldPolicy`/`clearFieldPolicy` with
 *   `override: true`). Either way the department and the field's grantees are notified.
 * - Policy history as changes: each version's diff against the one before (`changes`).
 * - Reverting one change: `revertPolicyChange` restores one field's value from before a version
 *   and leaves every other field alone; a later change to the same field must be confirmed.
 *   `policyRevertPreview` shows first what it would restore, and the grants and recent readers
 *   it would affect.
 */
import { GraphQLError } from 'graphql';
import type { Transaction } from 'kysely';
import { ErrorCode } from '../../lib/errors.ts';
import { fieldUsage } from '../../audit/usage.ts';
import { effectiveFieldPolicies } from '../../policies/snapshot.ts';
import type { FieldPolicy, PolicyOverride, SharingClass } from '../../policies/model.ts';
import type { FieldUnderPolicy } from '../../policies/fieldsUnderPolicy.ts';
import type { PlatformDatabase, PolicyProposalRecord, PolicyVersion } from '../store/platformStore.ts';
import {
  actorOf, badInput, checked, fieldPolicyView, forbidden, grantView, overrideView, requireAdminOf, requirePlatformAdmin, requireReason, toOverride,
  type AdminContext, type FieldPolicyInput,
} from '../admin/resolvers.ts';
import { changesBetween, overrideOf, planRevert, sameOverride, withFieldValue, type FieldChange, type VersionedOverrides } from './policyChanges.ts';
import {
  granteesOf, insertReclassification, moveProposal, notifyProposal, notifyReclassified, nowOf, openReclassificationOn, reclassifications, type ReclassificationVia,
} from './reclassification.ts';
import { requireMandatesRespected } from '../classification/classificationGuards.ts';

/** How far back the readers of a field are looked up before a revert. @default 30 days */
export const RECENT_READERS_DAYS = 30;

export const policyWorkflowTypeDefs = /* GraphQL */ `
extend type Query {
  """
  The coordinating office's reclassification proposals to departments (000 art. 9): a department
  administrator sees those on its own fields, the coordinating office all.
  """
  reclassifications(status: ProposalStatus): [PolicyProposal!]!
  """
  What reverting version's change to coordinate would do, before it is done: the value it
  restores, later changes of the same field (which a revert must confirm), and the grants on
  the field and its readers of the last 30 days, whom the revert affects. The platform
  administrator and the field's providing department.
  """
  policyRevertPreview(version: Int!, coordinate: String!): PolicyRevertPreview!
}

extend type Mutation {
  """
  Platform administrator: propose a policy for a department's field (000 art. 9: the
  department classifies its data). The department accepts (a new version) or contests it; the
  department and the field's grantees are notified.
  """
  proposeReclassification(coordinate: String!, policy: FieldPolicyInput!, reason: String!): PolicyProposal!
  "The providing department's administrator accepts the coordinating office's proposal: it is applied as a new policy version."
  acceptReclassification(id: ID!, reason: String): PolicyProposal!
  "The providing department's administrator contests the coordinating office's proposal, stating why; the office then reviews it."
  contestReclassification(id: ID!, reason: String!): PolicyProposal!
  """
  Platform administrator: decide a contested proposal with reasons: apply it (a new version) or
  withdraw it. A pending one may be withdrawn.
  """
  reviewReclassification(id: ID!, apply: Boolean!, reason: String!): PolicyProposal!
  """
  Platform administrator: give one field the value it had before version, leaving every other
  field as it is now (a new REVERT version with the reason). If the field was changed again
  after version, the revert is refused (CONFLICT, naming those versions) unless
  confirmLaterChanges is true. See policyRevertPreview first.
  """
  revertPolicyChange(version: Int!, coordinate: String!, reason: String!, confirmLaterChanges: Boolean = false): PolicyRevert!
}

extend enum ProposalStatus { CONTESTED APPLIED_ON_REVIEW WITHDRAWN }
"FROM_DEPARTMENT: a department proposes for its own field, the coordinating office decides. TO_DEPARTMENT: the office proposes, the department accepts or contests."
enum ProposalDirection { FROM_DEPARTMENT TO_DEPARTMENT }

extend type PolicyProposal {
  direction: ProposalDirection!
  "The field's sharing class now."
  currentClass: SharingClass
  contestReason: String
  contestedAt: String
  contestedBy: String
  decisionReason: String
  "The policy version that applied it."
  appliedVersion: Int
}

extend type PolicyVersion {
  "What this version changed against the one before, field by field (grant, registry and ownership versions change no override)."
  changes: [PolicyFieldChange!]!
}

"SET: an override where the SDL default applied; CHANGED; CLEARED: back to the SDL default."
enum PolicyFieldChangeKind { SET CHANGED CLEARED }
type PolicyFieldChange {
  coordinate: String!
  kind: PolicyFieldChangeKind!
  "The override before; null: the SDL default applied."
  before: FieldPolicyOverride
  "The override after; null: back to the SDL default."
  after: FieldPolicyOverride
  "What differs: sharingClass, purposes, basis, caseIdRequired, rowCondition."
  attributes: [String!]!
  "The field's SDL default (what applies where before or after is null), as the subgraph declares it now."
  sdlDefault: FieldPolicyOverride
  provider: String
}
"One field's change in one version, with who made it and why."
type PolicyVersionChange { version: Int! actor: String! reason: String! createdAt: String! change: PolicyFieldChange! }

type PolicyRevertPreview {
  version: Int!
  coordinate: String!
  "The change being reverted."
  change: PolicyFieldChange!
  "The value the revert restores; null: the SDL default."
  restores: FieldPolicyOverride
  "The field's policy now."
  current: FieldPolicy!
  "Later versions that changed this field again: a revert overrides them and must be confirmed."
  laterChanges: [PolicyVersionChange!]!
  "Unrevoked, unexpired grants on the field."
  grants: [Grant!]!
  "Who read the field since readersSince (from the audit trail)."
  recentReaders: [FieldUsage!]!
  readersSince: String!
}
type PolicyRevert { version: Int! policy: FieldPolicy "The later changes of the field that the revert overrode (confirmed)." laterChanges: [PolicyVersionChange!]! }
`;

function conflict(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT, ...extensions } });
}

/** The SDL defaults of every field, as overrides, cached per set of fields under policy. */
const defaultsCache = new WeakMap<readonly FieldUnderPolicy[], Map<string, FieldPolicy>>();
function sdlDefaults(ctx: AdminContext): Map<string, FieldPolicy> {
  const fields = ctx.policy.fields;
  let defaults = defaultsCache.get(fields);
  if (!defaults) {
    defaults = new Map(effectiveFieldPolicies(fields, []).map((p) => [p.coordinate, p]));
    defaultsCache.set(fields, defaults);
  }
  return defaults;
}

function classWith(ctx: AdminContext, overrides: readonly PolicyOverride[], coordinate: string): SharingClass | null {
  return overrides.find((o) => o.coordinate === coordinate)?.sharingClass ?? sdlDefaults(ctx).get(coordinate)?.sharingClass ?? null;
}

function changeView(ctx: AdminContext, change: FieldChange) {
  const sdl = sdlDefaults(ctx).get(change.coordinate);
  return {
    ...change,
    before: change.before && overrideView(change.before),
    after: change.after && overrideView(change.after),
    sdlDefault: sdl ? { coordinate: sdl.coordinate, sharingClass: sdl.sharingClass, purposes: sdl.purposes, basis: sdl.basis, caseIdRequired: sdl.caseIdRequired, rowCondition: sdl.condition } : null,
    provider: ctx.policy.current.fields.get(change.coordinate)?.provider ?? sdl?.provider ?? null,
  };
}

function proposalView(ctx: AdminContext, p: PolicyProposalRecord) {
  return { ...p, proposal: overrideView(p.proposal), currentClass: ctx.policy.current.fields.get(p.coordinate)?.sharingClass ?? null };
}

function providerOf(ctx: AdminContext, coordinate: string): string {
  const field = ctx.policy.current.fields.get(coordinate);
  if (!field) throw badInput(`${JSON.stringify(coordinate)} is not a field or row class of the supergraph`);
  return field.provider;
}

/**
 * Writes one field's new value as a new version: `valueIn` decides it inside the version's
 * transaction (and may write more there: the proposal's new state), the provider and the
 * field's grantees are notified in the same transaction.
 */
async function applyFieldChange(
  ctx: AdminContext,
  what: { kind: PolicyVersion['kind']; reason: string; coordinate: string; via: ReclassificationVia; notifyReason: string; proposalId?: string },
  valueIn: (trx: Transaction<PlatformDatabase>, version: number, previous: readonly PolicyOverride[]) => Promise<PolicyOverride | null>,
): Promise<number> {
  const provider = providerOf(ctx, what.coordinate);
  const version = await ctx.store.appendVersion(what.kind, what.reason, actorOf(ctx), async (trx, previous) => {
    const value = await valueIn(trx, (await ctx.store.currentVersion(trx)) + 1, previous);
    const next = withFieldValue(previous, what.coordinate, value);
    await notifyReclassified(ctx, trx, {
      coordinate: what.coordinate, provider, fromClass: classWith(ctx, previous, what.coordinate), toClass: classWith(ctx, next, what.coordinate),
      reason: what.notifyReason, via: what.via, ...(what.proposalId ? { proposalId: what.proposalId } : {}),
    });
    return next;
  });
  // This replica serves the change from the next request on; others pick it up within a second.
  await ctx.policy.refresh();
  return version;
}

/** 000 art. 9: the office changes another department's field only as a declared, reasoned override (or by a proposal). */
function requireOverrideOf(ctx: AdminContext, coordinate: string, override: boolean | null | undefined): void {
  const provider = providerOf(ctx, coordinate);
  if (provider === ctx.identity.department || override) return;
  throw badInput(`${coordinate} is ${provider}'s field, and ${provider} classifies its own data (000 art. 9): propose the change to ${provider} with proposeReclassification, or apply it at once as a reasoned override with override: true (${provider} and the field's grantees are notified either way); received override: ${JSON.stringify(override ?? false)}`);
}

async function requireReclassification(ctx: AdminContext, id: string): Promise<PolicyProposalRecord> {
  const proposal = await ctx.store.proposal(id);
  if (!proposal || proposal.direction !== 'TO_DEPARTMENT') throw badInput(`no reclassification proposal ${JSON.stringify(id)}; a department's own proposals are decided with decidePolicyProposal`);
  return proposal;
}

/** Only the providing department's own administrator answers the office's proposal — not another department, not the office. */
function requireAnsweringDepartment(ctx: AdminContext, proposal: PolicyProposalRecord): void {
  if (ctx.identity.kind === 'DEPARTMENT_ADMIN' && ctx.identity.department === proposal.department) return;
  throw forbidden(`proposal ${proposal.id} is answered by an administrator of ${proposal.department}, which provides ${proposal.coordinate}; your token is a ${ctx.identity.kind} of ${ctx.identity.department}`);
}

async function versionsFrom(db: AdminContext['store']['db'], version: number): Promise<(VersionedOverrides & { actor: string; reason: string; createdAt: string })[]> {
  const rows = await db.selectFrom('policy_versions').selectAll().where('version', '>=', version - 1).orderBy('version').execute();
  return rows.map((r) => ({ version: Number(r.version), overrides: JSON.parse(r.overrides_json) as PolicyOverride[], actor: r.actor, reason: r.reason, createdAt: r.created_at }));
}

/** Plans a revert against the versions in `db`; a bad request or unknown version is BAD_USER_INPUT. */
async function revertPlan(ctx: AdminContext, db: AdminContext['store']['db'], version: number, coordinate: string) {
  if (!Number.isInteger(version) || version < 1) throw badInput(`version must be a policy version number (1 or more), received ${version}`);
  providerOf(ctx, coordinate);
  const versions = await versionsFrom(db, version);
  const plan = planRevert(versions, version, coordinate);
  if ('problem' in plan) throw badInput(plan.problem);
  const byVersion = new Map(versions.map((v) => [v.version, v]));
  const laterChanges = plan.laterChanges.map((c) => {
    const v = byVersion.get(c.version)!;
    return { version: c.version, actor: v.actor, reason: v.reason, createdAt: v.createdAt, change: changeView(ctx, c.change) };
  });
  return { plan, laterChanges };
}

const previewQuery = async (_: unknown, args: { version: number; coordinate: string }, ctx: AdminContext) => {
  if (ctx.identity.kind === 'APP') throw forbidden('a revert is previewed by the platform administrator or the field\'s providing department');
  requireAdminOf(ctx, providerOf(ctx, args.coordinate));
  const { plan, laterChanges } = await revertPlan(ctx, ctx.store.db, args.version, args.coordinate);
  const now = nowOf(ctx);
  const since = new Date(now.getTime() - RECENT_READERS_DAYS * 86_400_000);
  const grants = (await ctx.store.grants()).filter((g) => g.coordinate === args.coordinate && !g.revokedAt && (!g.validUntil || Date.parse(g.validUntil) > now.getTime()));
  return {
    version: args.version, coordinate: args.coordinate, change: changeView(ctx, plan.change), restores: plan.restores && overrideView(plan.restores),
    current: fieldPolicyView(ctx.policy.current.fields.get(args.coordinate)!), laterChanges,
    grants: grants.map((g) => grantView(g, now.getTime())),
    recentReaders: (await fieldUsage(ctx.audit, [args.coordinate], since)).sort((a, b) => b.requests - a.requests),
    readersSince: since.toISOString(),
  };
};

const revertMutation = async (_: unknown, args: { version: number; coordinate: string; reason: string; confirmLaterChanges: boolean }, ctx: AdminContext) => {
  requirePlatformAdmin(ctx);
  const reason = requireReason(args.reason);
  let confirmed: Awaited<ReturnType<typeof revertPlan>>['laterChanges'] = [];
  const version = await applyFieldChange(ctx, {
    kind: 'REVERT', reason: `revert version ${args.version}'s change to ${args.coordinate}: ${reason}`, coordinate: args.coordinate, via: 'REVERT', notifyReason: reason,
  }, async (trx, _version, previous) => {
    // Planned inside the version's transaction: a change made meanwhile is seen, not overwritten unseen.
    const { plan, laterChanges } = await revertPlan(ctx, trx, args.version, args.coordinate);
    if (sameOverride(overrideOf(previous, args.coordinate), plan.restores)) {
      throw badInput(`${args.coordinate} already has the policy it had before version ${args.version}${laterChanges.length ? ` (restored by version ${laterChanges.at(-1)!.version})` : ''}: there is nothing to revert`);
    }
    if (laterChanges.length > 0 && !args.confirmLaterChanges) {
      const named = laterChanges.map((c) => `version ${c.version} (${c.change.kind.toLowerCase()} by ${c.actor}: ${c.reason})`).join('; ');
      throw conflict(`${args.coordinate} was changed again after version ${args.version}: ${named}. Reverting restores its value from before version ${args.version} over those changes: send confirmLaterChanges: true to do so (see policyRevertPreview), or revert the later change instead`, { laterVersions: laterChanges.map((c) => c.version) });
    }
    confirmed = laterChanges;
    await requireMandatesRespected(trx, ctx.policy.fields, [plan.restores], 'the revert');
    // What it restores must still be valid (a purpose may have been removed since).
    return plan.restores && checked(ctx, plan.restores);
  });
  return { version, policy: fieldPolicyView(ctx.policy.current.fields.get(args.coordinate)!), laterChanges: confirmed };
};

const fieldPolicyMutations = {
  setFieldPolicy: async (_: unknown, args: { coordinate: string; policy: FieldPolicyInput; reason: string; override?: boolean | null }, ctx: AdminContext) => {
    requirePlatformAdmin(ctx);
    const reason = requireReason(args.reason);
    const override = checked(ctx, toOverride(args.coordinate, args.policy));
    requireOverrideOf(ctx, args.coordinate, args.override);
    await requireMandatesRespected(ctx.store.db, ctx.policy.fields, [override], 'a policy edit (setFieldPolicy)');
    const version = await applyFieldChange(ctx, { kind: 'POLICY', reason, coordinate: args.coordinate, via: 'OVERRIDE', notifyReason: reason }, async () => override);
    return { version, policy: fieldPolicyView(ctx.policy.current.fields.get(args.coordinate)!) };
  },
  clearFieldPolicy: async (_: unknown, args: { coordinate: string; reason: string; override?: boolean | null }, ctx: AdminContext) => {
    requirePlatformAdmin(ctx);
    const reason = requireReason(args.reason);
    // Fields, and row classes (`Licence[kind=MARRIAGE_CERTIFICATE]`), which the snapshot keeps beside them.
    requireOverrideOf(ctx, args.coordinate, args.override);
    const version = await applyFieldChange(ctx, { kind: 'POLICY', reason, coordinate: args.coordinate, via: 'OVERRIDE', notifyReason: reason }, async () => null);
    return { version, policy: fieldPolicyView(ctx.policy.current.fields.get(args.coordinate)!) };
  },
};

const reclassificationMutations = {
  proposeReclassification: async (_: unknown, args: { coordinate: string; policy: FieldPolicyInput; reason: string }, ctx: AdminContext) => {
    requirePlatformAdmin(ctx);
    const reason = requireReason(args.reason);
    const override = checked(ctx, toOverride(args.coordinate, args.policy));
    const department = providerOf(ctx, args.coordinate);
    if (department === ctx.identity.department) throw badInput(`${args.coordinate} is the coordinating office's own field: set it with setFieldPolicy`);
    await requireMandatesRespected(ctx.store.db, ctx.policy.fields, [override], 'the reclassification proposal');
    const id = await ctx.store.db.transaction().execute(async (trx) => {
      const open = await openReclassificationOn(trx, args.coordinate);
      if (open) throw conflict(`proposal ${open} on ${args.coordinate} is still open: wait for ${department}'s answer, or withdraw it with reviewReclassification(apply: false)`, { proposalId: open });
      const inserted = await insertReclassification(trx, { coordinate: args.coordinate, proposal: override, proposedBy: actorOf(ctx), department, reason, at: nowOf(ctx) });
      await notifyProposal(ctx, trx, 'POLICY_PROPOSED', { id: inserted, coordinate: args.coordinate, department, fromClass: ctx.policy.current.fields.get(args.coordinate)!.sharingClass, toClass: override.sharingClass },
        { reason, extra: await granteesOf(trx, args.coordinate, nowOf(ctx)) });
      return inserted;
    });
    return proposalView(ctx, (await ctx.store.proposal(id))!);
  },
  acceptReclassification: async (_: unknown, args: { id: string; reason?: string | null }, ctx: AdminContext) => {
    const proposal = await requireReclassification(ctx, args.id);
    requireAnsweringDepartment(ctx, proposal);
    if (proposal.status !== 'PENDING') throw conflict(`proposal ${proposal.id} is ${proposal.status}, not PENDING: it was answered already`);
    const note = args.reason?.trim() || null;
    const override = checked(ctx, proposal.proposal);
    await requireMandatesRespected(ctx.store.db, ctx.policy.fields, [override], 'accepting the reclassification');
    const fromClass = ctx.policy.current.fields.get(proposal.coordinate)?.sharingClass ?? null;
    await applyFieldChange(ctx, {
      kind: 'POLICY', coordinate: proposal.coordinate, via: 'ACCEPTED_BY_DEPARTMENT', proposalId: proposal.id, notifyReason: proposal.reason,
      reason: `${proposal.department} accepted the coordinating office's proposal ${proposal.id}: ${proposal.reason}${note ? ` — ${note}` : ''}`,
    }, async (trx, version) => {
      if (!(await moveProposal(trx, proposal.id, 'PENDING', { status: 'ACCEPTED', actor: actorOf(ctx), at: nowOf(ctx), reason: note, appliedVersion: version }))) throw conflict(`proposal ${proposal.id} was answered meanwhile`);
      await notifyProposal(ctx, trx, 'POLICY_PROPOSAL_DECIDED', { ...proposal, fromClass, toClass: override.sharingClass }, { reason: note ?? proposal.reason, outcome: 'ACCEPTED', version });
      return override;
    });
    return proposalView(ctx, (await ctx.store.proposal(proposal.id))!);
  },
  contestReclassification: async (_: unknown, args: { id: string; reason: string }, ctx: AdminContext) => {
    const proposal = await requireReclassification(ctx, args.id);
    requireAnsweringDepartment(ctx, proposal);
    const reason = requireReason(args.reason);
    if (proposal.status !== 'PENDING') throw conflict(`proposal ${proposal.id} is ${proposal.status}, not PENDING: it was answered already`);
    await ctx.store.db.transaction().execute(async (trx) => {
      if (!(await moveProposal(trx, proposal.id, 'PENDING', { status: 'CONTESTED', actor: actorOf(ctx), at: nowOf(ctx), reason }))) throw conflict(`proposal ${proposal.id} was answered meanwhile`);
      await notifyProposal(ctx, trx, 'POLICY_PROPOSAL_CONTESTED', { ...proposal, fromClass: ctx.policy.current.fields.get(proposal.coordinate)?.sharingClass ?? null, toClass: proposal.proposal.sharingClass }, { reason });
    });
    return proposalView(ctx, (await ctx.store.proposal(proposal.id))!);
  },
  reviewReclassification: async (_: unknown, args: { id: string; apply: boolean; reason: string }, ctx: AdminContext) => {
    requirePlatformAdmin(ctx);
    const reason = requireReason(args.reason);
    const proposal = await requireReclassification(ctx, args.id);
    const fromClass = ctx.policy.current.fields.get(proposal.coordinate)?.sharingClass ?? null;
    const about = { ...proposal, fromClass, toClass: proposal.proposal.sharingClass };
    if (args.apply) {
      if (proposal.status !== 'CONTESTED') throw conflict(`proposal ${proposal.id} is ${proposal.status}: the office applies a proposal on review only once ${proposal.department} contested it; to apply a change at once use setFieldPolicy with override: true`);
      const override = checked(ctx, proposal.proposal);
      await requireMandatesRespected(ctx.store.db, ctx.policy.fields, [override], 'applying the reclassification on review');
      await applyFieldChange(ctx, {
        kind: 'POLICY', coordinate: proposal.coordinate, via: 'APPLIED_ON_REVIEW', proposalId: proposal.id, notifyReason: reason,
        reason: `the coordinating office applied its proposal ${proposal.id}, contested by ${proposal.department} (${proposal.contestReason ?? ''}): ${reason}`,
      }, async (trx, version) => {
        if (!(await moveProposal(trx, proposal.id, 'CONTESTED', { status: 'APPLIED_ON_REVIEW', actor: actorOf(ctx), at: nowOf(ctx), reason, appliedVersion: version }))) throw conflict(`proposal ${proposal.id} was decided meanwhile`);
        await notifyProposal(ctx, trx, 'POLICY_PROPOSAL_DECIDED', about, { reason, outcome: 'APPLIED_ON_REVIEW', version });
        return override;
      });
    } else {
      if (proposal.status !== 'PENDING' && proposal.status !== 'CONTESTED') throw conflict(`proposal ${proposal.id} is ${proposal.status}: only an open one is withdrawn`);
      await ctx.store.db.transaction().execute(async (trx) => {
        if (!(await moveProposal(trx, proposal.id, proposal.status, { status: 'WITHDRAWN', actor: actorOf(ctx), at: nowOf(ctx), reason }))) throw conflict(`proposal ${proposal.id} was decided meanwhile`);
        await notifyProposal(ctx, trx, 'POLICY_PROPOSAL_DECIDED', about, { reason, outcome: 'WITHDRAWN' });
      });
    }
    return proposalView(ctx, (await ctx.store.proposal(proposal.id))!);
  },
};

export const policyWorkflowResolvers = {
  Query: {
    reclassifications: async (_: unknown, args: { status?: string | null }, ctx: AdminContext) => {
      if (ctx.identity.kind === 'APP') throw forbidden('reclassification proposals are for department administrators and the coordinating office');
      const department = ctx.identity.kind === 'PLATFORM_ADMIN' ? undefined : ctx.identity.department;
      return (await reclassifications(ctx.store, { status: args.status ?? null, ...(department ? { department } : {}) })).map((p) => proposalView(ctx, p));
    },
    policyRevertPreview: previewQuery,
  },
  Mutation: { ...fieldPolicyMutations, ...reclassificationMutations, revertPolicyChange: revertMutation },
  PolicyVersion: {
    changes: async (v: { version: number; overrides: readonly PolicyOverride[] }, _: unknown, ctx: AdminContext) => {
      // The overrides as stored (the history view maps `condition` to `rowCondition` beside it).
      const previous = v.version > 1 ? await ctx.store.policyVersion(v.version - 1) : null;
      return changesBetween(previous?.overrides ?? [], v.overrides).map((c) => changeView(ctx, c));
    },
  },
  PolicyProposal: {
    currentClass: (p: { coordinate: string }, _: unknown, ctx: AdminContext) => ctx.policy.current.fields.get(p.coordinate)?.sharingClass ?? null,
  },
};
