import type { Client } from '@elastic/elasticsearch';
import type { Queue } from 'bullmq';
import type { DeletionCounts, DeletionRepository } from '../db/deletion-repository.js';
import type { FailureRepository, FailureSummary } from '../db/failure-repository.js';
import type { PostgresCounts, TorrentRepository } from '../db/torrent-repository.js';
import type { QueueName } from '../queues/job-catalog.js';
import { torrentBacklog } from '../queues/torrent-backlog.js';

const STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'] as const;
/** Jobs per state (bulk jobs wait as `prioritized`), and `backlog`: torrents waiting or in flight. */
type QueueCounts = Record<(typeof STATES)[number], number> & { backlog: number };

export interface PipelineStatus {
  postgres: PostgresCounts;
  /** documents, and those carrying a TMDB match (the document field `enriched`) */
  elasticsearch: { docs: number; matched: number };
  queues: Record<QueueName, QueueCounts>;
  /** torrents a pass gave up on for good, per queue, with the latest reasons */
  failures: FailureSummary;
  /** deleted rows whose documents are still to be removed, and those removed (until pruned); absent without a source */
  deletions?: DeletionCounts;
}

export interface PipelineStatusSources {
  repository: TorrentRepository;
  failures: FailureRepository;
  deletions?: DeletionRepository;
  search: Client;
  index: string;
  queues: Record<QueueName, Queue>;
}

/** What `minato status --json` prints: counts in PostgreSQL, Elasticsearch and every queue. */
export async function pipelineStatus({
  repository,
  failures,
  deletions,
  search,
  index,
  queues,
}: PipelineStatusSources): Promise<PipelineStatus> {
  const [postgres, elasticsearch, queueCounts, failureSummary, deletionCounts] = await Promise.all([
    repository.counts(),
    searchCounts(search, index),
    Promise.all(
      Object.entries(queues).map(async ([name, queue]) => {
        const [counts, backlog] = await Promise.all([queue.getJobCounts(...STATES), torrentBacklog(queue)]);
        const byState = Object.fromEntries(STATES.map((s) => [s, counts[s] ?? 0]));
        return [name, { ...byState, backlog: backlog.torrents } as QueueCounts] as const;
      }),
    ),
    failures.summary(),
    deletions?.counts(),
  ]);
  return {
    postgres,
    elasticsearch,
    queues: Object.fromEntries(queueCounts) as Record<QueueName, QueueCounts>,
    failures: failureSummary,
    ...(deletionCounts ? { deletions: deletionCounts } : {}),
  };
}

async function searchCounts(search: Client, index: string): Promise<PipelineStatus['elasticsearch']> {
  if (!(await search.indices.exists({ index }))) return { docs: 0, matched: 0 };
  await search.indices.refresh({ index });
  const [docs, matched] = await Promise.all([
    search.count({ index }),
    search.count({ index, query: { term: { enriched: true } } }),
  ]);
  return { docs: docs.count, matched: matched.count };
}
