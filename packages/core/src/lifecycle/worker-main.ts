import { ConfigError } from '../errors.js';
import { loadConfig } from '../config/config.js';
import { ElasticsearchBuffer } from '../search/es-buffer.js';
import { ensureIndex } from '../search/index-template.js';
import { componentLogger } from '../logging/logger.js';
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

/** The index alias checked and an Elasticsearch buffer configured from the runtime's settings. */
export async function createIndexBuffer(runtime: Runtime): Promise<ElasticsearchBuffer> {
  const { config } = runtime;
  await ensureIndex(runtime.search, config.ELASTICSEARCH_INDEX);
  return new ElasticsearchBuffer({
    client: runtime.search,
    index: config.ELASTICSEARCH_INDEX,
    maxDocs: config.ES_BUFFER_MAX_DOCS,
    maxWaitMs: config.ES_BUFFER_MAX_WAIT_MS,
    idleMs: config.ES_BUFFER_IDLE_MS,
    maxPendingDocs: config.ES_BUFFER_MAX_PENDING_DOCS,
    logger: componentLogger(runtime.rootLogger, 'es-buffer'),
    registry: runtime.registry,
  });
}
