import { CheckpointRepository } from '../db/checkpoint-repository.js';
import { DeletionRepository } from '../db/deletion-repository.js';
import { SearchEpochRepository } from '../db/search-epoch-repository.js';
import type { Runtime } from '../lifecycle/runtime.js';
import { DeletionSweeper } from './deletion-sweeper.js';
import { startReconcileScheduler } from './reconcile-scheduler.js';
import { searchAheadOfPostgres } from './restore-done.js';

/** What the sync worker runs beside pass 3 to keep the index following PostgreSQL; `close` stops it all. */
export interface ProjectionRepairs {
  close(): Promise<void>;
}

/**
 * The sync worker's companions: the deletion sweep (every DELETION_POLL_MS), the reconciler's repeatable job,
 * and a one-time check at start-up that Elasticsearch is not ahead of PostgreSQL (a restore from backup),
 * which says what to run. Deletions wait while the index does not exist yet (pass 3's worker puts it in place).
 */
export async function startProjectionRepairs(runtime: Runtime): Promise<ProjectionRepairs> {
  const { config, logger } = runtime;
  const index = config.ELASTICSEARCH_INDEX;
  const deletions = new DeletionSweeper({
    deletions: new DeletionRepository(runtime.sql),
    search: runtime.search,
    index,
    logger,
    registry: runtime.registry,
    keepDoneMs: config.DELETION_KEEP_MS,
  });
  const reconciler = await startReconcileScheduler({
    redis: runtime.redis,
    keys: runtime.keys,
    everyMs: config.RECONCILE_EVERY_MS,
    reconcile: {
      repository: runtime.torrents,
      search: runtime.search,
      index,
      queues: runtime.queues,
      checkpoints: new CheckpointRepository(runtime.sql),
      fullEveryMs: config.RECONCILE_FULL_EVERY_MS,
      repairIndex: { replicas: config.SEARCH_INDEX_REPLICAS },
      deletions,
    },
    logger,
  });
  deletions.start(config.DELETION_POLL_MS);
  searchAheadOfPostgres(runtime.search, index, new SearchEpochRepository(runtime.sql))
    .then((ahead) => {
      if (!ahead) return;
      logger.error(
        ahead,
        'Elasticsearch holds versions above any row in PostgreSQL: was PostgreSQL restored from a backup? run `minato restore-done`',
      );
    })
    .catch((error: unknown) => logger.warn({ err: error }, 'could not compare versions with Elasticsearch'));
  return {
    async close() {
      await Promise.all([reconciler.close(), deletions.close()]);
    },
  };
}
