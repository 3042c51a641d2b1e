import type { estypes } from '@elastic/elasticsearch';
import { SearchResponseError } from '../../errors.js';
import type { EngineRequest, EngineTransport } from './engine-transport.js';
import type { HasPrivilegesAnswer, HasPrivilegesRequest } from './privilege-check.js';
import { isSecurityOff } from './search-failures.js';
import type {
  BulkAnswer,
  BulkItemAnswer,
  DocumentPage,
  DocumentVersion,
  EngineInfo,
  HealthStatus,
  IndexTemplate,
  SearchEngine,
  SearchRequest,
  StoredVersion,
  VersionedDocument,
} from './search-engine.js';

/** The transport to use and who answered, found out on first use (the engine and its version choose the client). */
export type Connect = () => Promise<{ transport: EngineTransport; info: EngineInfo }>;

// A cluster without the security API answers its path with 400 (Elasticsearch, a bare string error), 404 or 405.
const NO_SECURITY = [400, 404, 405];

/**
 * SearchEngine over the REST API both engines share. The only differences Minato meets are in the privilege
 * check (OpenSearch has no `_has_privileges`) and in the client each engine needs (engine-transport.ts).
 */
export class RestEngine implements SearchEngine {
  private connecting: ReturnType<Connect> | null = null;

  constructor(
    readonly node: string,
    private readonly connect: Connect,
  ) {}

  async info(): Promise<EngineInfo> {
    return (await this.connection()).info;
  }

  async bulkIndex(index: string, documents: readonly VersionedDocument[]): Promise<BulkAnswer> {
    const bulkBody = documents.flatMap((doc) => [
      { index: { _id: doc.id, version: doc.version, version_type: 'external' } },
      doc.body,
    ]);
    return this.bulk(index, 'index', bulkBody);
  }

  async bulkDelete(index: string, documents: readonly DocumentVersion[]): Promise<BulkAnswer> {
    const bulkBody = documents.map((doc) => ({
      delete: { _id: doc.id, version: doc.version, version_type: 'external' },
    }));
    return this.bulk(index, 'delete', bulkBody);
  }

  async storedVersions(index: string, ids: readonly string[]): Promise<StoredVersion[]> {
    const docs = await this.mget<never>(index, ids, false);
    return docs.map((doc): StoredVersion => {
      if (doc.error) return { id: doc._id, error: doc.error.type };
      return doc.found && doc._version !== undefined
        ? { id: doc._id, found: true, version: doc._version }
        : { id: doc._id, found: false };
    });
  }

  async documents<T>(index: string, ids: readonly string[]): Promise<Map<string, T>> {
    const docs = await this.mget<T>(index, ids, true);
    return new Map(docs.flatMap((doc) => (doc.found && doc._source ? [[doc._id, doc._source]] : [])));
  }

  async search<TDocument>({ index, ...body }: SearchRequest): Promise<estypes.SearchResponse<TDocument>> {
    const path = `/${encodeURIComponent(index)}/_search`;
    return (await this.call<estypes.SearchResponse<TDocument>>({ method: 'POST', path, body })).body;
  }

  async documentVersions(index: string, size: number, after?: string): Promise<DocumentPage> {
    const { hits } = await this.search<never>({
      index,
      size,
      _source: false,
      version: true,
      sort: [{ info_hash: 'asc' }],
      ...(after === undefined ? {} : { search_after: [after] }),
    });
    const documents = hits.hits.flatMap((hit) =>
      hit._id === undefined ? [] : [{ id: hit._id, version: hit._version ?? 0 }],
    );
    const last = hits.hits.at(-1)?.sort?.[0];
    return { documents, after: hits.hits.length < size || last === undefined ? undefined : String(last) };
  }

  async highestVersion(index: string): Promise<number> {
    if (!(await this.indexExists(index))) return 0;
    const { aggregations } = await this.search<never>({
      index,
      size: 0,
      aggs: { highest: { max: { field: 'version' } } },
    });
    return (aggregations?.highest as { value: number | null } | undefined)?.value ?? 0;
  }

  async count(index: string, query?: estypes.QueryDslQueryContainer): Promise<number> {
    const path = `/${encodeURIComponent(index)}/_count`;
    const { body } = await this.call<{ count: number }>({
      method: 'POST',
      path,
      body: query ? { query } : {},
    });
    return body.count;
  }

  async refresh(index: string): Promise<void> {
    await this.call({ method: 'POST', path: `/${encodeURIComponent(index)}/_refresh` });
  }

  async indexExists(index: string): Promise<boolean> {
    return this.exists(`/${encodeURIComponent(index)}`);
  }

  async aliasExists(alias: string): Promise<boolean> {
    return this.exists(`/_alias/${encodeURIComponent(alias)}`);
  }

  async indexesOf(alias: string): Promise<string[]> {
    const { body } = await this.call<Record<string, unknown>>({
      method: 'GET',
      path: `/_alias/${encodeURIComponent(alias)}`,
    });
    return Object.keys(body);
  }

  async createIndex(index: string, writeAliasOf?: string): Promise<boolean> {
    const body = writeAliasOf ? { aliases: { [writeAliasOf]: { is_write_index: true } } } : {};
    try {
      await this.call({ method: 'PUT', path: `/${encodeURIComponent(index)}`, body });
      return true;
    } catch (error) {
      if (error instanceof SearchResponseError && error.context.type === 'resource_already_exists_exception')
        return false;
      throw error;
    }
  }

  async deleteIndexes(indexes: readonly string[]): Promise<void> {
    if (indexes.length === 0) return;
    await this.call({ method: 'DELETE', path: `/${indexes.map(encodeURIComponent).join(',')}` });
  }

  async swapAlias(alias: string, from: readonly string[], to: string): Promise<void> {
    const actions = [
      ...from.map((index) => ({ remove: { index, alias } })),
      { add: { index: to, alias, is_write_index: true } },
    ];
    await this.call({ method: 'POST', path: '/_aliases', body: { actions } });
  }

  async putIndexTemplate(name: string, template: IndexTemplate): Promise<void> {
    await this.call({ method: 'PUT', path: `/_index_template/${encodeURIComponent(name)}`, body: template });
  }

  async mappedFields(alias: string): Promise<Record<string, string[]>> {
    const { body } = await this.call<Record<string, { mappings: { properties?: object } }>>({
      method: 'GET',
      path: `/${encodeURIComponent(alias)}/_mapping`,
    });
    return Object.fromEntries(
      Object.entries(body).map(([index, { mappings }]) => [index, Object.keys(mappings.properties ?? {})]),
    );
  }

  async addFields(indexes: readonly string[], properties: object): Promise<void> {
    if (indexes.length === 0) return;
    const path = `/${indexes.map(encodeURIComponent).join(',')}/_mapping`;
    await this.call({ method: 'PUT', path, body: { properties } });
  }

  async writeBlocks(alias: string): Promise<Record<string, string[]>> {
    const { body } = await this.call<Record<string, { settings?: Record<string, unknown> }>>({
      method: 'GET',
      path: `/${encodeURIComponent(alias)}/_settings/index.blocks.*`,
      querystring: { flat_settings: true },
    });
    return Object.fromEntries(
      Object.entries(body).map(([index, { settings = {} }]) => [
        index,
        Object.entries(settings)
          .filter(([, value]) => String(value) === 'true')
          .map(([name]) => name),
      ]),
    );
  }

  async health(index: string, timeoutMs = 1_000): Promise<HealthStatus> {
    // Only the index's shards (level=indices): a missing index answers 408 and `red` once the timeout passed,
    // yet nothing of it is lost: it lists no index then, and counts as green (the writer creates it).
    const { body } = await this.call<{ status: HealthStatus; indices?: Record<string, unknown> }>({
      method: 'GET',
      path: `/_cluster/health/${encodeURIComponent(index)}`,
      querystring: { timeout: `${timeoutMs}ms`, level: 'indices' },
      ignore: [408],
    });
    return Object.keys(body.indices ?? {}).length === 0 ? 'green' : body.status;
  }

  /**
   * `_security/user/_has_privileges` on Elasticsearch. OpenSearch has no such API: its security plugin only tells
   * who the caller is (`_plugins/_security/authinfo`, which still proves the credentials), so the check is the
   * credentials alone there, and a missing permission parks the work at its first 403 (docs/search-engines.md).
   */
  async hasPrivileges(request: HasPrivilegesRequest): Promise<HasPrivilegesAnswer | null> {
    const { transport } = await this.connection();
    const answer =
      transport.engine === 'elasticsearch'
        ? await this.call<HasPrivilegesAnswer>({
            method: 'POST',
            path: '/_security/user/_has_privileges',
            body: request,
            ignore: NO_SECURITY,
          })
        : await this.call({ method: 'GET', path: '/_plugins/_security/authinfo', ignore: NO_SECURITY });
    if (transport.engine === 'opensearch' || isSecurityOff(answer)) return null;
    return answer.body as HasPrivilegesAnswer;
  }

  async close(): Promise<void> {
    const connecting = this.connecting;
    this.connecting = null;
    if (connecting) await connecting.then(({ transport }) => transport.close()).catch(() => undefined);
  }

  private async exists(path: string): Promise<boolean> {
    const { status } = await this.call({ method: 'HEAD', path, ignore: [404] });
    return status === 200;
  }

  /** One `_bulk` of one kind of operation; the callers retry each document themselves, so the client does not. */
  private async bulk(index: string, kind: 'index' | 'delete', bulkBody: object[]): Promise<BulkAnswer> {
    const { body } = await this.call<{ took: number; items: Partial<Record<typeof kind, BulkItemAnswer>>[] }>(
      {
        method: 'POST',
        path: `/${encodeURIComponent(index)}/_bulk`,
        querystring: { refresh: false },
        bulkBody,
        maxRetries: 0,
      },
    );
    return { took: body.took, items: body.items.map((item) => item[kind] ?? { status: 0 }) };
  }

  private async mget<T>(index: string, ids: readonly string[], source: boolean) {
    if (ids.length === 0) return [];
    const { body } = await this.call<{ docs: MgetDoc<T>[] }>({
      method: 'POST',
      path: `/${encodeURIComponent(index)}/_mget`,
      querystring: { _source: source },
      body: { ids },
    });
    return body.docs;
  }

  private async call<T = unknown>(request: EngineRequest) {
    return (await this.connection()).transport.request<T>(request);
  }

  /** The transport, connected once; a failed first contact is tried again on the next call. */
  private connection(): ReturnType<Connect> {
    this.connecting ??= this.connect().catch((error: unknown) => {
      this.connecting = null;
      throw error;
    });
    return this.connecting;
  }
}

interface MgetDoc<T> {
  _id: string;
  found?: boolean;
  _version?: number;
  _source?: T;
  error?: { type: string };
}
