import type { SearchEngine } from '../search/engines/search-engine.js';
import type { Queue } from 'bullmq';
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
}

export interface PipelineStatusSources {
  repository: TorrentRepository;
  failures: FailureRepository;
  search: SearchEngine;
  index: string;
  queues: Record<QueueName, Queue>;
}

/** What `minato status --json` prints: counts in PostgreSQL, Elasticsearch and every queue. */
export async function pipelineStatus({
  repository,
  failures,
  search,
  index,
  queues,
}: PipelineStatusSources): Promise<PipelineStatus> {
  const [postgres, elasticsearch, queueCounts, failureSummary] = await Promise.all([
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
  ]);
  return {
    postgres,
    elasticsearch,
    queues: Object.fromEntries(queueCounts) as Record<QueueName, QueueCounts>,
    failures: failureSummary,
  };
}

async function searchCounts(search: SearchEngine, index: string): Promise<PipelineStatus['elasticsearch']> {
  if (!(await search.indexExists(index))) return { docs: 0, matched: 0 };
  await search.refresh(index);
  const [docs, matched] = await Promise.all([
    search.count(index),
    search.count(index, { term: { enriched: true } }),
  ]);
  return { docs, matched };
}
