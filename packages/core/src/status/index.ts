export { pipelineStatus, type PipelineStatus, type PipelineStatusSources } from './pipeline-status.js';
export {
  torrentJourney,
  type DocumentDifference,
  type JourneyJob,
  type TorrentJourney,
  type TorrentJourneySources,
} from './torrent-journey.js';
