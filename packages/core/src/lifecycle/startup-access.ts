import type { Component } from '../logging/logger.js';
import { checkRedisAuth } from '../queues/redis-auth-check.js';
import type { SearchRole } from '../search/engines/required-privileges.js';
import { checkSearchPrivileges } from '../search/engines/search-privileges.js';
import type { Runtime } from './runtime.js';

/** The worker components, each with its own set of Elasticsearch privileges. */
export type WorkerRole = Extract<Component, SearchRole>;

/**
 * Fails start-up with one line naming the variable at fault when Redis refuses REDIS_PASSWORD or the
 * Elasticsearch credentials lack a privilege the worker needs (README.md, Security).
 */
export async function checkStartupAccess(runtime: Runtime, role: WorkerRole): Promise<void> {
  const { config } = runtime;
  await checkRedisAuth(runtime.redis, runtime.redisWhere);
  await checkSearchPrivileges({
    engine: runtime.search,
    alias: config.ELASTICSEARCH_INDEX,
    role,
    logger: runtime.logger,
  });
}
