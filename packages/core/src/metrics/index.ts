export { createJobMetrics, type JobMetrics } from './job-metrics.js';
export { registerQueueDepthMetrics } from './queue-depth-metrics.js';
