import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'scratch/**', 'data/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Platform tests start servers on free ports; forks keep native SQLite handles apart.
    pool: 'forks',
  },
});
