import type { EngineInfo, SearchEngine } from './search-engine.js';

/** Who answered: the engine, its version and its cluster's name. */
export type SearchServerInfo = EngineInfo;

/**
 * Asks the cluster who it is (through `_nodes/_local`: the integ-test-zip distribution of Elasticsearch has no
 * `rest-root` module, so `GET /` answers 405 there); a refused key is a SearchAuthError that says which variable
 * to fix, and a node that does not answer a SearchUnavailableError naming it.
 */
export async function checkSearchConnection(engine: SearchEngine): Promise<SearchServerInfo> {
  return engine.info();
}
