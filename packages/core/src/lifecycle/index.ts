export { createRuntime, readinessChecks, type Runtime } from './runtime.js';
export { startWorkerProcess, type WorkerProcess, type WorkerProcessOptions } from './worker-process.js';
export { exitOnSignals } from './signals.js';
export { runWorkerMain, createIndexBuffer } from './worker-main.js';
export { checkStartupAccess, type WorkerRole } from './startup-access.js';
