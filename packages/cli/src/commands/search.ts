import { Command } from 'commander';
import { searchTorrents } from '@minato/core';
import { withContext } from '../context.js';
import { positiveInt } from './seed.js';

/** `minato search QUERY`: the operator's quick look at what the index returns. */
export function searchCommand(): Command {
  return new Command('search')
    .description('print the top hits for a query: title, year, rating and poster URL')
    .argument('<query...>', 'words to search for')
    .option('--limit <n>', 'how many hits', positiveInt, 5)
    .option('--json', 'one JSON object per hit', false)
    .action((words: string[], opts: { limit: number; json: boolean }) =>
      withContext(async (ctx) => {
        const hits = await searchTorrents(
          await ctx.searchAs('search'),
          ctx.config.ELASTICSEARCH_INDEX,
          words.join(' '),
          opts.limit,
        );
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
