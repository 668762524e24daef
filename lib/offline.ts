/**
 * govgraph runs on government networks with no internet access, and what it serves must not
 * leave them. Left to themselves the Apollo packages reach out: @apollo/gateway exports usage
 * telemetry to Apollo's servers and, to label it, probes the cloud metadata services
 * (169.254.169.254, metadata.google.internal); Apollo Server reports usage and schemas to
 * Apollo's cloud whenever APOLLO_KEY is set. Every ApolloGateway and ApolloServer in this
 * repository is built after `keepApolloOffline()` and with `offlinePlugins()`.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';

/** Turns off @apollo/gateway's telemetry export and the metadata probes (read when an ApolloGateway is constructed). */
export function keepApolloOffline(): void {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  process.env.METADATA_SERVER_DETECTION = 'none';
}

/** Apollo Server's usage and schema reporting, off whatever the environment says. */
export function offlinePlugins<TContext extends BaseContext>(): ApolloServerPlugin<TContext>[] {
  return [ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled()] as ApolloServerPlugin<TContext>[];
}
