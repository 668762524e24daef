/**
 * The management API's resolvers for field refusals and field contests (R5): each field's
 * refusal and contest on `ApplicationField`, `contestApplicationField` and
 * `arbitrateApplicationField` (SDL in control/admin/schema.graphql). Registered beside
 * adminResolvers in control/admin/adminServer.ts.
 *
 * Who sees what: a field's refusal and contest are the consumer's, the provider's and the
 * coordinating office's (the `application` query already refuses anyone else; these resolvers
 * check again, so no other path can show them).
 */
import DataLoader from 'dataloader';
import type { Identity } from '../store/platformStore.ts';
import type { ApplicationRecord, ApplicationService } from './applicationService.ts';
import { FieldContests } from './fieldContests.ts';
import { fieldDecisionsOf, type FieldContest, type FieldRefusal } from './fieldRefusals.ts';

/** The part of the admin context these resolvers use. */
export interface FieldDecisionContext {
  readonly identity: Identity;
  readonly applications: ApplicationService;
}

type Decisions = { refusals: FieldRefusal[]; contests: FieldContest[] };
type FieldView = ApplicationRecord['fields'][number] & { readonly application: ApplicationRecord };

// One loader per request (a cache must never outlive its caller): all applications of one
// answer are read in one query.
const loaders = new WeakMap<FieldDecisionContext, DataLoader<string, Decisions>>();
function decisionsLoader(ctx: FieldDecisionContext): DataLoader<string, Decisions> {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const found = await fieldDecisionsOf(ctx.applications.environment.store.db, ids);
      return ids.map((id) => found.get(id) ?? { refusals: [], contests: [] });
    });
    loaders.set(ctx, loader);
  }
  return loader;
}

/** The consumer, the provider (any credential of theirs) and the coordinating office. */
function concerns(identity: Identity, application: ApplicationRecord): boolean {
  return identity.kind === 'PLATFORM_ADMIN' || identity.department === application.consumer || identity.department === application.provider;
}

async function decisionsFor(field: FieldView, ctx: FieldDecisionContext): Promise<Decisions | null> {
  if (!concerns(ctx.identity, field.application)) return null;
  return decisionsLoader(ctx).load(field.application.id);
}

export const fieldDecisionResolvers = {
  Application: {
    fields: (a: ApplicationRecord): FieldView[] => a.fields.map((f) => ({ ...f, application: a })),
  },
  ApplicationField: {
    refusal: async (f: FieldView, _: unknown, ctx: FieldDecisionContext) => (await decisionsFor(f, ctx))?.refusals.find((r) => r.coordinate === f.coordinate) ?? null,
    contest: async (f: FieldView, _: unknown, ctx: FieldDecisionContext) => (await decisionsFor(f, ctx))?.contests.find((c) => c.coordinate === f.coordinate) ?? null,
  },
  Mutation: {
    contestApplicationField: (_: unknown, args: { id: string; coordinate: string; reason: string }, ctx: FieldDecisionContext) =>
      new FieldContests(ctx.applications).contest(ctx.identity, args.id, args.coordinate, args.reason),
    arbitrateApplicationField: (_: unknown, args: { id: string; coordinate: string; grant: boolean; reason: string; validUntil?: string | null }, ctx: FieldDecisionContext) =>
      new FieldContests(ctx.applications).arbitrate(ctx.identity, args.id, args.coordinate, args),
  },
};
