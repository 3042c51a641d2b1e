import { describe, expect, it } from 'vitest';
import { SearchResponseError } from '../../errors.js';
import type { EngineAnswer, EngineRequest, EngineTransport } from './engine-transport.js';
import { RestEngine } from './rest-engine.js';
import type { EngineName } from './search-client-options.js';

/** A transport that records each request and answers it from `answer`. */
function recording(engine: EngineName, answer: (request: EngineRequest) => EngineAnswer | Error) {
  const requests: EngineRequest[] = [];
  const transport: EngineTransport = {
    engine,
    request<T>(request: EngineRequest) {
      requests.push(request);
      const result = answer(request);
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result as EngineAnswer<T>);
    },
    close: () => Promise.resolve(),
  };
  const info = { engine, version: engine === 'opensearch' ? '3.3.2' : '9.5.4', clusterName: 'test' };
  return { requests, engine: new RestEngine('http://node:9200', () => Promise.resolve({ transport, info })) };
}

describe('RestEngine', () => {
  it('writes each document under external versioning, the same on both engines, with no client retry', async () => {
    for (const name of ['elasticsearch', 'opensearch'] as const) {
      const { requests, engine } = recording(name, () => ({
        status: 200,
        body: { took: 1, items: [{ index: { status: 409 } }] },
      }));
      const answer = await engine.bulkIndex('torrents', [{ id: 'a', version: 7, body: { title: 'x' } }]);
      expect(answer.items).toEqual([{ status: 409 }]);
      expect(requests[0]).toMatchObject({
        method: 'POST',
        path: '/torrents/_bulk',
        maxRetries: 0,
        bulkBody: [{ index: { _id: 'a', version: 7, version_type: 'external' } }, { title: 'x' }],
      });
    }
  });

  it('deletes under external versioning and answers each item in order, with no client retry', async () => {
    const { requests, engine } = recording('opensearch', () => ({
      status: 200,
      body: { took: 1, items: [{ delete: { status: 200 } }, { delete: { status: 409 } }] },
    }));
    const answer = await engine.bulkDelete('torrents', [
      { id: 'a', version: 7 },
      { id: 'b', version: 3 },
    ]);
    expect(answer.items).toEqual([{ status: 200 }, { status: 409 }]);
    expect(requests[0]).toMatchObject({
      path: '/torrents/_bulk',
      maxRetries: 0,
      bulkBody: [
        { delete: { _id: 'a', version: 7, version_type: 'external' } },
        { delete: { _id: 'b', version: 3, version_type: 'external' } },
      ],
    });
  });

  it('walks the documents in info-hash order, the next page after the last sort value, none after a short page', async () => {
    const hit = (id: string) => ({ _id: id, _version: 4, sort: [id] });
    const pages = [[hit('a'), hit('b')], [hit('c')]];
    const { requests, engine } = recording('elasticsearch', () => ({
      status: 200,
      body: { hits: { hits: pages.shift() ?? [] } },
    }));
    const first = await engine.documentVersions('torrents', 2);
    expect(first).toEqual({
      documents: [
        { id: 'a', version: 4 },
        { id: 'b', version: 4 },
      ],
      after: 'b',
    });
    const last = await engine.documentVersions('torrents', 2, first.after);
    expect(last).toEqual({ documents: [{ id: 'c', version: 4 }], after: undefined });
    expect(requests[1]?.body).toMatchObject({
      sort: [{ info_hash: 'asc' }],
      search_after: ['b'],
      version: true,
    });
  });

  it('reads the highest version field, and 0 for an index that does not exist', async () => {
    const missing = recording('opensearch', () => ({ status: 404, body: {} }));
    expect(await missing.engine.highestVersion('torrents')).toBe(0);
    const held = recording('opensearch', (request) =>
      request.method === 'HEAD'
        ? { status: 200, body: {} }
        : { status: 200, body: { hits: { hits: [] }, aggregations: { highest: { value: 2_000_005 } } } },
    );
    expect(await held.engine.highestVersion('torrents')).toBe(2_000_005);
  });

  it('asks Elasticsearch _has_privileges, and reads a cluster without security as nothing to check', async () => {
    const granted = { has_all_requested: true, cluster: {}, index: {} };
    const secured = recording('elasticsearch', () => ({ status: 200, body: granted }));
    expect(await secured.engine.hasPrivileges({ cluster: ['monitor'], index: [] })).toEqual(granted);
    expect(secured.requests[0]?.path).toBe('/_security/user/_has_privileges');
    const open = recording('elasticsearch', () => ({ status: 400, body: { error: 'no handler found' } }));
    expect(await open.engine.hasPrivileges({ cluster: ['monitor'], index: [] })).toBeNull();
  });

  it('falls back on OpenSearch, which has no _has_privileges, to proving the credentials through authinfo', async () => {
    const { requests, engine } = recording('opensearch', () => ({
      status: 200,
      body: { user_name: 'minato' },
    }));
    expect(await engine.hasPrivileges({ cluster: ['monitor'], index: [] })).toBeNull();
    expect(requests.map((r) => r.path)).toEqual(['/_plugins/_security/authinfo']);
  });

  it('counts an index that does not exist as green, and reads a red one as red', async () => {
    const missing = recording('opensearch', () => ({ status: 408, body: { status: 'red', indices: {} } }));
    expect(await missing.engine.health('torrents')).toBe('green');
    const red = recording('opensearch', () => ({
      status: 200,
      body: { status: 'red', indices: { torrents_v2: {} } },
    }));
    expect(await red.engine.health('torrents')).toBe('red');
  });

  it('takes an index that already exists as made by a racing replica', async () => {
    const { engine } = recording(
      'elasticsearch',
      () => new SearchResponseError('exists', { status: 400, type: 'resource_already_exists_exception' }),
    );
    expect(await engine.createIndex('torrents_v2', 'torrents')).toBe(false);
  });

  it('connects again on the next call when the first contact failed', async () => {
    let attempts = 0;
    const engine = new RestEngine('http://node:9200', () => {
      attempts++;
      return Promise.reject(new Error('down'));
    });
    await expect(engine.info()).rejects.toThrow('down');
    await expect(engine.info()).rejects.toThrow('down');
    expect(attempts).toBe(2);
  });
});
