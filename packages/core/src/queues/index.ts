export {
  BULK_JOB_HASHES,
  BULK_MAX_HASHES,
  BULK_PRIORITY,
  QUEUES,
  bulkJobName,
  hashesOf,
  isBulk,
  jobOptions,
  torrentsInJob,
  type BulkPayload,
  type LivePayload,
  parsePayload,
  payloadSchemas,
  type Payload,
  type QueueName,
  type QueueSet,
  type TypedQueue,
} from './job-catalog.js';
export {
  enqueue,
  enqueueBulk,
  enqueueIdentifiedBulk,
  enqueueTorrents,
  type IdentifiedBulkJob,
} from './producers.js';
export {
  closeQueues,
  createRedis,
  createQueues,
  redisConnectionOptions,
  type RedisConnectionOptions,
} from './queue-factory.js';
export { checkRedisAuth } from './redis-auth-check.js';
export { redisKeys, tmdbBucketKey, type RedisKeys } from './redis-keys.js';
export { typedProcessor, type JobProcessor } from './typed-processor.js';
export { torrentBacklog, type TorrentBacklog } from './torrent-backlog.js';
export { resendTorrent, type Resent } from './resend-torrent.js';
