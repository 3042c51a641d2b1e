export { reconcile, type ReconcileOptions, type ReconcileSummary } from './reconciler.js';
export { enqueuePending, type EnqueuePendingOptions } from './enqueue-pending.js';
export {
  startReconcileScheduler,
  RECONCILE_QUEUE,
  type ReconcileScheduler,
  type ReconcileSchedulerOptions,
} from './reconcile-scheduler.js';
