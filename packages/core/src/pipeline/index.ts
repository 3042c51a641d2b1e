export { TorrentProjector, type Projection } from './torrent-projector.js';
export { createIngestProcessor, type IngestProcessorOptions } from './ingest-processor.js';
export { createSyncProcessor, type SyncProcessorOptions } from './sync-processor.js';
export { failFastOnPermanentErrors } from './unrecoverable.js';
