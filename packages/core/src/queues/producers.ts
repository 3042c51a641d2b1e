import type { Queue } from 'bullmq';
import { jobOptions, type QueueName } from './job-catalog.js';

const ADD_BULK_CHUNK = 1_000;

/** Adds one job per info hash with `addBulk`; duplicates of a pending job collapse. Returns jobs added. */
export async function enqueueByInfoHash(queue: Queue, infoHashes: readonly string[]): Promise<number> {
  const name = queue.name as QueueName;
  let added = 0;
  for (let i = 0; i < infoHashes.length; i += ADD_BULK_CHUNK) {
    const chunk = infoHashes.slice(i, i + ADD_BULK_CHUNK);
    await queue.addBulk(
      chunk.map((infoHash) => ({ name, data: { infoHash }, opts: jobOptions(name, infoHash) })),
    );
    added += chunk.length;
  }
  return added;
}

/** Pass 1's producer: a torrent row becomes searchable. */
export function enqueueIngest(queue: Queue, infoHashes: readonly string[]): Promise<number> {
  return enqueueByInfoHash(queue, infoHashes);
}
