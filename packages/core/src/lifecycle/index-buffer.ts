import { componentLogger } from '../logging/logger.js';
import { ElasticsearchBuffer } from '../search/indexing/es-buffer.js';
import { ensureIndex } from '../search/indexing/index-template.js';
import type { Runtime } from './runtime.js';

/** The index alias checked and an Elasticsearch buffer configured from the runtime's settings (passes 1 and 3). */
export async function createIndexBuffer(runtime: Runtime): Promise<ElasticsearchBuffer> {
  const { config } = runtime;
  await ensureIndex(runtime.search, config.ELASTICSEARCH_INDEX, { replicas: config.SEARCH_INDEX_REPLICAS });
  return new ElasticsearchBuffer({
    client: runtime.search,
    index: config.ELASTICSEARCH_INDEX,
    maxDocs: config.ES_BUFFER_MAX_DOCS,
    maxWaitMs: config.ES_BUFFER_MAX_WAIT_MS,
    idleMs: config.ES_BUFFER_IDLE_MS,
    maxPendingDocs: config.ES_BUFFER_MAX_PENDING_DOCS,
    logger: componentLogger(runtime.rootLogger, 'es-buffer'),
    registry: runtime.registry,
  });
}
