export { createRuntime, readinessChecks, registerRuntimeQueueMetrics, type Runtime } from './runtime.js';
export {
  STUCK_EXIT_CODE,
  startWorkerProcess,
  type WorkerProcess,
  type WorkerProcessOptions,
} from './worker-process.js';
export { StuckWorkerWatchdog, type StuckWorkerWatchdogOptions } from './stuck-worker-watchdog.js';
export { exitOnSignals } from './signals.js';
export { runWorkerMain } from './worker-main.js';
export { createIndexBuffer } from './index-buffer.js';
export { BULK_JOBS_RUNNING } from './bulk-job-limiter.js';
export { checkStartupAccess, type WorkerRole } from './startup-access.js';
