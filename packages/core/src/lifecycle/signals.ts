import type { Logger } from 'pino';

/**
 * SIGTERM/SIGINT start `drain` and exit 0 when it is done; a second signal, or the shutdown deadline,
 * exits at once with 1 (Kubernetes would SIGKILL a little later anyway).
 */
export function exitOnSignals(drain: () => Promise<void>, logger: Logger, timeoutMs: number): void {
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    received = true;
    logger.info({ signal }, 'shutting down gracefully');
    setTimeout(() => {
      logger.error({ timeoutMs }, 'graceful shutdown took too long: exiting');
      process.exit(1);
    }, timeoutMs).unref();
    drain().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
