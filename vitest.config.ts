import { defineConfig } from 'vitest/config';
import { workspaceAliases } from './vitest.shared.js';

// Unit tier: fast tests beside the code, no services.
export default defineConfig({
  resolve: { alias: workspaceAliases },
  // One file at a time: the parser fuzz test times each name, and a neighbouring file on the other core
  // would make those timings noise.
  test: {
    reporters: ['default', './test/support/slowest-tests-reporter.ts'],
    include: ['packages/*/src/**/*.test.ts'],
    testTimeout: 60_000,
    fileParallelism: false,
  },
});
