import { Command } from 'commander';
import type { WorkGroup } from '@minato/core/search/querying';
import { positiveInt } from '../arguments.js';

/**
 * The one command that must answer at interactive speed: it loads only core's config and the query side of
 * search (no BullMQ, no PostgreSQL client, no buffer, not even the full Elasticsearch client or the logger).
 */
async function searchOnly<T>(
  body: (context: {
    client: import('@minato/core/search/querying').QueryClient;
    index: string;
    searchTorrents: typeof import('@minato/core/search/querying').searchTorrents;
    workName: typeof import('@minato/core/search/querying').workName;
  }) => Promise<T>,
): Promise<T> {
  const [{ loadConfig }, search] = await Promise.all([
    import('@minato/core/config'),
    import('@minato/core/search/querying'),
  ]);
  const config = loadConfig(process.env);
  const client = search.createQueryClient(search.searchClientOptions(config));
  try {
    const alias = config.ELASTICSEARCH_INDEX;
    // No logger: an unreachable cluster stops the command with one line naming the node, as the search would.
    await search.verifySearchPrivileges({ client, alias, role: 'search' });
    return await body({
      client,
      index: alias,
      searchTorrents: search.searchTorrents,
      workName: search.workName,
    });
  } finally {
    await client.close();
  }
}

/** `minato search QUERY`: the operator's quick look at what the index returns, grouped by work. */
export function searchCommand(): Command {
  return new Command('search')
    .description(
      'print the top works for a query (`dune 2021`, `friends 3x02`, `fargo season 4`, `one piece 1000`), ' +
        'each with its best releases',
    )
    .argument('<query...>', 'words to search for')
    .option('--limit <n>', 'how many works', positiveInt, 5)
    .option('--per-work <n>', 'how many releases under each work (default 3, or 10 with --json)', positiveInt)
    .option('--json', 'one JSON object per release, in rank order, with its work key', false)
    .action((words: string[], opts: { limit: number; perWork?: number; json: boolean }) =>
      searchOnly(async ({ client, index, searchTorrents, workName }) => {
        const text = words.join(' ');
        const result = await searchTorrents(client, index, text, opts.limit, {
          // A program reading --json gets every release it may want, in rank order; a screen gets the best few.
          releasesPerWork: opts.perWork ?? (opts.json ? 10 : 3),
        });
        if (opts.json) {
          result.works.forEach((group, i) => {
            for (const hit of group.releases) console.log(JSON.stringify({ ...hit, workRank: i + 1 }));
          });
          return;
        }
        if (result.works.length === 0) console.log(`no torrent matches "${text}"`);
        else if (result.fullText) console.log(`(no exact reading of "${text}" matched; plain full text)`);
        for (const group of result.works) printWork(group, workName);
      }),
    );
}

function printWork({ releases }: WorkGroup, workName: (hit: WorkGroup['releases'][number]) => string): void {
  const best = releases[0];
  if (!best) return;
  const rating = best.rating !== null ? `★ ${best.rating.toFixed(1)}` : 'not enriched';
  console.log(`${workName(best)}  ${rating}  [${best.type}]`);
  if (best.posterUrl) console.log(`  poster: ${best.posterUrl}`);
  if (best.overview) console.log(`  ${best.overview.slice(0, 140)}`);
  for (const release of releases) console.log(`  · ${release.titleRaw}`);
}
