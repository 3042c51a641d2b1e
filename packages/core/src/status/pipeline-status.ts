import type { Client } from '@elastic/elasticsearch';
import type { Queue } from 'bullmq';
import type { PostgresCounts, TorrentRepository } from '../db/torrent-repository.js';
import type { QueueName } from '../queues/job-catalog.js';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
type QueueCounts = Record<(typeof STATES)[number], number>;

export interface PipelineStatus {
  postgres: PostgresCounts;
  /** documents, and those carrying a TMDB match (the document field `enriched`) */
  elasticsearch: { docs: number; matched: number };
  queues: Record<QueueName, QueueCounts>;
}

export interface PipelineStatusSources {
  repository: TorrentRepository;
  search: Client;
  index: string;
  queues: Record<QueueName, Queue>;
}

/** What `minato status --json` prints: counts in PostgreSQL, Elasticsearch and every queue. */
export async function pipelineStatus({
  repository,
  search,
  index,
  queues,
}: PipelineStatusSources): Promise<PipelineStatus> {
  const [postgres, elasticsearch, queueCounts] = await Promise.all([
    repository.counts(),
    searchCounts(search, index),
    Promise.all(
      Object.entries(queues).map(async ([name, queue]) => {
        const counts = await queue.getJobCounts(...STATES);
        return [name, Object.fromEntries(STATES.map((s) => [s, counts[s] ?? 0])) as QueueCounts] as const;
      }),
    ),
  ]);
  return {
    postgres,
    elasticsearch,
    queues: Object.fromEntries(queueCounts) as Record<QueueName, QueueCounts>,
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
