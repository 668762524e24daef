/**
 * `<DATA_DIR>/demo/credentials.json`: the file other programs and tests read to find the
 * gateway, the subgraphs, the demo departments with their tokens, and sample identifiers.
 * Its shape is a contract (DESIGN.md "Demo world"): extend it, never rename.
 */
import { join } from 'node:path';
import { ensurePrivateDir, writePrivateFile } from '../lib/privateFiles.ts';
import { DEMO_DEPARTMENTS } from '../demo/departments.ts';
import type { DemoWorld } from '../demo/world.ts';
import type { DocumentNode } from 'graphql';


/** A running subgraph as the platform started it. */
export interface SubgraphEndpoint {
  readonly name: string;
  readonly url: string;
  readonly typeDefs: DocumentNode;
}

export interface Credentials {
  readonly gateway: string;
  readonly admin: string;
  readonly platformAdminToken: string;
  readonly departments: readonly {
    readonly code: string;
    readonly name: string;
    readonly role: string;
    readonly adminToken: string;
    readonly apps: readonly { readonly id: string; readonly token: string }[];
  }[];
  readonly samples: ReturnType<DemoWorld['samples']>;
  readonly subgraphs: Readonly<Record<string, string>>;
}

export function writeCredentials(
  dataDir: string,
  input: { gatewayUrl: string; subgraphs: readonly SubgraphEndpoint[]; world: DemoWorld; tokens?: TokenSource },
): { credentials: Credentials; file: string } {
  const tokens = input.tokens ?? NO_TOKENS;
  const credentials: Credentials = {
    gateway: input.gatewayUrl,
    admin: input.gatewayUrl.replace(/\/graphql$/, '/admin/graphql'),
    platformAdminToken: tokens.platformAdmin(),
    departments: DEMO_DEPARTMENTS.map((d) => ({
      code: d.code,
      name: d.name,
      role: d.role,
      adminToken: tokens.departmentAdmin(d.code),
      apps: tokens.apps(d.code),
    })),
    samples: input.world.samples(),
    subgraphs: Object.fromEntries(input.subgraphs.map((s) => [s.name, s.url])),
  };
  // R10: the file holds bearer tokens; 0600 in a 0700 folder, replaced atomically so a
  // reader (the CLI, a test) never sees half of it.
  ensurePrivateDir(dataDir);
  const dir = ensurePrivateDir(join(dataDir, 'demo'));
  const file = join(dir, 'credentials.json');
  writePrivateFile(file, JSON.stringify(credentials, null, 2) + '\n');
  return { credentials, file };
}

/** Where the demo tokens come from; identity arrives with the policy work. */
export interface TokenSource {
  platformAdmin(): string;
  departmentAdmin(code: string): string;
  apps(code: string): { id: string; token: string }[];
}

const NO_TOKENS: TokenSource = {
  platformAdmin: () => '',
  departmentAdmin: () => '',
  apps: () => [],
};
