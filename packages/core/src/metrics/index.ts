export { createJobMetrics, type JobMetrics } from './job-metrics.js';
export { registerQueueDepthMetrics } from './queue-depth-metrics.js';
export { createTorrentFailureCounter } from './torrent-failure-metrics.js';
export { registerQueueTorrentMetrics } from './queue-torrent-metrics.js';
export { registerBulkJobMetrics } from './bulk-job-metrics.js';
export { registerPeakMemoryMetric } from './peak-memory-metrics.js';
