import type { CheckpointRepository } from '../db/checkpoint-repository.js';
import type { VersionRow } from '../db/torrent-repository.js';
import type { QueueName, QueueSet } from '../queues/job-catalog.js';
import { ensureIndex, type IndexLayout } from '../search/indexing/index-template.js';
import type { DeletionSweeper } from './deletion-sweeper.js';
import type { RedisLossMarker } from './redis-loss-marker.js';
import {
  addToSummary,
  compareWithIndex,
  reconcile,
  sendRouted,
  type ReconcileOptions,
  type ReconcileSummary,
  type RowRouting,
} from './reconciler.js';

export interface ReconcileChangesOptions extends Omit<ReconcileOptions, 'since'> {
  checkpoints: CheckpointRepository;
  /** rows changed this recently are left to their own jobs (and to the next pass); also covers late commits */
  graceMs?: number;
  /** a full comparison at least this often, in milliseconds; 0 never */
  fullEveryMs?: number;
  /**
   * puts the index back, laid out so, when its alias is gone (a worker may; `minato backfill`'s key may not)
   */
  repairIndex?: IndexLayout;
  /** a document acknowledged this long ago is visible to a count (the template refreshes every second) */
  visibleAfterMs?: number;
  /** tells when Redis lost its data, and the jobs with it, since the last pass (the workers' reconciler has one) */
  redisLoss?: RedisLossMarker;
  /** applies the deletion record's backlog first (left out by a dry run, which only counts it) */
  deletions?: DeletionSweeper;
}

export type FullPassReason = 'first pass' | 'documents missing' | 'jobs lost with Redis' | 'schedule';

export interface ReconcileChangesSummary extends ReconcileSummary {
  /** `changes`: only what changed since the checkpoint and what is behind its version; `full`: every row */
  mode: 'changes' | 'full';
  reason: FullPassReason | null;
  /** documents PostgreSQL says Elasticsearch acknowledged that a count does not find */
  missing: number;
  /** deleted rows whose documents this pass removed from the deletion record's backlog */
  deleted: number;
  ms: number;
}

/**
 * The periodic reconciler (docs/how-it-works.md, "A reconciler whose cost follows the changes"), whose cost follows the changes, not the table:
 * 0. the deletion record's pending entries, applied first (`deletions`), so a deletion holds even when its
 *    sweep in the sync worker was not running;
 * 1. rows whose projection is behind their version (the partial index `torrents_stale`), sent again only to a
 *    queue with no backlog: while a queue drains, those rows are its backlog, not lost;
 * 2. rows changed since the checkpoint (kept in PostgreSQL), compared with Elasticsearch by `mget`;
 * 3. a count per alias against PostgreSQL, which detects documents lost wholesale (index deleted, snapshot
 *    restored) and then runs the full comparison, as the first pass, a Redis that lost its data (`redisLoss`:
 *    its CLASSIFY jobs went with it) and a rare schedule (`fullEveryMs`) do.
 * A dry run (no `queues`) counts and leaves the checkpoint where it was.
 */
export async function reconcileChanges(options: ReconcileChangesOptions): Promise<ReconcileChangesSummary> {
  const { repository, search, index, queues, checkpoints, pageSize = 1_000 } = options;
  const { graceMs = 30_000, fullEveryMs = 86_400_000 } = options;
  const started = Date.now();
  const now = await checkpoints.now();
  const until = new Date(now.getTime() - graceMs);
  const checkpoint = await checkpoints.get(index);
  // Deletions first: the count of missing documents below compares rows with documents, and a document whose
  // row is gone is not one PostgreSQL counts.
  const swept = options.deletions ? await options.deletions.sweep() : undefined;
  const deleted = swept ? swept.deleted + swept.absent + swept.superseded : 0;
  const missing = checkpoint ? await missingDocuments(options, now) : 0;
  const redisLost = queues && options.redisLoss ? await options.redisLoss.takeLoss() : false;
  const reason: FullPassReason | null = !checkpoint
    ? 'first pass'
    : missing > 0
      ? 'documents missing'
      : redisLost
        ? 'jobs lost with Redis'
        : fullEveryMs > 0 && (checkpoint.fullPassAt?.getTime() ?? 0) <= now.getTime() - fullEveryMs
          ? 'schedule'
          : null;

  if (reason) {
    const summary = await reconcile({ ...options, pageSize }).catch(async (error: unknown) => {
      if (redisLost) await options.redisLoss?.forget().catch(() => undefined);
      throw error;
    });
    if (queues) await checkpoints.save(index, until, now);
    return { ...summary, mode: 'full', reason, missing, deleted, ms: Date.now() - started };
  }
  const summary: ReconcileSummary = { scanned: 0, ingest: 0, sync: 0, classify: 0 };
  const busy = queues ? await busyQueues(queues) : new Set<QueueName>();
  const idle = (queue: QueueName) => !busy.has(queue);
  const send = async (rows: number, routing: RowRouting) => {
    addToSummary(summary, rows, queues ? await sendRouted(repository, queues, routing, idle) : routing);
    options.onPage?.({ ...summary });
  };

  let after = '';
  for (;;) {
    const rows = await repository.stalePage(after, until, pageSize);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]?.infoHash ?? after;
    await send(rows.length, routeStale(rows));
  }
  after = '';
  for (;;) {
    const rows = await repository.changedPage(checkpoint!.changedSince, until, after, pageSize);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]?.infoHash ?? after;
    // Rows behind their version were handled above; the others are compared with what Elasticsearch holds.
    const current = rows.filter((r) => r.indexedVersion === r.version);
    await send(current.length, await compareWithIndex(search, index, current));
  }
  if (queues) await checkpoints.save(index, until);
  return { ...summary, mode: 'changes', reason: null, missing, deleted, ms: Date.now() - started };
}

/** Stale rows need no `mget`: never indexed goes to pass 1, an older version to pass 3. */
function routeStale(rows: readonly VersionRow[]): RowRouting {
  const routing: RowRouting = { ingest: [], sync: [], classify: [], lost: [] };
  for (const row of rows) (row.indexedVersion === null ? routing.ingest : routing.sync).push(row.infoHash);
  return routing;
}

/** Queues with jobs waiting (live or bulk) or delayed: the rows they would get are probably already there. */
async function busyQueues(queues: QueueSet): Promise<Set<QueueName>> {
  const busy = new Set<QueueName>();
  await Promise.all(
    (Object.keys(queues) as QueueName[]).map(async (name) => {
      const counts = await queues[name].getJobCounts('wait', 'prioritized', 'delayed');
      if (Object.values(counts).some((n) => n > 0)) busy.add(name);
    }),
  );
  return busy;
}

/**
 * How many documents PostgreSQL says Elasticsearch acknowledged that a count per alias does not find: zero
 * unless documents were lost behind the workers' backs. Rows acknowledged in the last seconds are left out, as
 * a count may not see them yet. A missing alias is put back first, laid out as `repairIndex` says, when given.
 */
async function missingDocuments(options: ReconcileChangesOptions, now: Date): Promise<number> {
  const { repository, search, index } = options;
  const { visibleAfterMs = 5_000 } = options;
  const acknowledged = await repository.countIndexedBefore(new Date(now.getTime() - visibleAfterMs));
  if (!(await search.aliasExists(index))) {
    if (options.repairIndex && options.queues) await ensureIndex(search, index, options.repairIndex);
    return acknowledged;
  }
  return Math.max(0, acknowledged - (await search.count(index)));
}
