import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';

/** One named dependency check for /readyz; resolves when reachable, rejects with the reason otherwise. */
export type ReadinessCheck = () => Promise<unknown>;

export interface HealthServerOptions {
  port: number;
  host?: string;
  registry: Registry;
  /** named checks run in parallel for /readyz: Redis, PostgreSQL, Elasticsearch */
  checks: Record<string, ReadinessCheck>;
  /** why the worker has stopped taking jobs (an outage), or null; a parked worker is not ready */
  parked?: () => object | null;
  /** whether a drain (started by the process's own signal) is under way; a draining worker is not ready */
  draining?: () => boolean;
  logger: Logger;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Serves /metrics, /healthz and /readyz for one worker process. It listens on every interface for the probes
 * and the scrapes, so it offers nothing that changes the worker: a drain starts only from a signal sent inside
 * the pod (README, Operate).
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { registry, checks, logger } = options;

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type }).end(body);
    };
    const handle = async () => {
      switch (path) {
        case '/metrics':
          return reply(200, await registry.metrics(), registry.contentType);
        case '/healthz':
          return reply(200, JSON.stringify({ status: 'alive' }));
        case '/readyz': {
          const results = await runChecks(checks);
          const parked = options.parked?.() ?? null;
          const draining = options.draining?.() ?? false;
          const ready = !draining && !parked && Object.values(results).every((r) => r === 'ok');
          return reply(
            ready ? 200 : 503,
            JSON.stringify({ status: ready ? 'ready' : 'not ready', draining, parked, checks: results }),
          );
        }
        default:
          return reply(404, JSON.stringify({ error: `no route ${path ?? ''}` }));
      }
    };
    handle().catch((error: unknown) => {
      logger.error({ err: error, path }, 'health server request failed');
      if (!res.headersSent) reply(500, JSON.stringify({ error: String(error) }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function runChecks(checks: Record<string, ReadinessCheck>): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref(),
          ),
        ]);
        return [name, 'ok'] as const;
      } catch (error) {
        return [name, error instanceof Error ? error.message : String(error)] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}
