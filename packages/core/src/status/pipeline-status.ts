import type { SearchEngine } from '../search/engines/search-engine.js';
import type { Queue } from 'bullmq';
import type { DeletionCounts, DeletionRepository } from '../db/deletion-repository.js';
import type { FailureRepository, FailureSummary } from '../db/failure-repository.js';
import type { PostgresCounts, TorrentRepository } from '../db/torrent-repository.js';
import type { QueueName } from '../queues/job-catalog.js';
import { torrentBacklog } from '../queues/torrent-backlog.js';

const STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'] as const;
/** Jobs per state (bulk jobs wait as `prioritized`), and `backlog`: torrents waiting or in flight. */
type QueueCounts = Record<(typeof STATES)[number], number> & { backlog: number };

/** What `minato status --json` prints; a part is null when its service could not be reached. */
export interface PipelineStatus {
  postgres: PostgresCounts | null;
  /** documents, and those carrying a TMDB match (the document field `enriched`) */
  elasticsearch: { docs: number; matched: number } | null;
  queues: Record<QueueName, QueueCounts> | null;
  /** torrents a pass gave up on for good, per queue, with the latest reasons (in PostgreSQL) */
  failures: FailureSummary | null;
  /** deleted rows whose documents are still to be removed, and those removed (until pruned; in PostgreSQL) */
  deletions: DeletionCounts | null;
}

/** Where the counts come from; a source left out (its service unreachable) gives a null part. */
export interface PipelineStatusSources {
  /** `deletions` left out (the console) gives a null `deletions` part */
  postgres?: { repository: TorrentRepository; failures: FailureRepository; deletions?: DeletionRepository };
  search?: { client: SearchEngine; index: string };
  queues?: Record<QueueName, Queue>;
  /**
   * Refresh the index before counting, so documents written in the last second count (the CLI); false for a
   * reader whose credentials hold only `read` and `view_index_metadata` (the console, docs/console.md)
   */
  refresh?: boolean;
  /** how many of the latest failures to list (default 5) */
  recentFailures?: number;
}

/** Counts in PostgreSQL, Elasticsearch and every queue, each part read from its own source at once. */
export async function pipelineStatus({
  postgres,
  search,
  queues,
  refresh = true,
  recentFailures = 5,
}: PipelineStatusSources): Promise<PipelineStatus> {
  const [pg, elasticsearch, queueCounts, failures, deletions] = await Promise.all([
    postgres?.repository.counts() ?? null,
    search ? searchCounts(search.client, search.index, refresh) : null,
    queues ? countQueues(queues) : null,
    postgres?.failures.summary(recentFailures) ?? null,
    postgres?.deletions?.counts() ?? null,
  ]);
  return { postgres: pg, elasticsearch, queues: queueCounts, failures, deletions };
}

async function countQueues(queues: Record<QueueName, Queue>): Promise<Record<QueueName, QueueCounts>> {
  const counts = await Promise.all(
    Object.entries(queues).map(async ([name, queue]) => {
      const [counts, backlog] = await Promise.all([queue.getJobCounts(...STATES), torrentBacklog(queue)]);
      const byState = Object.fromEntries(STATES.map((s) => [s, counts[s] ?? 0]));
      return [name, { ...byState, backlog: backlog.torrents } as QueueCounts] as const;
    }),
  );
  return Object.fromEntries(counts) as Record<QueueName, QueueCounts>;
}

async function searchCounts(
  search: SearchEngine,
  index: string,
  refresh: boolean,
): Promise<PipelineStatus['elasticsearch']> {
  if (!(await search.indexExists(index))) return { docs: 0, matched: 0 };
  if (refresh) await search.refresh(index);
  const [docs, matched] = await Promise.all([
    search.count(index),
    search.count(index, { term: { enriched: true } }),
  ]);
  return { docs, matched };
}
