import { createLogger, reindex, searchTorrents } from '@minato/core';
import { labelledQueries, relevanceTorrents } from '../test/support/search-relevance.js';
import { openHarness } from './harness.js';
import { CORPUS_SEED, scaled, type BenchOptions } from './options.js';
import { progress } from './progress.js';
import { duration, num, section, summarize, table, type PartResult } from './report.js';

const ROUNDS = 3;

/**
 * Search latency: the labelled queries of the relevance test (`title year`, `title s03e02`, `title
 * season 4`, `title 12`), one at a time, against an index as large as the pass-1 throughput part's
 * (the labelled releases plus synthetic ones), built by `reindex`: the workers' projection, not enriched.
 */
export async function runSearchLatency(options: BenchOptions): Promise<PartResult> {
  const count = scaled(options, 20_000, 3_000);
  const h = await openHarness({ LOG_LEVEL: 'warn' });
  try {
    progress(`search latency: seeding and indexing ${count} torrents`);
    // The labelled releases among synthetic ones, so that the queries have their answers in the index.
    const labelled = relevanceTorrents();
    await h.seed(labelled);
    await h.seed(count - labelled.length, CORPUS_SEED);
    await reindex({
      client: h.search,
      alias: h.config.ELASTICSEARCH_INDEX,
      layout: { replicas: h.config.SEARCH_INDEX_REPLICAS },
      repository: h.repository,
      logger: createLogger({ level: 'warn', format: 'json' }),
    });
    const queries = labelledQueries().map((q) => q.text);
    const samples: number[] = [];
    let fullText = 0;
    // The first round warms Elasticsearch's caches and the client's connections; it is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      progress(`search latency: round ${round} of ${ROUNDS}, ${queries.length} queries`);
      for (const text of queries) {
        const started = performance.now();
        const result = await searchTorrents(h.search, h.config.ELASTICSEARCH_INDEX, text, 10);
        if (round === 0) continue;
        samples.push(performance.now() - started);
        if (result.fullText) fullText++;
      }
    }
    const s = summarize(samples);
    return {
      markdown: section(
        `Search latency (${num(count)} documents)`,
        table(
          ['queries', 'p50', 'p99', 'max', 'answered by the full-text fallback'],
          [
            [
              num(s.n),
              duration(s.p50),
              duration(s.p99),
              duration(s.max),
              `${num((100 * fullText) / s.n, 1)} %`,
            ],
          ],
        ),
        `One \`searchTorrents\` call at a time (10 works, 3 releases each, collapsed by work key), timed at the ` +
          `client: ${num(queries.length)} distinct queries × ${ROUNDS} rounds after a warm-up round. A query ` +
          'whose parsed reading finds nothing is sent again as plain full text, so it costs two searches.',
      ),
      rss: [],
    };
  } finally {
    await h.close();
  }
}
