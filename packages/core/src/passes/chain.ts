import { parseRelease, type ParsedRelease } from '../releases/index.js';
import { enqueueBulk, enqueueTorrents } from '../queues/producers.js';
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

/** What pass 1 knows of a torrent it indexed, enough to decide the hand-off. */
export interface IngestedTorrent {
  torrent: { infoHash: string; title: string; enrichedAt: Date | null };
  release: ParsedRelease;
}

/**
 * The whole pipeline in one place: which queue hands off to which, and when.
 *
 *   TORRENT_INGEST (pass 1, ingest) ──needsEnrichment──▶ CLASSIFY (pass 2, enrichment) ──always──▶ ES_SYNC (pass 3, sync)
 *
 * Pass 1 ends the chain for everything else (music, software, rows already enriched); pass 3 always ends it.
 * A job hands off in its own form: a live torrent stays live on the next queue (ahead of any backlog), a bulk
 * job's torrents go on as one bulk job. The reconciler re-enters the chain at whichever queue a row's state
 * calls for.
 */
export class PipelineChain {
  /** live hand-offs of pass 1, batched across the jobs one worker runs at once: one `addBulk` per batch */
  private readonly toClassify: MicroBatcher<string, undefined>;

  constructor(private readonly queues: QueueSet) {
    this.toClassify = new MicroBatcher(async (hashes) => {
      await enqueueTorrents(queues, 'CLASSIFY', hashes);
      return hashes.map(() => undefined);
    });
  }

  /** Pass 1 indexed these torrents; returns how many were handed to pass 2. */
  async ingested(indexed: readonly IngestedTorrent[], live: boolean): Promise<number> {
    const hashes = indexed
      .filter(({ torrent, release }) =>
        needsEnrichment({ title: torrent.title, enriched: torrent.enrichedAt !== null }, release),
      )
      .map(({ torrent }) => torrent.infoHash);
    if (live) await Promise.all(hashes.map((hash) => this.toClassify.call(hash)));
    else await enqueueBulk(this.queues, 'CLASSIFY', hashes);
    return hashes.length;
  }

  /** Pass 2 saved these torrents' outcomes (matched, missed or skipped): pass 3 carries them to Elasticsearch. */
  async enriched(infoHashes: readonly string[], live: boolean): Promise<void> {
    if (live) await enqueueTorrents(this.queues, 'ES_SYNC', infoHashes);
    else await enqueueBulk(this.queues, 'ES_SYNC', infoHashes);
  }
}
