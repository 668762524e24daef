/**
 * Resolvers of the management API. Authorization is decided here, per operation, from the
 * caller's credential: the platform administrator (coordinating office) may do anything;
 * a department administrator acts for its own department and its own fields; an app reads
 * what concerns its own department.
 */
import { defaultLogger } from '../../lib/logger.ts';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errors.ts';
import { accessOf } from '../../policies/access.ts';
import { validateOverride } from '../../policies/validate.ts';
import type { FieldPolicy, Grant, PolicyOverride, RowCondition, SharingClass } from '../../policies/model.ts';
import type { PolicyState } from '../policies/policyState.ts';
import type { Authenticator } from '../directory/authenticator.ts';
import type { Identity, PlatformStore } from '../store/platformStore.ts';
import type { ApplicationInput, ApplicationRecord, ApplicationService, ApplicationStatus } from '../applications/applicationService.ts';
import type { WorkingDayCalendar } from '../../policies/workingDays.ts';
import type { CalendarNotices } from '../calendar/calendarNotices.ts';
import type { CatalogueService } from '../catalogue/catalogueService.ts';
import type { PlatformSettings } from '../settings/platformSettings.ts';
import { RegistryError, type SubgraphRegistry, type SupergraphVersion } from '../registry/subgraphRegistry.ts';
import { fetchSubgraphSdl } from '../registry/fetchSdl.ts';
import { queueNotification } from '../notifications/queueNotification.ts';
import type { RegisteredSubgraph } from '../registry/checks.ts';
import type { ObjectionService, ObjectionStatus } from '../objections/objectionService.ts';
import type { UsageRow } from '../reports/evaluationReport.ts';
import type { AuditLog } from '../../audit/auditLog.ts';
import { appendAdminRecord } from './adminAudit.ts';
import { requireMandatesRespected } from '../classification/classificationGuards.ts';
import { AuditQueryError, queryAudit, type AuditQuery, type AuditViewer } from '../../audit/queries.ts';
import { DEFAULT_APP_RATE_LIMITS, MAX_LIMIT_PER_MINUTE } from '../directory/appRateLimits.ts';
import { calendarDate } from '../../lib/calendarDate.ts';
import { webhookUrlProblem } from '../notifications/webhookUrl.ts';
import { saveWebhook } from '../notifications/webhookSecrets.ts';
import { departmentProposalDecided, notifyReclassified } from '../policies/reclassification.ts';
import { notifyGrantRevoked } from '../applications/applicationNotices.ts';
import type { FieldRefusalInput } from '../applications/fieldRefusals.ts';
import type { SignInService } from '../signIn/signInService.ts';

export interface AdminContext {
  readonly identity: Identity;
  readonly store: PlatformStore;
  readonly policy: PolicyState;
  readonly authenticator: Authenticator;
  /** Row attributes the running subgraphs expose. */
  readonly rowAttributes: readonly string[];
  readonly applications: ApplicationService;
  readonly calendar: WorkingDayCalendar;
  readonly registry: SubgraphRegistry;
  readonly objections: ObjectionService;
  readonly audit: AuditLog;
  /** Requests per consumer and provider in a year, from the audit trail (absent without one). */
  readonly usageForYear?: (year: number) => Promise<UsageRow[]>;
  /** A registry context signed by this gateway for one subgraph (by name): reads its `_service { sdl }` only. */
  readonly signContext: (identity: Identity, subgraph: string) => Promise<string>;
  /** The catalogue: `catalogue`, `myCatalogue`, `catalogueUpdates`, … (catalogue/admin.ts). */
  readonly catalogue: CatalogueService;
  /** The injected clock (startPlatform's `clock`): every "now" of the management API. */
  readonly clock: () => Date;
  /** The deadlines and limits in force: `platformSettings`, `changePlatformSettings` (settings/admin.ts). */
  readonly settings: PlatformSettings;
  /** The year notices of the working-day calendar: `calendarYears`, `enterCalendarNotice`, … (calendar/admin.ts). */
  readonly calendarNotices: CalendarNotices;
  /** Local accounts and sessions: `localAccount`, `createLocalAccount`, `resetLocalPassword` (signIn/admin.ts). */
  readonly signIn?: SignInService;
}

export interface FieldPolicyInput {
  sharingClass: SharingClass;
  purposes?: string[] | null;
  basis?: string | null;
  caseIdRequired?: boolean | null;
  rowCondition?: RowCondition | null;
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
}

export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

export function requirePlatformAdmin({ identity }: AdminContext): void {
  if (identity.kind !== 'PLATFORM_ADMIN') throw forbidden(`only the platform administrator (the coordinating office) may do this; your token is a ${identity.kind} of ${identity.department}`);
}

export function requireAdminOf({ identity }: AdminContext, department: string): void {
  if (identity.kind === 'PLATFORM_ADMIN') return;
  if (identity.kind === 'DEPARTMENT_ADMIN' && identity.department === department) return;
  throw forbidden(`only an administrator of ${department} or the platform administrator may do this`);
}

export function actorOf({ identity }: AdminContext): string {
  return `${identity.department}:${identity.credentialId}`;
}

export function requireReason(reason: string): string {
  if (!reason.trim()) throw badInput('state the reason for the change: it is recorded with the new policy version');
  return reason.trim();
}

export function toOverride(coordinate: string, input: FieldPolicyInput): PolicyOverride {
  return {
    coordinate,
    sharingClass: input.sharingClass,
    purposes: input.purposes ?? [],
    basis: input.basis?.trim() || null,
    caseIdRequired: input.caseIdRequired ?? false,
    condition: input.rowCondition ? { kind: input.rowCondition.kind as RowCondition['kind'], attribute: input.rowCondition.attribute } : null,
  };
}

export function checked(ctx: AdminContext, override: PolicyOverride): PolicyOverride {
  const problems = validateOverride(override, { fields: ctx.policy.fields, purposes: [...ctx.policy.current.purposes], rowAttributes: ctx.rowAttributes });
  if (problems.length) throw badInput(`the policy for ${override.coordinate} is not valid: ${problems.join('; ')}`);
  return override;
}

export function fieldPolicyView(policy: FieldPolicy) {
  return { ...policy, rowCondition: policy.condition, unclassified: policy.origin === 'UNCLASSIFIED' };
}

export function overrideView(o: PolicyOverride) {
  return { ...o, rowCondition: o.condition };
}

/** The parameters stored in a notification's payload, as name/value text pairs (older notifications have none). */
function notificationParams(payloadJson: string): { name: string; value: string | null }[] {
  const params = (JSON.parse(payloadJson) as { params?: Record<string, unknown> }).params ?? {};
  return Object.entries(params).map(([name, value]) => ({ name, value: value === null || value === undefined ? null : String(value) }));
}

export function grantView(g: Grant, now = Date.now()) {
  return { ...g, active: !g.revokedAt && Date.parse(g.validFrom) <= now && (!g.validUntil || Date.parse(g.validUntil) > now) };
}

export const adminResolvers = {
  Query: {
    me: (_: unknown, __: unknown, { identity }: AdminContext) => identity,
    departments: (_: unknown, __: unknown, { store }: AdminContext) => store.departments(),
    purposes: (_: unknown, __: unknown, { store }: AdminContext) => store.purposes(),
    fieldPolicy: (_: unknown, { coordinate }: { coordinate: string }, { policy }: AdminContext) => {
      const found = policy.current.fields.get(coordinate);
      return found ? fieldPolicyView(found) : null;
    },
    fieldPolicies: (_: unknown, args: { provider?: string; sharingClass?: SharingClass; unclassifiedOnly?: boolean }, { policy }: AdminContext) =>
      [...policy.current.fields.values()]
        .filter((f) => (!args.provider || f.provider === args.provider) && (!args.sharingClass || f.sharingClass === args.sharingClass) && (!args.unclassifiedOnly || f.origin === 'UNCLASSIFIED'))
        .map(fieldPolicyView),
    policyVersion: (_: unknown, __: unknown, { policy }: AdminContext) => policy.current.version,
    policyHistory: async (_: unknown, { limit }: { limit: number }, { store }: AdminContext) =>
      (await store.policyHistory(Math.min(Math.max(limit, 1), 500))).map((v) => ({ ...v, overrides: v.overrides.map(overrideView) })),
    policyProposals: async (_: unknown, { status }: { status?: string }, ctx: AdminContext) => {
      const all = await ctx.store.proposals(status);
      return ctx.identity.kind === 'PLATFORM_ADMIN' ? all.map((p) => ({ ...p, proposal: overrideView(p.proposal) })) : all.filter((p) => p.department === ctx.identity.department).map((p) => ({ ...p, proposal: overrideView(p.proposal) }));
    },
    grants: async (_: unknown, args: { consumer?: string; coordinate?: string; includeInactive: boolean }, ctx: AdminContext) => {
      const { identity, policy } = ctx;
      const now = Date.now();
      return (await ctx.store.grants())
        .map((g) => grantView(g, now))
        .filter((g) => args.includeInactive || g.active)
        .filter((g) => (!args.consumer || g.consumer === args.consumer) && (!args.coordinate || g.coordinate === args.coordinate))
        .filter((g) => identity.kind === 'PLATFORM_ADMIN' || g.consumer === identity.department || policy.current.fields.get(g.coordinate)?.provider === identity.department);
    },
    myAccess: (_: unknown, __: unknown, { identity, policy }: AdminContext) => accessOf(policy.current, identity.department),
    credentials: async (_: unknown, { department }: { department?: string }, ctx: AdminContext) => {
      const code = department ?? ctx.identity.department;
      requireAdminOf(ctx, code);
      return ctx.store.credentialsOf(code);
    },
    applications: (_: unknown, args: { status?: ApplicationStatus; role?: 'CONSUMER' | 'PROVIDER' }, ctx: AdminContext) => ctx.applications.list(ctx.identity, args),
    application: async (_: unknown, { id }: { id: string }, ctx: AdminContext) => {
      const application = await ctx.applications.get(id);
      if (!application) return null;
      const { identity } = ctx;
      if (identity.kind !== 'PLATFORM_ADMIN' && identity.department !== application.consumer && identity.department !== application.provider) {
        throw forbidden(`application ${id} concerns ${application.consumer} and ${application.provider} only`);
      }
      return application;
    },
    inbox: (_: unknown, __: unknown, ctx: AdminContext) => ctx.applications.inbox(ctx.identity),
    escalations: (_: unknown, __: unknown, ctx: AdminContext) => ctx.applications.escalations(ctx.identity),
    notifications: async (_: unknown, args: { unreadOnly: boolean; limit: number }, ctx: AdminContext) => {
      let query = ctx.store.db.selectFrom('notifications').selectAll().where('department', '=', ctx.identity.department).orderBy('created_at', 'desc').limit(Math.min(Math.max(args.limit, 1), 1000));
      if (args.unreadOnly) query = query.where('read_at', 'is', null);
      return (await query.execute()).map((n) => ({
        id: n.id, kind: n.kind, applicationId: n.application_id, message: n.message, createdAt: n.created_at, readAt: n.read_at, params: notificationParams(n.payload_json),
      }));
    },
    workingDays: (_: unknown, args: { after: string; count: number }, ctx: AdminContext) => {
      const after = calendarDate(args.after, { name: 'after' });
      try {
        return { date: ctx.calendar.addWorkingDays(after, args.count), knownYears: ctx.calendar.knownYears, after };
      } catch (error) {
        throw badInput((error as Error).message);
      }
    },
  },
  Department: {
    /** Its own administrators and the platform administrator see where notifications go; nobody else. */
    webhookUrl: (department: { code: string; webhookUrl?: string | null }, _: unknown, { identity, store }: AdminContext) => {
      const maysee = identity.kind === 'PLATFORM_ADMIN' || (identity.kind === 'DEPARTMENT_ADMIN' && identity.department === department.code);
      if (!maysee) return null;
      return department.webhookUrl !== undefined ? department.webhookUrl : store.webhookUrl(department.code);
    },
  },
  Application: {
    events: (a: ApplicationRecord, _: unknown, ctx: AdminContext) => ctx.applications.events(a.id),
    grants: async (a: ApplicationRecord, _: unknown, ctx: AdminContext) => (await ctx.store.grantsWithApplications()).filter((g) => g.applicationId === a.id).map((g) => grantView(g)),
  },
  Mutation: {
    // setFieldPolicy and clearFieldPolicy: control/policies/admin.ts (000 art. 9: a department's field needs override or a proposal).
    proposeFieldPolicy: async (_: unknown, args: { coordinate: string; policy: FieldPolicyInput; reason: string }, ctx: AdminContext) => {
      const field = ctx.policy.current.fields.get(args.coordinate);
      if (!field) throw badInput(`${JSON.stringify(args.coordinate)} is not a field of the supergraph`);
      if (ctx.identity.kind !== 'DEPARTMENT_ADMIN' || ctx.identity.department !== field.provider) {
        throw forbidden(`only an administrator of ${field.provider}, which provides ${args.coordinate}, may propose its policy`);
      }
      const override = checked(ctx, toOverride(args.coordinate, args.policy));
      await requireMandatesRespected(ctx.store.db, ctx.policy.fields, [override], 'the department\'s proposal');
      const proposal = await ctx.store.insertProposal({ coordinate: args.coordinate, proposal: override, proposedBy: actorOf(ctx), department: ctx.identity.department, reason: requireReason(args.reason) });
      return { ...proposal, proposal: overrideView(proposal.proposal) };
    },
    decidePolicyProposal: async (_: unknown, args: { id: string; accept: boolean; reason: string }, ctx: AdminContext) => {
      requirePlatformAdmin(ctx);
      const reason = requireReason(args.reason);
      const proposal = await ctx.store.proposal(args.id);
      if (!proposal) throw badInput(`no proposal ${args.id}`);
      if (proposal.direction === 'TO_DEPARTMENT') throw forbidden(`proposal ${args.id} is the coordinating office's own, to ${proposal.department}: ${proposal.department} accepts or contests it (acceptReclassification, contestReclassification)`);
      if (proposal.status !== 'PENDING') throw badInput(`proposal ${args.id} was already ${proposal.status.toLowerCase()}`);
      if (args.accept) {
        const override = checked(ctx, proposal.proposal);
        await requireMandatesRespected(ctx.store.db, ctx.policy.fields, [override], 'accepting the department\'s proposal');
        const before = ctx.policy.current.fields.get(override.coordinate)?.sharingClass ?? null;
        await ctx.store.appendVersion('POLICY', `accepted proposal ${proposal.id} of ${proposal.department}: ${proposal.reason} — ${reason}`, actorOf(ctx), async (trx, previous) => {
          if (!(await ctx.store.decideProposal(trx, proposal.id, 'ACCEPTED', actorOf(ctx)))) throw badInput(`proposal ${args.id} was decided meanwhile`);
          // Its grantees learn of the reclassification like any other (control/policies/reclassification.ts).
          await notifyReclassified(ctx, trx, { coordinate: override.coordinate, provider: proposal.department, fromClass: before, toClass: override.sharingClass, reason: proposal.reason, via: 'DEPARTMENT_PROPOSAL', proposalId: proposal.id });
          await departmentProposalDecided(ctx, trx, proposal, { outcome: 'ACCEPTED', reason, fromClass: before });
          return [...previous.filter((o) => o.coordinate !== override.coordinate), override];
        });
        await ctx.policy.refresh();
      } else {
        await ctx.store.db.transaction().execute(async (trx) => {
          if (!(await ctx.store.decideProposal(trx, proposal.id, 'REJECTED', actorOf(ctx)))) throw badInput(`proposal ${args.id} was decided meanwhile`);
          await departmentProposalDecided(ctx, trx, proposal, { outcome: 'REJECTED', reason, fromClass: ctx.policy.current.fields.get(proposal.coordinate)?.sharingClass ?? null });
        });
      }
      const decided = (await ctx.store.proposal(args.id))!;
      return { ...decided, proposal: overrideView(decided.proposal) };
    },
    rollbackPolicy: async (_: unknown, args: { toVersion: number; reason: string }, ctx: AdminContext) => {
      requirePlatformAdmin(ctx);
      const reason = requireReason(args.reason);
      const target = await ctx.store.policyVersion(args.toVersion);
      if (!target) throw badInput(`there is no policy version ${args.toVersion}; the current one is ${ctx.policy.current.version}`);
      await requireMandatesRespected(ctx.store.db, ctx.policy.fields, target.overrides, `the rollback to version ${args.toVersion}`);
      const version = await ctx.store.appendVersion('ROLLBACK', `rollback to version ${args.toVersion}: ${reason}`, actorOf(ctx), async () => [...target.overrides]);
      await ctx.policy.refresh();
      return { version, policy: null };
    },
    createApp: async (_: unknown, args: { department?: string; name: string; expiresAt?: string | null }, ctx: AdminContext) => {
      const department = args.department ?? ctx.identity.department;
      requireAdminOf(ctx, department);
      if (!args.name.trim()) throw badInput('name the app, e.g. "minimum living allowance review"');
      const found = (await ctx.store.departments()).find((d) => d.code === department);
      if (!found) throw badInput(`no department ${department}`);
      if (found.deactivatedAt) throw badInput(`department ${department} was deactivated at ${found.deactivatedAt}: it takes no new apps`);
      // Issue 14: an app may expire; the person who issued it is kept.
      const expiresAt = args.expiresAt ? new Date(Date.parse(args.expiresAt)) : null;
      if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt <= ctx.clock())) throw badInput(`expiresAt must be a future ISO date-time, received ${JSON.stringify(args.expiresAt)}`);
      const issued = await ctx.store.issueCredential('APP', department, args.name.trim(), actorOf(ctx), undefined, { expiresAt: expiresAt?.toISOString() ?? null, issuedByPerson: ctx.identity.person?.id ?? null });
      return { id: issued.id, name: args.name.trim(), department, token: issued.token, expiresAt: expiresAt?.toISOString() ?? null, previousValidUntil: null };
    },
    revokeCredential: async (_: unknown, { id, reason }: { id: string; reason?: string | null }, ctx: AdminContext) => {
      const credential = await ctx.store.credential(id);
      if (!credential) throw badInput(`no credential ${id}`);
      requireAdminOf(ctx, credential.department);
      const revoked = await ctx.store.revokeCredential(id, actorOf(ctx), reason?.trim() || null);
      ctx.authenticator.forget();
      return revoked;
    },
    revokeGrant: async (_: unknown, args: { id: string; reason: string }, ctx: AdminContext) => {
      const reason = requireReason(args.reason);
      const grant = await ctx.store.grant(args.id);
      if (!grant) throw badInput(`no grant ${args.id}`);
      const provider = ctx.policy.current.fields.get(grant.coordinate)?.provider ?? '';
      requireAdminOf(ctx, provider);
      if (grant.revokedAt) throw badInput(`grant ${args.id} was already revoked at ${grant.revokedAt}`);
      await ctx.store.appendVersion('GRANT', `revoke grant ${grant.id} (${grant.consumer} ${grant.coordinate} ${grant.purpose}): ${reason}`, actorOf(ctx), async (trx, previous) => {
        if (!(await ctx.store.markGrantRevoked(trx, grant.id, actorOf(ctx), reason))) throw badInput(`grant ${args.id} was revoked meanwhile`);
        await notifyGrantRevoked(trx, grant, provider || null, reason, ctx.applications.environment.clock());
        return [...previous];
      });
      await ctx.policy.refresh();
      return grantView((await ctx.store.grant(args.id))!);
    },
  },
};

const applicationMutations = {
  applyForAccess: (_: unknown, { input }: { input: ApplicationInput }, ctx: AdminContext) => ctx.applications.apply(ctx.identity, input),
  approveApplication: (_: unknown, args: { id: string; coordinates?: string[]; validUntil?: string; reason?: string; refusals?: FieldRefusalInput[] }, ctx: AdminContext) =>
    ctx.applications.approve(ctx.identity, args.id, args),
  rejectApplication: (_: unknown, args: { id: string; reason: string; refusals?: FieldRefusalInput[] }, ctx: AdminContext) =>
    ctx.applications.reject(ctx.identity, args.id, args.reason, args.refusals ?? null),
  contestApplication: (_: unknown, args: { id: string; reason: string }, ctx: AdminContext) => ctx.applications.contest(ctx.identity, args.id, args.reason),
  withdrawApplication: (_: unknown, args: { id: string; reason?: string }, ctx: AdminContext) => ctx.applications.withdraw(ctx.identity, args.id, args.reason ?? null),
  arbitrateApplication: (_: unknown, args: { id: string; grant: boolean; reason: string; coordinates?: string[]; validUntil?: string }, ctx: AdminContext) =>
    ctx.applications.arbitrate(ctx.identity, args.id, args),
  escalateOverdueApplications: (_: unknown, __: unknown, ctx: AdminContext) => {
    requirePlatformAdmin(ctx);
    return ctx.applications.escalateOverdue();
  },
  setWebhook: async (_: unknown, args: { url?: string | null; secret?: string | null }, ctx: AdminContext) => {
    if (ctx.identity.kind !== 'DEPARTMENT_ADMIN' && ctx.identity.kind !== 'PLATFORM_ADMIN') throw forbidden('a department administrator sets its webhook');
    // R10: https only (http to loopback for tests); the payloads name records, never citizens (queueNotification).
    const urlProblem = args.url ? webhookUrlProblem(args.url) : null;
    if (urlProblem) throw badInput(`the webhook URL ${urlProblem}, received ${JSON.stringify(args.url)}`);
    // R10: the secret is stored encrypted under the platform key, bound to this department's row.
    await saveWebhook(ctx.store, ctx.identity.department, args.url ?? null, args.secret ?? null);
    return { ...(await ctx.store.departments()).find((d) => d.code === ctx.identity.department)!, webhookUrl: args.url ?? null };
  },
  markNotificationsRead: async (_: unknown, { ids }: { ids: string[] }, ctx: AdminContext) => {
    if (ids.length === 0) return 0;
    const result = await ctx.store.db.updateTable('notifications').set({ read_at: ctx.clock().toISOString() })
      .where('department', '=', ctx.identity.department).where('id', 'in', ids).where('read_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  },
};
Object.assign(adminResolvers.Mutation, applicationMutations);

interface SubgraphInput { name: string; url: string; sdl?: string | null; department?: string | null }

async function candidateOf(input: SubgraphInput, ctx: AdminContext): Promise<RegisteredSubgraph> {
  const existing = ctx.registry.current.subgraphs.find((s) => s.name === input.name);
  const department = input.department ?? existing?.department ?? ctx.identity.department;
  // Who may register it, at which host — before anything is fetched from that address.
  await ctx.registry.authorizeRegistration(ctx.identity, { name: input.name, url: input.url, department });
  let sdl = input.sdl;
  if (!sdl) {
    try {
      sdl = await fetchSubgraphSdl(input.url, await ctx.signContext(ctx.identity, input.name), undefined, ctx.registry.http);
    } catch (error) {
      // The remote's answer (or whether a port is open) is not echoed: the caller learns only
      // that no schema came back; the operators' log has the detail.
      defaultLogger().child({ component: 'registry' }).warn({ subgraph: input.name, url: input.url, err: error }, 'reading the SDL of a subgraph being registered failed');
      throw badInput(`no schema could be read from ${input.name}'s address: the subgraph must answer { _service { sdl } } to a registry context; or send the SDL`);
    }
  }
  return { name: input.name, url: input.url, sdl, department };
}

/** Checks are recorded in the audit trail like publishes (R10): who looked at which address. */
async function recordCheck(ctx: AdminContext, input: SubgraphInput, outcome: string): Promise<void> {
  await appendAdminRecord(ctx, {
    action: 'checkSubgraph', target: input.name,
    reason: null, details: { name: input.name, url: input.url, department: input.department ?? null, sdlGiven: Boolean(input.sdl), outcome },
  });
}

function registryError(error: unknown): never {
  if (error instanceof RegistryError) {
    throw new GraphQLError(error.message, { extensions: { code: error.code, ...(error.report ? { check: error.report } : {}) } });
  }
  throw error;
}

const versionView = (v: SupergraphVersion) => ({ ...v, subgraphs: v.subgraphs.map((s) => s.name) });

Object.assign(adminResolvers.Query, {
  subgraphs: (_: unknown, __: unknown, ctx: AdminContext) => ctx.registry.current.subgraphs.map((s) => {
    const health = ctx.registry.healthOf(s.name);
    return { name: s.name, department: s.department, url: s.url, healthy: health?.healthy ?? true, healthSince: health?.since || null, healthDetail: health?.detail ?? 'not probed yet' };
  }),
  supergraphVersions: async (_: unknown, { limit }: { limit: number }, ctx: AdminContext) => (await ctx.registry.history(Math.min(Math.max(limit, 1), 200))).map(versionView),
  checkSubgraph: async (_: unknown, { input }: { input: SubgraphInput }, ctx: AdminContext) => {
    try {
      const report = await ctx.registry.check(ctx.identity, await candidateOf(input, ctx));
      await recordCheck(ctx, input, report.ok ? 'OK' : 'FAILED');
      return report;
    } catch (error) {
      await recordCheck(ctx, input, error instanceof RegistryError ? error.code : 'ERROR').catch(() => undefined);
      return registryError(error);
    }
  },
  schemaOwners: async (_: unknown, args: { department?: string | null; element?: string | null }, ctx: AdminContext) =>
    [...(await ctx.registry.owners()).values()]
      .filter((o) => (!args.department || o.department === args.department) && (!args.element || o.element === args.element))
      .sort((a, b) => a.element.localeCompare(b.element)),
});

Object.assign(adminResolvers.Mutation, {
  publishSubgraph: async (_: unknown, args: { input: SubgraphInput; reason: string; acceptBreaking: boolean }, ctx: AdminContext) => {
    try {
      const { version, report } = await ctx.registry.publish(ctx.identity, await candidateOf(args.input, ctx), args.reason, { acceptBreaking: args.acceptBreaking });
      await ctx.policy.refresh();
      return { version: versionView(version), check: report };
    } catch (error) {
      return registryError(error);
    }
  },
  transferOwnership: async (_: unknown, args: { element: string; toDepartment: string; reason: string }, ctx: AdminContext) => {
    try {
      const before = (await ctx.registry.owners()).get(args.element);
      const owner = await ctx.registry.transferOwnership(ctx.identity, args.element, args.toDepartment, requireReason(args.reason));
      await ctx.policy.refresh();
      await queueNotification(ctx.store.db, [before?.department ?? owner.department, owner.department], 'OWNERSHIP_TRANSFERRED',
        `${args.element} is now ${owner.department}'s (was ${before?.department ?? 'nobody'}'s), by the coordinating office: ${args.reason.trim()}`, ctx.clock());
      return owner;
    } catch (error) {
      return registryError(error);
    }
  },
  setDepartmentHosts: async (_: unknown, args: { department: string; hosts: string[]; reason: string }, ctx: AdminContext) => {
    try {
      requireReason(args.reason);
      return await ctx.registry.setHosts(ctx.identity, args.department, args.hosts);
    } catch (error) {
      return registryError(error);
    }
  },
  rollbackSupergraph: async (_: unknown, args: { toVersion: number; reason: string }, ctx: AdminContext) => {
    try {
      const version = await ctx.registry.rollback(ctx.identity, args.toVersion, requireReason(args.reason));
      await ctx.policy.refresh();
      return versionView(version);
    } catch (error) {
      return registryError(error);
    }
  },
});

Object.assign(adminResolvers.Query, {
  objections: (_: unknown, { status }: { status?: ObjectionStatus }, ctx: AdminContext) => ctx.objections.list(ctx.identity, status),
});
Object.assign(adminResolvers.Mutation, {
  raiseObjection: (_: unknown, { input }: { input: Parameters<ObjectionService['raise']>[1] }, ctx: AdminContext) => ctx.objections.raise(ctx.identity, input),
  resolveObjection: (_: unknown, args: { id: string; resolution: 'CORRECTED' | 'CONFIRMED'; note: string; valueBefore?: string | null; valueAfter?: string | null }, ctx: AdminContext) =>
    ctx.objections.resolve(ctx.identity, args.id, args.resolution, args.note, args),
});

// evaluationReport: control/reports/admin.ts (with the all-department table and publication).

Object.assign(adminResolvers.Query, {
  auditRecords: async (_: unknown, { filter }: { filter: Record<string, unknown> }, ctx: AdminContext) => {
    const { identity } = ctx;
    if (identity.kind === 'APP') throw forbidden('the audit trail is for department administrators and the coordinating office');
    const viewer: AuditViewer = identity.kind === 'PLATFORM_ADMIN'
      ? { kind: 'platform' }
      : {
        kind: 'department',
        department: identity.department,
        providerOf: (c) => ctx.policy.current.fields.get(c)?.provider,
        subgraphs: ctx.registry.current.subgraphs.filter((s) => s.department === identity.department).map((s) => s.name),
      };
    const { keyKind, keyValue, ...rest } = filter as { keyKind?: string; keyValue?: string } & Record<string, unknown>;
    // ISO date-times; their day must be a real one (Date.parse reads 2027-02-30 as 2 March).
    for (const bound of ['from', 'to'] as const) if (typeof rest[bound] === 'string') calendarDate((rest[bound] as string).slice(0, 10), { name: bound });
    const query = { ...rest, ...(keyKind && keyValue ? { key: { kind: keyKind, value: keyValue } } : {}) } as AuditQuery;
    try {
      const page = await queryAudit(ctx.audit, viewer, query);
      return {
        next: page.next,
        records: page.records.map((r) => {
          const e = r as unknown as Record<string, unknown>;
          return { seq: r.seq, kind: r.kind, time: r.time, department: e.department ?? null, requestId: e.requestId ?? null, purpose: e.purpose ?? null, caseId: e.caseId ?? null, json: JSON.stringify(r) };
        }),
      };
    } catch (error) {
      if (error instanceof AuditQueryError) throw badInput(error.message);
      throw error;
    }
  },
});

// R10 (no enumeration): per-app rate limits, read by the gateway's rate-limit plugin.
async function rateLimitedApp(ctx: AdminContext, appId: string): Promise<{ id: string; department: string }> {
  const credential = await ctx.store.credential(appId);
  if (!credential || credential.kind !== 'APP') throw badInput(`no app ${JSON.stringify(appId)}; rate limits are set per app credential (see credentials)`);
  return credential;
}

async function appRateLimitView(ctx: AdminContext, app: { id: string; department: string }) {
  const own = await ctx.store.appRateLimit(app.id);
  return { appId: app.id, department: app.department, ...(own ?? DEFAULT_APP_RATE_LIMITS), isDefault: own === null };
}

function perMinute(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_LIMIT_PER_MINUTE) {
    throw badInput(`${name} must be a whole number from 1 to ${MAX_LIMIT_PER_MINUTE}, received ${value}; the defaults are ${DEFAULT_APP_RATE_LIMITS.requestsPerMinute} requests and ${DEFAULT_APP_RATE_LIMITS.keysPerMinute} keys per minute`);
  }
  return value;
}

Object.assign(adminResolvers.Query, {
  appRateLimit: async (_: unknown, { appId }: { appId: string }, ctx: AdminContext) => {
    const app = await rateLimitedApp(ctx, appId);
    if (ctx.identity.credentialId !== app.id) requireAdminOf(ctx, app.department);
    return appRateLimitView(ctx, app);
  },
});
Object.assign(adminResolvers.Mutation, {
  setAppRateLimit: async (_: unknown, args: { appId: string; requestsPerMinute: number; keysPerMinute: number }, ctx: AdminContext) => {
    const app = await rateLimitedApp(ctx, args.appId);
    requireAdminOf(ctx, app.department);
    const limits = { requestsPerMinute: perMinute('requestsPerMinute', args.requestsPerMinute), keysPerMinute: perMinute('keysPerMinute', args.keysPerMinute) };
    await ctx.store.setAppRateLimit(app.id, limits, actorOf(ctx));
    return appRateLimitView(ctx, app);
  },
});
