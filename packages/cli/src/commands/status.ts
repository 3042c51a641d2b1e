import { Command } from 'commander';
import type { PipelineStatus } from '@minato/core';
import { withRuntime } from '../context.js';

function table(status: PipelineStatus): string {
  const { postgres: pg, elasticsearch: es } = status;
  const lines = [
    `PostgreSQL     torrents ${pg.torrents}   indexed ${pg.indexed}   enriched ${pg.enriched} (matched ${pg.matched})`,
    `Elasticsearch  docs ${es.docs}   matched ${es.matched}`,
    '',
    `${'queue'.padEnd(16)}${['torrents', 'waiting', 'bulk', 'active', 'delayed', 'failed', 'completed'].map((s) => s.padStart(11)).join('')}`,
    ...Object.entries(status.queues).map(
      ([name, c]) =>
        `${name.padEnd(16)}${[c.backlog, c.waiting, c.prioritized, c.active, c.delayed, c.failed, c.completed].map((n) => String(n).padStart(11)).join('')}`,
    ),
    '',
    `Failed torrents ${status.failures.total}${Object.entries(status.failures.byQueue)
      .map(([queue, n]) => `   ${queue} ${n}`)
      .join('')}`,
    ...status.failures.recent.map(
      (f) => `  ${f.failedAt.toISOString()}  ${f.queue.padEnd(15)} ${f.infoHash}  ${f.reason}`,
    ),
    ...(status.deletions
      ? [`Deletions      pending ${status.deletions.pending}   done ${status.deletions.done}`]
      : []),
  ];
  return lines.join('\n');
}

/** `minato status [--json]`. */
export function statusCommand(): Command {
  return new Command('status')
    .description('counts in PostgreSQL, Elasticsearch and each queue')
    .option('--json', 'print one JSON object instead of a table', false)
    .action((opts: { json: boolean }) =>
      withRuntime(async ({ runtime, core, searchAs }) => {
        const status = await core.pipelineStatus({
          repository: runtime.torrents,
          failures: new core.FailureRepository(runtime.sql),
          deletions: new core.DeletionRepository(runtime.sql),
          search: await searchAs('status'),
          index: runtime.config.ELASTICSEARCH_INDEX,
          queues: runtime.queues,
        });
        console.log(opts.json ? JSON.stringify(status) : table(status));
      }),
    );
}
