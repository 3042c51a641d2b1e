export { createSqlClient, textArray, bigintArray, type Sql, type SqlClientOptions } from './sql-client.js';
export { migrate, type MigrateResult } from './migrator.js';
export { migrations, type Migration } from './migrations/index.js';
export {
  TorrentRepository,
  type TorrentRecord,
  type NewTorrent,
  type PendingPass,
  type PostgresCounts,
  type VersionRow,
  type EnrichmentStatus,
  type EnrichmentOutcome,
} from './torrent-repository.js';
export { MediaRepository, type MediaInput, type CachedLookup } from './media-repository.js';
export { type MediaRecord } from './media-record.js';
export { FailureRepository, type TorrentFailure, type FailureSummary } from './failure-repository.js';
export { CheckpointRepository, type ReconcileCheckpoint } from './checkpoint-repository.js';
export {
  DeletionRepository,
  type DeletionCounts,
  type PendingDeletion,
  type TorrentDeletionResult,
} from './deletion-repository.js';
export { SearchEpochRepository, EPOCH_STRIDE } from './search-epoch-repository.js';
