import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.js';

// Deploy tier (`make test-deploy`): the chart installed on the local cluster of deploy/local/cluster.sh, with
// the images of `make images`, against the shared services. One file, its steps in order.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  resolve: { alias: workspaceAliases },
  test: {
    include: ['test/deploy/**/*.test.ts'],
    fileParallelism: false,
    // Each step waits on the cluster with its own, shorter deadlines; a failed step makes the next ones moot.
    testTimeout: 600_000,
    hookTimeout: 300_000,
    bail: 1,
  },
});
