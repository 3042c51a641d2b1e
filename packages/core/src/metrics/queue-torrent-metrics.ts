import { Gauge, type Registry } from 'prom-client';
import type { Queue } from 'bullmq';
import { torrentBacklog } from '../queues/torrent-backlog.js';

/**
 * `minato_queue_torrents{queue}`: torrents waiting or in flight, a bulk job counted by the torrents it carries,
 * read when Prometheus scrapes. Autoscaling on it follows the work, not the number of jobs. Left out while
 * `connected` says the queues' Redis connection is down, as `minato_queue_jobs` is.
 */
export function registerQueueTorrentMetrics(
  registry: Registry,
  queues: Queue[],
  connected: () => boolean = () => true,
): Gauge<'queue'> {
  return new Gauge({
    name: 'minato_queue_torrents',
    help: 'Torrents waiting or in flight on each BullMQ queue (bulk jobs counted by their size), read at scrape time',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      if (!connected()) return;
      await Promise.all(
        queues.map(async (queue) => this.set({ queue: queue.name }, (await torrentBacklog(queue)).torrents)),
      );
    },
  });
}
