import { parseRelease, type ParsedRelease } from '../releases/index.js';
import { enqueueTorrents } from '../queues/producers.js';
import type { QueueSet } from '../queues/job-catalog.js';
import { MicroBatcher } from '../util/micro-batcher.js';

/**
 * Does this torrent still need pass 2? The one rule, used by pass 1's hand-off, the reconciler and
 * `minato enqueue classify --all`: its release name is a film or an episode (`enrichable`, which the parser
 * never sets for music, software or anything else) and no enrichment outcome has been saved yet.
 */
export function needsEnrichment(
  torrent: { title: string; enriched: boolean },
  release: ParsedRelease = parseRelease(torrent.title),
): boolean {
  return !torrent.enriched && release.enrichable;
}

/**
 * The whole pipeline in one place: which queue hands off to which, and when.
 *
 *   TORRENT_INGEST (pass 1, ingest) ──needsEnrichment──▶ CLASSIFY (pass 2, enrichment) ──always──▶ ES_SYNC (pass 3, sync)
 *
 * Pass 1 ends the chain for everything else (music, software, rows already enriched); pass 3 always ends it.
 * The reconciler re-enters the chain at whichever queue a row's state calls for.
 */
export class PipelineChain {
  /** pass 1's hand-offs, batched across the jobs one worker runs at once: one `addBulk` per batch */
  private readonly toClassify: MicroBatcher<string, undefined>;

  constructor(private readonly queues: QueueSet) {
    this.toClassify = new MicroBatcher(async (hashes) => {
      await enqueueTorrents(queues, 'CLASSIFY', hashes);
      return hashes.map(() => undefined);
    });
  }

  /** Pass 1 indexed the torrent; returns whether it was handed to pass 2. */
  async ingested(
    torrent: { infoHash: string; title: string; enriched: boolean },
    release?: ParsedRelease,
  ): Promise<boolean> {
    if (!needsEnrichment(torrent, release)) return false;
    await this.toClassify.call(torrent.infoHash);
    return true;
  }

  /** Pass 2 saved its outcome (matched, missed or skipped): pass 3 carries it to Elasticsearch. */
  async enriched(infoHash: string): Promise<void> {
    await enqueueTorrents(this.queues, 'ES_SYNC', [infoHash]);
  }
}
