/**
 * Every error Minato raises on purpose. Each message names the thing at fault and the value it got.
 * Whether a job that met the error may succeed on a later attempt is a property of the error, decided where it
 * is raised: `permanent` errors come from bad input (a missing row, a malformed payload or answer) and fail the
 * job at once; every other error is retried. Nothing decides by message text.
 */
export class MinatoError extends Error {
  /** true when no retry can succeed: the job fails at once, with this message as its reason */
  readonly permanent: boolean = false;

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

/** An info hash is not 40 (v1) or 64 (v2) hex characters. */
export class InvalidInfoHashError extends MinatoError {
  override readonly permanent = true;
}

/** Elasticsearch refused one document of a bulk request for a reason a retry will not fix. */
export class DocumentRejectedError extends MinatoError {
  override readonly permanent = true;
}

/** Elasticsearch kept answering 429/5xx for a document past the retry budget, or the buffer was closed. */
export class DocumentNotIndexedError extends MinatoError {}

/** A migration could not be applied. */
export class MigrationError extends MinatoError {}

/** TMDB answered 401: the key is wrong, and every later call will fail the same way. */
export class TmdbAuthError extends MinatoError {
  override readonly permanent = true;
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

/** TMDB answered 5xx, timed out or could not be reached: worth retrying later. */
export class TmdbUnavailableError extends MinatoError {}

/** TMDB answered with a body that does not fit its documented shape. */
export class TmdbMalformedResponseError extends MinatoError {
  override readonly permanent = true;
}

/** Elasticsearch refused the credentials (ELASTICSEARCH_API_KEY) with 401/403. */
export class SearchAuthError extends MinatoError {}

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

/** The Elasticsearch credentials lack a privilege this process needs (README, Security); start-up stops. */
export class SearchPrivilegeError extends ConfigError {}

/** Redis refused REDIS_PASSWORD (or asked for one that is not set); start-up stops. */
export class RedisAuthError extends ConfigError {}
