import { fileURLToPath } from 'node:url';

/** Tests import workspace packages from source, so no build is needed between an edit and a test run. */
export const workspaceAliases = {
  '@minato/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
  '@minato/tmdb-fake': fileURLToPath(new URL('./packages/tmdb-fake/src/index.ts', import.meta.url)),
};
