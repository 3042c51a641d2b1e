import { progress } from './progress.js';

const cleanups = new Set<() => Promise<void>>();
let interrupted = false;

/**
 * Registers what must be undone if the run is interrupted (Ctrl-C, `timeout`): the parts' schemas,
 * indexes, queues and worker processes. Returns the function that unregisters it once the part cleaned
 * up by itself.
 */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** SIGINT/SIGTERM: run every registered cleanup (bounded), then exit; a second signal exits at once. */
export function cleanUpOnSignals(): void {
  const handle = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    progress(`${signal}: cleaning up ${cleanups.size} part(s) before exiting`);
    const deadline = new Promise((resolve) => setTimeout(resolve, 20_000).unref());
    void Promise.race([Promise.allSettled([...cleanups].map((c) => c())), deadline]).then(() =>
      process.exit(130),
    );
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}
