import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { searchClientOptions, searchConnection } from './search-client-options.js';

describe('searchClientOptions', () => {
  it('takes SEARCH_NODES over ELASTICSEARCH_NODE, and the engine SEARCH_ENGINE names', () => {
    const config = loadConfig({
      ELASTICSEARCH_NODE: 'http://es:9200',
      SEARCH_NODES: 'http://os-1:9200,http://os-2:9200',
      SEARCH_ENGINE: 'opensearch',
    });
    expect(searchClientOptions(config)).toMatchObject({
      node: 'http://os-1:9200,http://os-2:9200',
      engine: 'opensearch',
    });
    expect(config.SEARCH_INDEX_REPLICAS).toBe(1);
  });

  it('reads a comma list in ELASTICSEARCH_NODE as every node, the credentials of the one that has them kept apart', () => {
    const options = searchClientOptions(
      loadConfig({ ELASTICSEARCH_NODE: 'http://a:9200, http://minato:s%40cret@b:9200,http://c:9200' }),
    );
    const { urls, auth } = searchConnection(options);
    expect(urls.map((u) => u.href)).toEqual(['http://a:9200/', 'http://b:9200/', 'http://c:9200/']);
    expect(auth).toEqual({ username: 'minato', password: 's@cret' });
  });
});
