import { CheckpointRepository } from '../db/checkpoint-repository.js';
import type { Runtime } from '../lifecycle/runtime.js';
import { catchUpFeed } from './feed-catch-up.js';
import { FeedListener, feedListenUrl } from './feed-listener.js';
import { createFeedMetrics } from './feed-metrics.js';

/**
 * The ingest worker's feed listener (FEED=notify), or nothing (FEED=off). It lives in the ingest worker because
 * all it produces is TORRENT_INGEST work (docs/feed.md, "Where the listener runs"); replicas listening at once
 * add each job once.
 */
export function startFeed(runtime: Runtime): FeedListener | undefined {
  const { config } = runtime;
  if (config.FEED === 'off') return undefined;
  const checkpoints = new CheckpointRepository(runtime.sql);
  const listener = new FeedListener({
    url: feedListenUrl(config),
    queues: runtime.queues,
    catchUp: () =>
      catchUpFeed({
        repository: runtime.torrents,
        checkpoints,
        index: config.ELASTICSEARCH_INDEX,
        queues: runtime.queues,
      }),
    logger: runtime.logger.child({ component: 'feed' }),
    metrics: createFeedMetrics(runtime.registry),
  });
  listener.start();
  return listener;
}
