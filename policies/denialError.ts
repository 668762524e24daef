/** The FORBIDDEN error a denied field comes back with — the same shape from the gateway and from a subgraph. */
import { GraphQLError, type ASTNode } from 'graphql';
import { ErrorCode } from '../lib/errors.ts';
import type { Denial } from './model.ts';

export function denialError(denial: Denial, path?: readonly (string | number)[], nodes?: ASTNode | readonly ASTNode[]): GraphQLError {
  return new GraphQLError(`${denial.message}.${denial.howToApply ? ` To read it, ${denial.howToApply}.` : ''}`, {
    ...(path ? { path } : {}),
    ...(nodes ? { nodes } : {}),
    extensions: {
      code: ErrorCode.FORBIDDEN,
      coordinate: denial.coordinate,
      sharingClass: denial.sharingClass,
      reason: denial.reason,
      basis: denial.basis,
      provider: denial.provider,
      ...(denial.howToApply ? { howToApply: denial.howToApply } : {}),
      ...(denial.unclassified ? { unclassified: true } : {}),
    },
  });
}
