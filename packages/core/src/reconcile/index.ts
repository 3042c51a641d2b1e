export { reconcile, type ReconcileOptions, type ReconcileSummary } from './reconciler.js';
export { startReconcileScheduler, RECONCILE_QUEUE, type ReconcileScheduler } from './reconcile-scheduler.js';
