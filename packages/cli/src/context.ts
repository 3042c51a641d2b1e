import type * as Core from '@minato/core';

/** What a command's body gets: the process runtime (clients opened on first use) and core's exports. */
export interface CommandContext {
  runtime: Core.Runtime;
  core: typeof Core;
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
    return await body({ runtime, core });
  } finally {
    await runtime.close();
  }
}
