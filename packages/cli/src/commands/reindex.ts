import { Command } from 'commander';
import { reindex } from '@minato/core';
import { withContext } from '../context.js';
import { Progress } from '../progress.js';

/** `minato reindex`: a new index from PostgreSQL, then an atomic alias swap. */
export function reindexCommand(): Command {
  return new Command('reindex')
    .description('rebuild the Elasticsearch index from PostgreSQL and swap the alias atomically')
    .action(() =>
      withContext(async (ctx) => {
        let progress: Progress | undefined;
        let last = 0;
        const result = await reindex({
          client: await ctx.searchAs('reindex'),
          alias: ctx.config.ELASTICSEARCH_INDEX,
          repository: ctx.repository,
          logger: ctx.logger,
          onProgress: (done, total) => {
            progress ??= new Progress('reindex', total);
            progress.tick(done - last);
            last = done;
          },
        });
        (progress ?? new Progress('reindex', 0)).finish(
          `${result.documents} documents in ${result.to}; alias ${ctx.config.ELASTICSEARCH_INDEX} swapped from ${result.from.join(', ') || '(none)'}`,
        );
      }),
    );
}
