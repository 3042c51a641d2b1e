export { QUEUES, payloadSchemas, jobOptions, type QueueName, type Payload } from './job-catalog.js';
export { enqueueByInfoHash, enqueueIngest } from './producers.js';
export { closeQueues, createRedis, createQueues, type RedisConnectionOptions } from './queue-factory.js';
export { parsePayload } from './parse-payload.js';
