import { defineConfig } from 'vitest/config';
import { workspaceAliases } from './vitest.shared.js';

// Integration tier: real Redis, PostgreSQL and Elasticsearch started by `make services`.
// Files run one at a time because several of them stop, flood or flush the shared services.
export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ['test/**/*.test.ts'],
    // The deploy tier needs the local cluster and has its own config (test/deploy/vitest.config.ts).
    exclude: ['test/deploy/**'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
