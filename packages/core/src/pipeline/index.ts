export { TorrentProjector, type Projection } from './torrent-projector.js';
export { createIngestProcessor, type IngestProcessorOptions } from './ingest-processor.js';
