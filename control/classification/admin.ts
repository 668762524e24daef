/**
 * The classification guards in the management API (`/admin/graphql`): the items marked basic
 * or licensing-related (003 Guangdong art. 4) and the coordinating office's reasoned overrides
 * that let one be restricted (control/classification/classificationGuards.ts). Every credential
 * reads the marks (they are catalogue information); only the platform administrator (the
 * coordinating office) records or withdraws an override, with a reason, audited by the admin
 * audit plugin like every mutation.
 */
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errors.ts';
import { timeOrderedUuid } from '../../lib/requestId.ts';
import { actorOf, badInput, requirePlatformAdmin, requireReason, type AdminContext } from '../admin/resolvers.ts';
import { grantMandateOverride, mandateOf, mandateOverrides, MANDATE_MEASURE, withdrawMandateOverride, type MandateOverride } from './classificationGuards.ts';

export const classificationGuardsTypeDefs = /* GraphQL */ `
extend type Query {
  """
  The items their providers mark as basic items (基础信息项) or tied to licensing or parallel
  approval, which are shared unconditionally (003 Guangdong art. 4), each with its sharing class
  now and the coordinating office's override if one stands.
  """
  markedItems: [MarkedItem!]!
  "The coordinating office's overrides of marked items, standing and withdrawn, oldest first."
  itemMandateOverrides: [ItemMandateOverride!]!
}

extend type Mutation {
  """
  Platform administrator (the coordinating office): lets one marked item be made CONDITIONAL
  or NOT_SHARED (by its subgraph's @sharing, a policy edit or a reclassification), with the
  reason (003 Guangdong art. 4). Recorded, audited; the change itself still goes through the
  usual paths.
  """
  overrideItemMandate(coordinate: String!, reason: String!): ItemMandateOverride!
  """
  Platform administrator: withdraws the standing override of a marked item, with a reason.
  Refused while the item is restricted: make it unconditional first.
  """
  withdrawItemMandateOverride(coordinate: String!, reason: String!): ItemMandateOverride!
}

"An item marked to be shared unconditionally."
type MarkedItem {
  coordinate: String!
  mandate: ItemMandate!
  provider: String!
  "Its effective sharing class now."
  sharingClass: SharingClass!
  "The coordinating office's standing override; null: the item must stay unconditional."
  override: ItemMandateOverride
}

"The coordinating office's reasoned permission for one marked item to be restricted."
type ItemMandateOverride {
  id: ID!
  coordinate: String!
  reason: String!
  grantedBy: String!
  grantedAt: String!
  withdrawnAt: String
  withdrawnBy: String
  withdrawalReason: String
}
`;

/**
 * The item's mark. A coordinate not yet in the supergraph may be overridden ahead of the
 * registration that declares it (a new subgraph's marked item, declared restricted); a field
 * already registered must carry the mark.
 */
function requireMarked(ctx: AdminContext, coordinate: string): string {
  if (!/^[A-Za-z_]\w*\.[A-Za-z_]\w*$/.test(coordinate)) throw badInput(`coordinate must be Type.field, received ${JSON.stringify(coordinate)}`);
  const known = ctx.policy.fields.some((f) => f.coordinate === coordinate);
  const mandate = mandateOf(ctx.policy.fields, coordinate);
  if (known && !mandate) throw badInput(`${coordinate} is not an item its provider marks as basic or licensing-related (@sharing(mandate: …)); nothing to override`);
  return mandate ?? 'a marked item to be registered';
}

function standingOf(all: readonly MandateOverride[], coordinate: string): MandateOverride | null {
  return all.find((o) => o.coordinate === coordinate && !o.withdrawnAt) ?? null;
}

export const classificationGuardsResolvers = {
  Query: {
    markedItems: async (_: unknown, __: unknown, ctx: AdminContext) => {
      const all = await mandateOverrides(ctx.store.db);
      return ctx.policy.fields.flatMap((f) => {
        const mandate = f.sharing?.mandate;
        if (!mandate) return [];
        const current = ctx.policy.current.fields.get(f.coordinate);
        return [{ coordinate: f.coordinate, mandate, provider: f.department, sharingClass: current?.sharingClass ?? f.sharing!.sharingClass, override: standingOf(all, f.coordinate) }];
      });
    },
    itemMandateOverrides: (_: unknown, __: unknown, ctx: AdminContext) => mandateOverrides(ctx.store.db),
  },
  Mutation: {
    overrideItemMandate: async (_: unknown, args: { coordinate: string; reason: string }, ctx: AdminContext) => {
      requirePlatformAdmin(ctx);
      const reason = requireReason(args.reason);
      requireMarked(ctx, args.coordinate);
      const id = timeOrderedUuid(ctx.clock().getTime());
      await grantMandateOverride(ctx.store.db, { id, coordinate: args.coordinate, reason, actor: actorOf(ctx), at: ctx.clock() });
      return standingOf(await mandateOverrides(ctx.store.db), args.coordinate);
    },
    withdrawItemMandateOverride: async (_: unknown, args: { coordinate: string; reason: string }, ctx: AdminContext) => {
      requirePlatformAdmin(ctx);
      const reason = requireReason(args.reason);
      const mandate = requireMarked(ctx, args.coordinate);
      const all = await mandateOverrides(ctx.store.db);
      const standing = standingOf(all, args.coordinate);
      if (!standing) throw badInput(`${args.coordinate} has no standing override to withdraw`);
      const current = ctx.policy.current.fields.get(args.coordinate);
      if (current && current.sharingClass !== 'UNCONDITIONAL') {
        throw new GraphQLError(`${args.coordinate} (${mandate}) is ${current.sharingClass} now under the override: make it UNCONDITIONAL first (${MANDATE_MEASURE}), then withdraw the override`, { extensions: { code: ErrorCode.CONFLICT } });
      }
      await withdrawMandateOverride(ctx.store.db, { coordinate: args.coordinate, reason, actor: actorOf(ctx), at: ctx.clock() });
      return (await mandateOverrides(ctx.store.db)).find((o) => o.id === standing.id);
    },
  },
};
