import { fileURLToPath } from 'node:url';

/**
 * Tests import workspace packages from source, so no build is needed between an edit and a test run. Core's
 * folders are also importable one at a time (`@minato/core/search`), which the CLI uses to start fast.
 */
export const workspaceAliases = [
  {
    find: '@minato/core/errors',
    replacement: fileURLToPath(new URL('./packages/core/src/errors.ts', import.meta.url)),
  },
  {
    find: /^@minato\/core\/(.+)$/,
    replacement: fileURLToPath(new URL('./packages/core/src/$1/index.ts', import.meta.url)),
  },
  {
    find: '@minato/core',
    replacement: fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
  },
  {
    find: '@minato/tmdb-fake',
    replacement: fileURLToPath(new URL('./packages/tmdb-fake/src/index.ts', import.meta.url)),
  },
];
