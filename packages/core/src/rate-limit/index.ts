export {
  TokenBucket,
  type Grant,
  type Ledger,
  type Pause,
  type Sleep,
  type TokenBucketOptions,
} from './token-bucket.js';
export { createRateLimiterMetrics, type RateLimiterMetrics } from './rate-limiter-metrics.js';
export { type GrantFence, type GrantingNode } from './grant-fence.js';
export {
  sentinelGrantFence,
  sentinelNamesAlone,
  type SentinelGrantFenceOptions,
} from './sentinel-grant-fence.js';
