import { Command } from 'commander';
import type { CheckedDependency, DependencyUnavailableError, PipelineStatus } from '@minato/core';
import { withRuntime } from '../context.js';
import { EXIT_STATUS } from '../failure-report.js';

type Missing = Map<CheckedDependency, DependencyUnavailableError>;

const unreachable = (missing: Missing, dependency: CheckedDependency) =>
  `unreachable: ${missing.get(dependency)?.message ?? 'not read'}`;

function table(status: PipelineStatus, missing: Missing): string {
  const { postgres: pg, elasticsearch: es, queues, failures, deletions } = status;
  const lines = [
    `PostgreSQL     ${pg ? `torrents ${pg.torrents}   indexed ${pg.indexed}   enriched ${pg.enriched} (matched ${pg.matched})` : unreachable(missing, 'postgres')}`,
    `Elasticsearch  ${es ? `docs ${es.docs}   matched ${es.matched}` : unreachable(missing, 'elasticsearch')}`,
    '',
    ...(queues
      ? [
          `${'queue'.padEnd(16)}${['torrents', 'waiting', 'bulk', 'active', 'delayed', 'failed', 'completed'].map((s) => s.padStart(11)).join('')}`,
          ...Object.entries(queues).map(
            ([name, c]) =>
              `${name.padEnd(16)}${[c.backlog, c.waiting, c.prioritized, c.active, c.delayed, c.failed, c.completed].map((n) => String(n).padStart(11)).join('')}`,
          ),
        ]
      : [`Queues         ${unreachable(missing, 'redis')}`]),
    '',
    ...(failures
      ? [
          `Failed torrents ${failures.total}${Object.entries(failures.byQueue)
            .map(([queue, n]) => `   ${queue} ${n}`)
            .join('')}`,
          ...failures.recent.map(
            (f) => `  ${f.failedAt.toISOString()}  ${f.queue.padEnd(15)} ${f.infoHash}  ${f.reason}`,
          ),
        ]
      : []),
    ...(deletions ? [`Deletions      pending ${deletions.pending}   done ${deletions.done}`] : []),
  ];
  return lines.join('\n');
}

/** `minato status [--json]`: what it can reach, and each service it cannot marked unreachable. */
export function statusCommand(): Command {
  return new Command('status')
    .description('counts in PostgreSQL, Elasticsearch and each queue (those unreachable are marked so)')
    .option('--json', 'print one JSON object instead of a table', false)
    .action((opts: { json: boolean }) =>
      withRuntime(
        { needs: ['database', 'redis', 'search'], partial: true },
        async ({ runtime, core, searchAs, missing }) => {
          const status = await core.pipelineStatus({
            ...(missing.has('postgres')
              ? {}
              : {
                  postgres: {
                    repository: runtime.torrents,
                    failures: new core.FailureRepository(runtime.sql),
                    deletions: new core.DeletionRepository(runtime.sql),
                  },
                }),
            ...(missing.has('elasticsearch')
              ? {}
              : { search: { client: await searchAs('status'), index: runtime.config.ELASTICSEARCH_INDEX } }),
            ...(missing.has('redis') ? {} : { queues: runtime.queues }),
          });
          const unreachableJson = Object.fromEntries([...missing].map(([d, e]) => [d, e.message]));
          console.log(
            opts.json ? JSON.stringify({ ...status, unreachable: unreachableJson }) : table(status, missing),
          );
          // Printed, and still a failure for a script: the first missing dependency's exit status.
          const [first] = missing.values();
          if (first) process.exitCode = EXIT_STATUS[first.dependency];
        },
      ),
    );
}
