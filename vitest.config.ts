import { defineConfig } from 'vitest/config';
import { workspaceAliases } from './vitest.shared.js';

// Unit tier: fast tests beside the code, no services.
export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: { include: ['packages/*/src/**/*.test.ts'], testTimeout: 30_000 },
});
