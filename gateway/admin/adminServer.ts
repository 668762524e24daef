/** The management API's Apollo Server (`/admin/graphql`), a separate schema from the data graph. */
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { adminResolvers, type AdminContext } from './resolvers.ts';
import { catalogueResolvers, catalogueTypeDefs } from '../../catalogue/admin.ts';

export async function createAdminServer(): Promise<ApolloServer<AdminContext>> {
  const schema = makeExecutableSchema<AdminContext>({
    typeDefs: [readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'), catalogueTypeDefs],
    resolvers: [adminResolvers, catalogueResolvers] as never,
  });
  const server = new ApolloServer<AdminContext>({
    schema,
    plugins: [ApolloServerPluginLandingPageDisabled()],
    includeStacktraceInErrorResponses: false,
  });
  await server.start();
  return server;
}
