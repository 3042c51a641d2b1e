import { defineConfig } from 'vitest/config';
import { workspaceAliases } from './vitest.shared.js';

// Integration tier: real Redis, PostgreSQL and Elasticsearch started by `make services`.
// Files run one at a time because several of them stop, flood or flush the shared services.
export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    reporters: ['default', './test/support/slowest-tests-reporter.ts'],
    include: ['test/**/*.test.ts'],
    // The deploy tier needs the local cluster and has its own config (test/deploy/vitest.config.ts).
    exclude: ['test/deploy/**'],
    fileParallelism: false,
    setupFiles: ['test/support/process-cleanup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
