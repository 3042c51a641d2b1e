export {
  QUEUES,
  jobOptions,
  parsePayload,
  payloadSchemas,
  type Payload,
  type QueueName,
  type QueueSet,
  type TypedQueue,
} from './job-catalog.js';
export { enqueue, enqueueTorrents } from './producers.js';
export {
  closeQueues,
  createRedis,
  createQueues,
  redisConnectionOptions,
  type RedisConnectionOptions,
} from './queue-factory.js';
export { checkRedisAuth } from './redis-auth-check.js';
export { redisKeys, type RedisKeys } from './redis-keys.js';
export { typedProcessor, type JobProcessor } from './typed-processor.js';
