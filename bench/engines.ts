import { createSearchEngine, ENGINE_LABEL, type EngineName } from '@minato/core';
import { progress } from './progress.js';

/** One engine the pass-1 throughput part runs on: its label and the environment that points the run at it. */
export interface BenchEngine {
  label: string;
  env: Record<string, string>;
}

// Where each engine runs locally unless the environment says otherwise (deploy/local/opensearch.sh's default port).
const DEFAULT_NODES: Record<EngineName, string> = {
  elasticsearch: process.env.ELASTICSEARCH_NODE ?? 'http://127.0.0.1:9200',
  opensearch: process.env.OPENSEARCH_NODE ?? 'http://127.0.0.1:9240',
};

/**
 * `--engine=elasticsearch,opensearch` (or `all`): each engine named, at its node (`opensearch=http://…:9240` gives
 * one), that answers now; an engine named but not running is reported and left out, so `all` means "each found".
 */
export async function benchEngines(spec: string): Promise<BenchEngine[]> {
  const wanted = spec === 'all' ? ['elasticsearch', 'opensearch'] : spec.split(',');
  const found: BenchEngine[] = [];
  for (const entry of wanted) {
    const [name = '', node] = entry.split(/=(.*)/s);
    if (name !== 'elasticsearch' && name !== 'opensearch')
      throw new Error(`--engine: unknown engine "${name}"`);
    const url = node ?? DEFAULT_NODES[name];
    const engine = createSearchEngine({ node: url, engine: name });
    try {
      const info = await engine.info();
      found.push({
        label: `${ENGINE_LABEL[info.engine]} ${info.version}`,
        // One node: no replica to place.
        env: { ELASTICSEARCH_NODE: url, SEARCH_ENGINE: name, SEARCH_INDEX_REPLICAS: '0' },
      });
    } catch (error) {
      progress(`--engine: ${name} at ${url} does not answer (${(error as Error).message}); left out`);
    } finally {
      await engine.close();
    }
  }
  return found;
}
