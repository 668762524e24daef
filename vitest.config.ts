import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds; Node and the CJS @apollo packages
    // load the CJS one, Vite would pick the ESM one, and two graphql instances reject each
    // other's schemas. Tests load the one Node loads.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'scratch/**', 'data/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Platform tests start servers on free ports; forks keep native SQLite handles apart.
    pool: 'forks',
  },
});
