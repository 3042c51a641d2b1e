import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import {
  TmdbAuthError,
  TmdbMalformedResponseError,
  TmdbRateLimitedError,
  TmdbRequestError,
  TmdbResponseTooLargeError,
  TmdbTimeoutError,
  TmdbUnavailableError,
} from '../errors.js';
import {
  configurationSchema,
  findSchema,
  movieDetailsSchema,
  movieSearchSchema,
  tvDetailsSchema,
  tvSearchSchema,
  type TmdbConfiguration,
  type TmdbFindResult,
  type TmdbMovieDetails,
  type TmdbMovieSearch,
  type TmdbTvDetails,
  type TmdbTvSearch,
} from './schemas.js';

/** A TMDB route, as a low-cardinality label for metrics and error messages. */
export type TmdbEndpoint =
  'search/movie' | 'search/tv' | 'movie/{id}' | 'tv/{id}' | 'find/{external_id}' | 'configuration';

/** What the matcher and its wrappers (rate limiter, cache) need from TMDB; `TmdbClient` is the plain one. */
export interface TmdbApi {
  /** `year` matches any release of the film (TMDB's `year`, not `primary_release_year`) */
  searchMovie(query: string, year?: number): Promise<TmdbMovieSearch>;
  /** `year` matches any air date of the series (TMDB's `year`, not `first_air_date_year`) */
  searchTv(query: string, year?: number): Promise<TmdbTvSearch>;
  /** null when TMDB has no film with that id */
  movieDetails(id: number): Promise<TmdbMovieDetails | null>;
  /** null when TMDB has no series with that id; carries `external_ids` (the IMDb id) in the same call */
  tvDetails(id: number): Promise<TmdbTvDetails | null>;
  findByImdbId(imdbId: string): Promise<TmdbFindResult>;
  configuration(): Promise<TmdbConfiguration>;
}

export interface TmdbClientOptions {
  /** e.g. `https://api.themoviedb.org/3` (TMDB_BASE_URL) */
  baseUrl: string;
  /** a v3 API key (sent as `api_key`) or a v4 read access token, a JWT starting `eyJ` (sent as a bearer token) */
  apiKey: string;
  /** milliseconds before a request, body included, is abandoned */
  timeoutMs: number;
  /** the largest body read; `TMDB_MAX_RESPONSE_BYTES` when absent */
  maxResponseBytes?: number;
  fetch?: typeof fetch;
  /** called once per request; `status` is 0 when no answer came (timeout, connection refused) */
  onRequest?: (endpoint: TmdbEndpoint, status: number, durationMs: number) => void;
}

/**
 * The largest TMDB answer read, in bytes (docs/how-it-works.md, Faults and hostile input). TMDB's largest answers (a series' details with
 * its seasons, a search page of 20 results) are tens of kilobytes; a body past this is refused with
 * TmdbResponseTooLargeError instead of being held in memory and parsed.
 */
export const TMDB_MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

// When a 429 carries no usable Retry-After: TMDB's limit is per second, so a second is enough to start again.
const DEFAULT_RETRY_AFTER_MS = 1_000;

/** TMDB v3 over HTTP: one request a call, no retries; each failure is a typed error from `errors.ts`. */
export class TmdbClient implements TmdbApi {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly fetch: typeof fetch;
  private readonly onRequest: TmdbClientOptions['onRequest'];
  private readonly authorize: (params: URLSearchParams, headers: Record<string, string>) => void;

  constructor(options: TmdbClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs;
    this.maxResponseBytes = options.maxResponseBytes ?? TMDB_MAX_RESPONSE_BYTES;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.onRequest = options.onRequest;
    // Kept in a closure rather than a field so that logging the client never shows the key.
    const apiKey = options.apiKey;
    this.authorize = apiKey.startsWith('eyJ')
      ? (_params, headers) => {
          headers.authorization = `Bearer ${apiKey}`;
        }
      : (params) => {
          params.set('api_key', apiKey);
        };
  }

  /**
   * GET /search/movie: the first page of films matching `query` with a release in `year` when given. TMDB's
   * `year` matches any release date, so a name carrying a re-release or a later country's year still finds
   * the film in one call; the matcher's scoring then weighs the primary year.
   */
  async searchMovie(query: string, year?: number): Promise<TmdbMovieSearch> {
    const params = { query, include_adult: 'false', ...(year === undefined ? {} : { year: String(year) }) };
    return this.decode(
      'search/movie',
      await this.get('search/movie', '/search/movie', params),
      movieSearchSchema,
    );
  }

  /**
   * GET /search/tv: the first page of series matching `query` that aired in `year` when given. TMDB's `year`
   * matches the first air date and every episode's, so a release of season 4 naming its own year finds the
   * series in one call, where `first_air_date_year` would miss and cost a retry without the year.
   */
  async searchTv(query: string, year?: number): Promise<TmdbTvSearch> {
    const params = { query, include_adult: 'false', ...(year === undefined ? {} : { year: String(year) }) };
    return this.decode('search/tv', await this.get('search/tv', '/search/tv', params), tvSearchSchema);
  }

  /** GET /movie/{id}, or null on 404. */
  async movieDetails(id: number): Promise<TmdbMovieDetails | null> {
    const body = await this.get('movie/{id}', `/movie/${id}`, {}, { notFoundIsNull: true });
    return body === null ? null : this.decode('movie/{id}', body, movieDetailsSchema);
  }

  /** GET /tv/{id} with its external ids, or null on 404. */
  async tvDetails(id: number): Promise<TmdbTvDetails | null> {
    const params = { append_to_response: 'external_ids' };
    const body = await this.get('tv/{id}', `/tv/${id}`, params, { notFoundIsNull: true });
    return body === null ? null : this.decode('tv/{id}', body, tvDetailsSchema);
  }

  /** GET /find/{imdb_id}?external_source=imdb_id: the films and series TMDB knows under that IMDb id. */
  async findByImdbId(imdbId: string): Promise<TmdbFindResult> {
    const path = `/find/${encodeURIComponent(imdbId)}`;
    const body = await this.get('find/{external_id}', path, { external_source: 'imdb_id' });
    return this.decode('find/{external_id}', body, findSchema);
  }

  /** GET /configuration: image base URLs and sizes. */
  async configuration(): Promise<TmdbConfiguration> {
    return this.decode(
      'configuration',
      await this.get('configuration', '/configuration', {}),
      configurationSchema,
    );
  }

  private get(endpoint: TmdbEndpoint, path: string, query: Record<string, string>): Promise<string>;
  private get(
    endpoint: TmdbEndpoint,
    path: string,
    query: Record<string, string>,
    options: { notFoundIsNull: true },
  ): Promise<string | null>;
  private async get(
    endpoint: TmdbEndpoint,
    path: string,
    query: Record<string, string>,
    options: { notFoundIsNull?: boolean } = {},
  ): Promise<string | null> {
    const params = new URLSearchParams(query);
    const headers: Record<string, string> = { accept: 'application/json' };
    this.authorize(params, headers);
    const signal = AbortSignal.timeout(this.timeoutMs);
    const started = performance.now();
    let status = 0;
    let body: string;
    let retryAfter: string | null = null;
    try {
      const response = await this.fetch(`${this.baseUrl}${path}?${params.toString()}`, { headers, signal });
      retryAfter = response.headers.get('retry-after');
      body = await readBounded(response, this.maxResponseBytes, endpoint);
      // Set only once the body is in: a timeout while it streams counts as no answer.
      status = response.status;
    } catch (error) {
      if (error instanceof TmdbResponseTooLargeError) {
        // An answer came, and it is counted under its status; only its body was refused.
        status = error.context.status as number;
        throw error;
      }
      // Neither message names the URL: its query string may hold the key.
      if (signal.aborted) {
        throw new TmdbTimeoutError(`TMDB did not answer ${endpoint} within ${this.timeoutMs} ms`, {
          endpoint,
          timeoutMs: this.timeoutMs,
        });
      }
      throw new TmdbUnavailableError(`TMDB could not be reached for ${endpoint}: ${networkReason(error)}`, {
        endpoint,
      });
    } finally {
      this.onRequest?.(endpoint, status, performance.now() - started);
    }
    if (status >= 200 && status < 300) return body;
    if (status === 404 && options.notFoundIsNull) return null;
    if (status === 401) {
      throw new TmdbAuthError(`TMDB rejected the API key (401 on ${endpoint})`, { endpoint, status });
    }
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(retryAfter);
      throw new TmdbRateLimitedError(
        `TMDB answered 429 on ${endpoint}; retry after ${retryAfterMs} ms`,
        retryAfterMs,
        { endpoint, status },
      );
    }
    if (status >= 500) {
      throw new TmdbUnavailableError(`TMDB answered ${status} on ${endpoint}`, { endpoint, status });
    }
    throw new TmdbRequestError(`TMDB refused ${endpoint} with ${status}: ${statusMessage(body)}`, {
      endpoint,
      status,
    });
  }

  private decode<S extends z.ZodType>(endpoint: TmdbEndpoint, body: string, schema: S): z.output<S> {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new TmdbMalformedResponseError(`TMDB answered ${endpoint} with a body that is not JSON`, {
        endpoint,
        bodyStart: body.slice(0, 80),
      });
    }
    const result = schema.safeParse(json);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new TmdbMalformedResponseError(
      `TMDB answered ${endpoint} with a body that does not fit its schema: ${where}: ${issue?.message ?? 'invalid'}`,
      { endpoint, issues: result.error.issues.slice(0, 5) },
    );
  }
}

/**
 * The body as text, read only up to `maxBytes`: a Content-Length above it is refused before any byte is read,
 * and a body without one is abandoned (its connection closed) as soon as it passes the limit.
 */
async function readBounded(response: Response, maxBytes: number, endpoint: TmdbEndpoint): Promise<string> {
  const tooLarge = (size: string) =>
    new TmdbResponseTooLargeError(
      `TMDB answered ${endpoint} with a body of ${size}, over the client's limit of ${maxBytes} bytes`,
      { endpoint, status: response.status, maxBytes },
    );
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(`${declared} bytes`);
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(`more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Milliseconds to wait from a Retry-After header: delay-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number {
  if (header === null || header.trim() === '') return DEFAULT_RETRY_AFTER_MS;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, date - now);
}

function networkReason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}

// TMDB's error body says what was wrong with the request; it never echoes the key.
function statusMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { status_message?: unknown };
    if (typeof parsed.status_message === 'string') return parsed.status_message;
  } catch {
    // not JSON: fall through to the raw start of the body
  }
  return body.slice(0, 80);
}
