import { pino, type Logger, type DestinationStream } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

/** The `component` field of each source, and the prefix the pretty dev output shows for it. */
export const componentPrefixes = {
  'ingest-worker': 'Ingest Worker',
  'enrichment-worker': 'Enrichment Worker',
  'sync-worker': 'Sync Worker',
  'rate-limiter': 'Rate Limiter',
  'es-buffer': 'ES Buffer',
  'tmdb-client': 'TMDB',
  lifecycle: 'Lifecycle',
  cli: 'CLI',
  'tmdb-fake': 'TMDB Fake',
  console: 'Console',
} as const;

export type Component = keyof typeof componentPrefixes;

// Secrets may travel inside objects that get logged (config, client options, request headers).
const redactPaths = [
  'REDIS_PASSWORD',
  'ELASTICSEARCH_API_KEY',
  'TMDB_API_KEY',
  'DATABASE_URL',
  '*.REDIS_PASSWORD',
  '*.ELASTICSEARCH_API_KEY',
  '*.TMDB_API_KEY',
  '*.DATABASE_URL',
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'api_key',
  '*.api_key',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  // ioredis puts the failed command on its ReplyError: for AUTH its arguments are the password.
  'err.command.args',
  '*.err.command.args',
];

export interface LoggerOptions {
  level: string;
  format: 'json' | 'pretty';
  /** where lines go; standard output by default */
  destination?: DestinationStream;
}

/** The root logger; take one child per component with `componentLogger`. */
export function createLogger(options: LoggerOptions): Logger {
  const base = { level: options.level, redact: { paths: redactPaths, censor: '[redacted]' } };
  if (options.format === 'pretty') {
    const stream = pretty({
      colorize: process.stdout.isTTY,
      ignore: 'pid,hostname,component',
      singleLine: true,
      translateTime: 'HH:MM:ss.l',
      messageFormat: (log, messageKey) => {
        const prefix =
          componentPrefixes[log.component as Component] ??
          (typeof log.component === 'string' ? log.component : 'minato');
        return `[${prefix}] ${String(log[messageKey])}`;
      },
      destination: options.destination ?? 1,
    });
    return pino(base, stream);
  }
  return options.destination ? pino(base, options.destination) : pino(base);
}

/** A child logger whose lines carry `component`, so they can be filtered per source. */
export function componentLogger(root: Logger, component: Component): Logger {
  return root.child({ component });
}
