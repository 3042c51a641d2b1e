import type { Logger } from 'pino';

/**
 * SIGTERM/SIGINT start `drain` and exit 0 when it is done, 1 if it failed or outlasted the shutdown deadline:
 * a drained worker always leaves. A later SIGTERM changes nothing, since Kubernetes sends one after the preStop
 * hook that already sent the first (helm chart, deployment.yaml); a second SIGINT (Ctrl+C twice) exits at once.
 */
export function exitOnSignals(drain: () => Promise<void>, logger: Logger, timeoutMs: number): void {
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) {
      if (signal === 'SIGTERM') return logger.info({ signal }, 'already draining');
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
