export {
  FEED_CHUNK_ROWS,
  FEED_LIVE_MAX_ROWS,
  FeedAssembler,
  parseAnnouncement,
  type FeedAnnouncement,
  type FeedLiveJob,
  type FeedWork,
} from './feed-announcements.js';
export { catchUpFeed, type FeedCatchUpOptions } from './feed-catch-up.js';
export { FeedListener, feedListenUrl, type FeedListenerOptions } from './feed-listener.js';
export { createFeedMetrics, type FeedMetrics } from './feed-metrics.js';
export { startFeed } from './start-feed.js';
