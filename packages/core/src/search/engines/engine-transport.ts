import type { EngineName } from './search-client-options.js';

/** One REST call, the same on both engines: the paths Minato uses are spelled alike by Elasticsearch and OpenSearch. */
export interface EngineRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  querystring?: Record<string, string | number | boolean>;
  body?: unknown;
  /** newline-delimited JSON (`_bulk`) */
  bulkBody?: object[];
  /** statuses answered instead of thrown (a HEAD's 404, say) */
  ignore?: number[];
  /** retries of the client on another node; the buffer sets 0, it retries each document itself */
  maxRetries?: number;
}

export interface EngineAnswer<T = unknown> {
  status: number;
  body: T;
}

/**
 * An engine's official client reduced to the one call Minato makes through it. A transport throws SearchAuthError
 * for 401/403, SearchUnavailableError when no node answers and SearchResponseError for any other error status
 * not in `ignore`, so that nothing above it sees a client's own error classes.
 */
export interface EngineTransport {
  readonly engine: EngineName;
  request<T>(request: EngineRequest): Promise<EngineAnswer<T>>;
  close(): Promise<void>;
}
