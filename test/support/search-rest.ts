import { nodeList, searchClientOptions, type Config } from '@minato/core';

/** An error answer of the search engine to a test's own call. */
export class SearchRestError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} answered HTTP ${status}: ${JSON.stringify(body).slice(0, 500)}`);
  }
}

/**
 * The REST calls a test makes around the pipeline (set a block, read a document back, drop its index), to
 * whichever engine the config points at: both engines spell these paths alike, and a test checks the engine's
 * state at its source, not through the code under test.
 */
export function searchRest(config: Config) {
  const [first = ''] = nodeList(searchClientOptions(config).node);
  const url = new URL(first);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  // The credentials the processes of the test use: an API key, or the user:password of the node's URL.
  if (config.ELASTICSEARCH_API_KEY) {
    headers.authorization = `ApiKey ${config.ELASTICSEARCH_API_KEY}`;
  } else if (url.username) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  }
  const origin = url.origin;
  const rest = {
    /** the parsed answer; throws SearchRestError for a status of 300 or more */
    async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${origin}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      const parsed: unknown = text === '' ? null : JSON.parse(text);
      if (response.status >= 300) throw new SearchRestError(response.status, parsed, `${method} ${path}`);
      return parsed as T;
    },
    async exists(path: string): Promise<boolean> {
      const response = await fetch(`${origin}${path}`, { method: 'HEAD', headers });
      return response.status === 200;
    },
    /** `_mget`: one answer an id, in order, with the stored `_version` and the source's `fields` (all by default) */
    async mget<T>(
      index: string,
      ids: readonly string[],
      fields?: readonly string[],
    ): Promise<StoredDocument<T>[]> {
      const query = fields ? `?_source_includes=${fields.join(',')}` : '';
      const { docs } = await rest.request<{ docs: StoredDocument<T>[] }>('POST', `/${index}/_mget${query}`, {
        ids,
      });
      return docs;
    },
    /** one document's stored version and source, refreshed first; undefined when it is not there */
    async document<T>(index: string, id: string): Promise<{ version: number; source: T } | undefined> {
      await rest.request('POST', `/${index}/_refresh`);
      const [doc] = await rest.mget<T>(index, [id]);
      return doc?.found && doc._source ? { version: doc._version ?? 0, source: doc._source } : undefined;
    },
    /** one document's source, refreshed first; undefined when it is not there */
    async source<T>(index: string, id: string): Promise<T | undefined> {
      return (await rest.document<T>(index, id))?.source;
    },
  };
  return rest;
}

export type SearchRest = ReturnType<typeof searchRest>;

/** One `_mget` answer. */
export interface StoredDocument<T> {
  _id: string;
  found?: boolean;
  _version?: number;
  _source?: T;
}
