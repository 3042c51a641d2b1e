import { Command } from 'commander';
import { positiveInt } from '../arguments.js';

/**
 * The one command that must answer at interactive speed: it loads only core's config and search folders
 * (no BullMQ, no PostgreSQL client) and opens only an Elasticsearch client.
 */
async function searchOnly<T>(
  body: (context: {
    client: import('@minato/core/search').SearchClient;
    index: string;
    searchTorrents: typeof import('@minato/core/search').searchTorrents;
  }) => Promise<T>,
): Promise<T> {
  const [{ loadConfig }, search, logging] = await Promise.all([
    import('@minato/core/config'),
    import('@minato/core/search'),
    import('@minato/core/logging'),
  ]);
  const config = loadConfig(process.env);
  const client = search.createSearchClient(search.searchClientOptions(config));
  try {
    const { ELASTICSEARCH_NODE: node, ELASTICSEARCH_INDEX: alias } = config;
    const logger = logging.createLogger({ level: 'warn', format: 'pretty', destination: process.stderr });
    await search.checkSearchPrivileges({ client, node, alias, role: 'search', logger });
    return await body({ client, index: config.ELASTICSEARCH_INDEX, searchTorrents: search.searchTorrents });
  } finally {
    await client.close();
  }
}

/** `minato search QUERY`: the operator's quick look at what the index returns. */
export function searchCommand(): Command {
  return new Command('search')
    .description('print the top hits for a query: title, year, rating and poster URL')
    .argument('<query...>', 'words to search for')
    .option('--limit <n>', 'how many hits', positiveInt, 5)
    .option('--json', 'one JSON object per hit', false)
    .action((words: string[], opts: { limit: number; json: boolean }) =>
      searchOnly(async ({ client, index, searchTorrents }) => {
        const hits = await searchTorrents(client, index, words.join(' '), opts.limit);
        if (opts.json) {
          for (const hit of hits) console.log(JSON.stringify(hit));
          return;
        }
        if (hits.length === 0) console.log(`no torrent matches "${words.join(' ')}"`);
        for (const hit of hits) {
          const name = hit.mediaTitle ? `${hit.mediaTitle} (${hit.year ?? '?'})` : hit.title;
          const rating = hit.rating !== null ? `★ ${hit.rating.toFixed(1)}` : 'not enriched';
          console.log(`${name}  ${rating}  [${hit.type}]`);
          console.log(`  ${hit.titleRaw}`);
          if (hit.posterUrl) console.log(`  poster: ${hit.posterUrl}`);
          if (hit.overview) console.log(`  ${hit.overview.slice(0, 140)}`);
        }
      }),
    );
}
