import type * as Core from '@minato/core';

/** What a command's body gets: the process runtime (clients opened on first use) and core's exports. */
export interface CommandContext {
  runtime: Core.Runtime;
  core: typeof Core;
  /** the Elasticsearch client, once the credentials proved to hold what `role` needs (README, Security) */
  searchAs: (role: Core.SearchRole) => Promise<Core.SearchEngine>;
  /** the dependencies found missing, for a command that works around them (`status`); empty for the others */
  missing: Map<Core.CheckedDependency, Core.DependencyUnavailableError>;
}

const CLOSE_MS = 1_000;

export interface RuntimeOptions {
  /** what the command needs, checked before its body runs (README, "The minato command") */
  needs: readonly Core.Need[];
  /** run the body whatever is missing, and let it say what it could not reach */
  partial?: boolean;
}

/**
 * Runs a command body with a fresh runtime and always closes it. Core is imported here, when a command runs,
 * not when `main.ts` loads: `minato --help` and a mistyped option never pay for BullMQ, the Elasticsearch client
 * and the rest. The dependencies the command needs are checked first, each within a few seconds, so that a
 * missing one is one line naming it, its address and the fix (a DependencyUnavailableError), not a stack trace
 * or a wait on a client's reconnects.
 */
export async function withRuntime<T>(
  { needs, partial = false }: RuntimeOptions,
  body: (context: CommandContext) => Promise<T>,
): Promise<T> {
  const core = await import('@minato/core');
  const config = core.loadConfig(process.env);
  // Logs go to stderr so that a command's standard output stays machine-readable; a client's reconnect warnings
  // are noise to a person who gets the one line of a missing dependency (`--verbose` sets LOG_LEVEL=debug).
  const logger = core.createLogger({
    level: config.LOG_LEVEL === 'info' ? 'error' : config.LOG_LEVEL,
    format: 'pretty',
    destination: process.stderr,
  });
  // A command answers within seconds: a Redis command fails once its connection is lost instead of waiting for
  // the reconnects that a worker wants.
  const runtime = core.createRuntime(config, 'cli', logger, { maxRetriesPerRequest: 1 });
  try {
    const missing = await core.preflight(runtime, needs);
    const [first] = missing.values();
    if (first && !partial) throw first;
    const searchAs = async (role: Core.SearchRole) => {
      const { ELASTICSEARCH_INDEX: alias } = config;
      await core.checkSearchPrivileges({ engine: runtime.search, alias, role, logger: runtime.logger });
      return runtime.search;
    };
    return await body({ runtime, core, searchAs, missing });
  } finally {
    // A pool still connecting to a PostgreSQL that is down holds its close for seconds: the answer is already
    // known, so the close gets a moment and the process ends anyway (main.ts exits after a failure).
    await core.within(CLOSE_MS, runtime.close(), 'close').catch(() => undefined);
  }
}
