/**
 * A person whose account or department was deactivated cannot act (issue 14): every management
 * operation of a person — query or mutation — first reads their standing from the store, so a
 * deactivation takes effect on their next request on every replica, whatever their session says.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { requireActivePerson, type PersonCallContext } from './personRoles.ts';

export function personStandingPlugin<TContext extends PersonCallContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue }) {
          await requireActivePerson(contextValue);
        },
      };
    },
  };
}
