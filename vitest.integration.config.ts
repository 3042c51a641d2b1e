import { defineConfig } from 'vitest/config';
import { workspaceAliases } from './vitest.shared.js';

// Integration tier: real Redis, PostgreSQL and Elasticsearch started by `make services`.
// Files run two at a time: most of a file's time is spent waiting on workers and services. They are isolated: each
// test has its own queue prefix, index alias and PostgreSQL schema (and API keys on the nodes with security on, which
// the global setup boots), and a file that stops or flushes a service uses one of its own, on its own port.
export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    reporters: ['default', './test/support/slowest-tests-reporter.ts'],
    include: ['test/**/*.test.ts'],
    // The deploy tier needs the local cluster and has its own config (test/deploy/vitest.config.ts).
    exclude: ['test/deploy/**'],
    fileParallelism: true,
    maxWorkers: 2,
    globalSetup: ['test/support/shared-elasticsearch-nodes.ts'],
    setupFiles: ['test/support/process-cleanup.ts'],
    // One node, no replicas: an index with one would stay yellow (README, "Search engines").
    env: { SEARCH_INDEX_REPLICAS: process.env.SEARCH_INDEX_REPLICAS ?? '0' },
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
