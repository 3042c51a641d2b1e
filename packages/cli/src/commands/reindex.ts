import { Command } from 'commander';
import { withRuntime } from '../context.js';
import { Progress } from '../progress.js';

/** `minato reindex`: a new index from PostgreSQL, then an atomic alias swap. */
export function reindexCommand(): Command {
  return new Command('reindex')
    .description('rebuild the Elasticsearch index from PostgreSQL and swap the alias atomically')
    .action(() =>
      withRuntime({ needs: ['database', 'search'] }, async ({ runtime, core, searchAs }) => {
        let progress: Progress | undefined;
        let last = 0;
        const result = await core.reindex({
          client: await searchAs('reindex'),
          alias: runtime.config.ELASTICSEARCH_INDEX,
          layout: { replicas: runtime.config.SEARCH_INDEX_REPLICAS },
          repository: runtime.torrents,
          logger: runtime.logger,
          onProgress: (done, total) => {
            progress ??= new Progress('reindex', total);
            progress.tick(done - last);
            last = done;
          },
        });
        (progress ?? new Progress('reindex', 0)).finish(
          `${result.documents} documents in ${result.to}; alias ${runtime.config.ELASTICSEARCH_INDEX} swapped from ${result.from.join(', ') || '(none)'}`,
        );
      }),
    );
}
