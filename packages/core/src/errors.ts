/** A service a worker depends on; an outage of one parks the queues that need it. */
export type Dependency = 'tmdb' | 'elasticsearch' | 'postgres' | 'redis';

/** What an outage error says to the worker that met it: which service to probe, and what fixes it. */
export interface Outage {
  dependency: Dependency;
  /** what the operator does about it, for the one log line and /readyz */
  fix: string;
}

/**
 * Every error Minato raises on purpose. Each message names the thing at fault and the value it got.
 * What a job that met the error does next is a property of the error, decided where it is raised
 * (docs/how-it-works.md, Faults and hostile input): `permanent` errors come from bad input (a missing row, a malformed payload or answer) and fail
 * the job at once; an `outage` (a service down, refusing our credentials or read-only) is no fault of the job:
 * the worker parks, the job waits with its attempts intact; every other error is retried. Nothing decides by
 * message text.
 */
export class MinatoError extends Error {
  /** true when no retry can succeed: the job fails at once, with this message as its reason */
  readonly permanent: boolean = false;
  /** set when the cause is a service, not the job: the worker parks until the service is back */
  readonly outage: Outage | null = null;

  constructor(
    message: string,
    readonly context: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** An environment variable has a value that does not fit; start-up stops. */
export class ConfigError extends MinatoError {}

/** A job names a torrent that PostgreSQL does not have. */
export class TorrentNotFoundError extends MinatoError {
  override readonly permanent = true;
}

/**
 * A torrent's title changed during each of pass 2's matches within one job: the job is retried with its
 * queue's backoff, and reads the title then.
 */
export class TorrentRetitledError extends MinatoError {}

/** An info hash is not 40 (v1) or 64 (v2) hex characters. */
export class InvalidInfoHashError extends MinatoError {
  override readonly permanent = true;
}

/** Elasticsearch refused one document of a bulk request for a reason a retry will not fix. */
export class DocumentRejectedError extends MinatoError {
  override readonly permanent = true;
}

/** Shutdown reached its deadline before a document was indexed, or the buffer was closed. */
export class DocumentNotIndexedError extends MinatoError {}

/** Elasticsearch could not be reached, or kept answering 429/5xx for a document past the retry budget. */
export class SearchUnavailableError extends DocumentNotIndexedError {
  override readonly outage: Outage = {
    dependency: 'elasticsearch',
    fix: 'start Elasticsearch or correct ELASTICSEARCH_NODE',
  };
}

/** The index is blocked for writes (the disk flood-stage watermark, or a block set by hand). */
export class SearchReadOnlyError extends DocumentNotIndexedError {
  override readonly outage: Outage = {
    dependency: 'elasticsearch',
    fix: 'free disk space on the Elasticsearch nodes, then clear the block: PUT <index>/_settings {"index.blocks.read_only_allow_delete": null}',
  };
}

/** Elasticsearch answered the query side's own client (`minato search`) with an error status. */
export class SearchResponseError extends MinatoError {}

/** A migration could not be applied. */
export class MigrationError extends MinatoError {}

/** TMDB answered 401: the key is wrong, and every call fails the same way until an operator fixes it. */
export class TmdbAuthError extends MinatoError {
  override readonly outage: Outage = {
    dependency: 'tmdb',
    fix: 'set TMDB_API_KEY to a valid v3 key or v4 read token',
  };
}

/** TMDB answered 429; `retryAfterMs` is how long every replica must wait. */
export class TmdbRateLimitedError extends MinatoError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
    context: Record<string, unknown> = {},
  ) {
    super(message, context);
  }
}

/** TMDB answered 5xx or could not be reached: an outage of TMDB, not a fault of the job. */
export class TmdbUnavailableError extends MinatoError {
  override readonly outage: Outage | null = {
    dependency: 'tmdb',
    fix: 'wait for TMDB to recover, or correct TMDB_BASE_URL',
  };
}

/**
 * TMDB did not answer one request within TMDB_TIMEOUT_MS. Retried with the queue's backoff, not parked: one
 * slow query must not stop the worker, and a TMDB that is down refuses connections or answers 5xx instead.
 */
export class TmdbTimeoutError extends TmdbUnavailableError {
  override readonly outage = null;
}

/** TMDB answered with a body that does not fit its documented shape. */
export class TmdbMalformedResponseError extends MinatoError {
  override readonly permanent = true;
}

/**
 * TMDB answered with a body larger than the client reads (`TMDB_MAX_RESPONSE_BYTES`): refused unread when its
 * Content-Length says so, else abandoned once that much came in. No TMDB answer comes near it.
 */
export class TmdbResponseTooLargeError extends TmdbMalformedResponseError {}

/** Elasticsearch refused the credentials (ELASTICSEARCH_API_KEY) with 401/403. */
export class SearchAuthError extends MinatoError {
  override readonly outage: Outage = {
    dependency: 'elasticsearch',
    fix: 'give ELASTICSEARCH_API_KEY a valid key with the privileges the README lists',
  };
}

/** TMDB refused a request with a 4xx other than 401 and 429 (a wrong path or parameter): retrying cannot help. */
export class TmdbRequestError extends MinatoError {
  override readonly permanent = true;
}

/** A job's data does not fit its queue's payload schema. */
export class InvalidPayloadError extends MinatoError {
  override readonly permanent = true;
}

/** True when `error` says no retry can succeed (see `MinatoError.permanent`). */
export function isPermanent(error: unknown): error is MinatoError {
  return error instanceof MinatoError && error.permanent;
}

// Node's and postgres.js's codes for a connection that could not be made or was lost.
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'ETIMEDOUT',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
]);

// ioredis's errors (redis-errors' classes, recognised by name) for commands it gave up on because the connection
// went away: a MULTI (BullMQ's addBulk) cut by a closing connection, or a command past maxRetriesPerRequest.
// They carry no code.
const REDIS_ABORT_ERRORS = new Set(['AbortError', 'MaxRetriesPerRequestError']);

/**
 * The outage `error` reports: a MinatoError's own, or `'unreachable'` for a connection failure raised by a
 * client library (PostgreSQL, Redis), which does not say which service it was; null for any other error.
 */
export function outageOf(error: unknown): Outage | 'unreachable' | null {
  if (error instanceof MinatoError) return error.outage;
  if (!(error instanceof Error)) return null;
  if (REDIS_ABORT_ERRORS.has(error.name)) return 'unreachable';
  const code = 'code' in error ? error.code : undefined;
  return typeof code === 'string' && CONNECTION_CODES.has(code) ? 'unreachable' : null;
}

/** The Elasticsearch credentials lack a privilege this process needs (README, Security); start-up stops. */
export class SearchPrivilegeError extends ConfigError {}

/** Redis refused REDIS_PASSWORD (or asked for one that is not set); start-up stops. */
export class RedisAuthError extends ConfigError {}

/**
 * A service a command needs is missing: down, refusing our credentials, or not set up (PostgreSQL not migrated,
 * the index absent). The message is the one line an operator reads: the service, its address, what is wrong and
 * the fix.
 */
export class DependencyUnavailableError extends MinatoError {
  constructor(
    readonly dependency: Exclude<Dependency, 'tmdb'>,
    readonly address: string,
    problem: string,
    readonly fix: string,
    options?: ErrorOptions,
  ) {
    super(
      `${DEPENDENCY_NAMES[dependency]} at ${address} ${problem}: ${fix}`,
      { dependency, address },
      options,
    );
  }
}

const DEPENDENCY_NAMES: Record<Exclude<Dependency, 'tmdb'>, string> = {
  postgres: 'PostgreSQL',
  redis: 'Redis',
  elasticsearch: 'Elasticsearch',
};
