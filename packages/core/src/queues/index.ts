export { QUEUES, payloadSchemas, jobOptions, type QueueName, type Payload } from './job-catalog.js';
export { enqueueByInfoHash, enqueueIngest } from './producers.js';
export {
  createRedis,
  createQueues,
  redisConnectionOptions,
  type RedisConnectionOptions,
} from './queue-factory.js';
export { checkRedisAuth } from './redis-auth-check.js';
export { parsePayload } from './parse-payload.js';
