export {
  addToSummary,
  compareWithIndex,
  reconcile,
  sendRouted,
  type ReconcileOptions,
  type ReconcileSummary,
  type RowRouting,
} from './reconciler.js';
export {
  reconcileChanges,
  type FullPassReason,
  type ReconcileChangesOptions,
  type ReconcileChangesSummary,
} from './reconcile-changes.js';
export { redisLossMarker, type RedisLossMarker } from './redis-loss-marker.js';
export { enqueuePending, type EnqueuePendingOptions } from './enqueue-pending.js';
export {
  startReconcileScheduler,
  RECONCILE_QUEUE,
  type ReconcileScheduler,
  type ReconcileSchedulerOptions,
} from './reconcile-scheduler.js';
export { DeletionSweeper, type DeletionSweep, type DeletionSweeperOptions } from './deletion-sweeper.js';
export {
  removeOrphanDocuments,
  type OrphanSweepOptions,
  type OrphanSweepSummary,
} from './orphan-documents.js';
export {
  restoreDone,
  searchAheadOfPostgres,
  type RestoreDoneOptions,
  type RestoreDoneSummary,
} from './restore-done.js';
export { startProjectionRepairs, type ProjectionRepairs } from './projection-repairs.js';
