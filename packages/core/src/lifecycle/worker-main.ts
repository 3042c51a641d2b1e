import { ConfigError } from '../errors.js';
import { loadConfig } from '../config/config.js';
import { createRuntime, type Runtime } from './runtime.js';
import { exitOnSignals } from './signals.js';
import { checkStartupAccess, type WorkerRole } from './startup-access.js';
import type { WorkerProcess } from './worker-process.js';

/**
 * The body of every worker's `main.ts`: parse the environment once (a bad value stops start-up with one
 * line naming it), build the runtime, let `start` wire the worker, and drain on SIGTERM/SIGINT.
 */
export function runWorkerMain(
  component: WorkerRole,
  start: (runtime: Runtime) => Promise<WorkerProcess>,
): void {
  const configError = (error: ConfigError) => {
    process.stderr.write(`${component}: invalid configuration: ${error.message}\n`);
    process.exit(1);
  };
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) return configError(error);
    throw error;
  }
  const runtime = createRuntime(config, component);
  const started = checkStartupAccess(runtime, component).then(() => start(runtime));
  started.then(
    (worker) => exitOnSignals(() => worker.drain(), runtime.logger, config.SHUTDOWN_TIMEOUT_MS),
    async (error: unknown) => {
      await runtime.close();
      if (error instanceof ConfigError) return configError(error);
      runtime.logger.fatal({ err: error }, 'start-up failed');
      process.exit(1);
    },
  );
}
