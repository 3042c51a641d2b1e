import type * as Core from '@minato/core';

/** What a command's body gets: the process runtime (clients opened on first use) and core's exports. */
export interface CommandContext {
  runtime: Core.Runtime;
  core: typeof Core;
  /** the Elasticsearch client, once the credentials proved to hold what `role` needs (README, Security) */
  searchAs: (role: Core.SearchRole) => Promise<Core.SearchEngine>;
}

/**
 * Runs a command body with a fresh runtime and always closes it. Core is imported here, when a command runs,
 * not when `main.ts` loads: `minato --help` and a mistyped option never pay for BullMQ, the Elasticsearch client
 * and the rest.
 */
export async function withRuntime<T>(body: (context: CommandContext) => Promise<T>): Promise<T> {
  const core = await import('@minato/core');
  const config = core.loadConfig(process.env);
  // Logs go to stderr so that a command's standard output stays machine-readable.
  const logger = core.createLogger({
    level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL,
    format: 'pretty',
    destination: process.stderr,
  });
  const runtime = core.createRuntime(config, 'cli', logger);
  try {
    const searchAs = async (role: Core.SearchRole) => {
      const { ELASTICSEARCH_INDEX: alias } = config;
      await core.checkSearchPrivileges({ engine: runtime.search, alias, role, logger: runtime.logger });
      return runtime.search;
    };
    return await body({ runtime, core, searchAs });
  } finally {
    await runtime.close();
  }
}
