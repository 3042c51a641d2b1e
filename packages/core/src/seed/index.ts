export {
  syntheticTorrents,
  syntheticReleaseName,
  syntheticInfoHash,
  seededRandom,
} from './synthetic-releases.js';
