import type { Queue } from 'bullmq';
import type { RedisClient } from './redis-client.js';
import { torrentsInJob } from './job-catalog.js';

const NAME_READS_PER_ROUND_TRIP = 1_000;

/** A queue's backlog counted in jobs and in the torrents they carry. */
export interface TorrentBacklog {
  jobs: number;
  torrents: number;
}

/**
 * Torrents waiting, prioritized, delayed or active on `queue`. A live job is one torrent; a bulk job's size is in
 * its name (`bulkJobName`), so only names are read, never payloads. The wait list holds live jobs only (bulk
 * jobs always carry a priority), so its length is its count; the other states are read job by job, which stays
 * cheap because a million torrents are a thousand bulk jobs.
 */
export async function torrentBacklog(queue: Queue): Promise<TorrentBacklog> {
  const [counts, ids] = await Promise.all([
    queue.getJobCounts('wait'),
    queue.getRanges(['prioritized', 'active', 'delayed'], 0, -1),
  ]);
  const waiting = counts.wait ?? 0;
  // BullMQ 6 keeps the Redis client on its Redis backend and types it as any of the clients it supports; it is
  // the ioredis client it was given.
  const client = (await queue.getBackend().client) as unknown as RedisClient;
  let torrents = waiting;
  for (let i = 0; i < ids.length; i += NAME_READS_PER_ROUND_TRIP) {
    const pipeline = client.pipeline();
    for (const id of ids.slice(i, i + NAME_READS_PER_ROUND_TRIP)) pipeline.hget(queue.toKey(id), 'name');
    for (const [, name] of (await pipeline.exec()) ?? []) {
      if (typeof name === 'string') torrents += torrentsInJob(name);
    }
  }
  return { jobs: waiting + ids.length, torrents };
}
