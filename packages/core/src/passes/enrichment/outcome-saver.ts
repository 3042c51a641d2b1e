import type { EnrichmentOutcome, TorrentRepository } from '../../db/torrent-repository.js';
import type { PipelineChain } from '../chain.js';
import { asError } from '../../torrents/settle-torrents.js';

/**
 * Torrents saved before they are handed to ES_SYNC as one job: a bulk job's titles resolve one by one, and a sync
 * job per title would cost a job (and a pass through the sync worker's buffer) for a handful of torrents.
 */
const HAND_OFF_AT = 250;

/**
 * Saves one CLASSIFY job's outcomes as its titles resolve, so that progress (`enriched_at`) and memory follow the
 * lookups instead of waiting for the job's slowest title: a cold bulk job waits minutes for TMDB at 2 calls/s.
 * One statement at a time; outcomes that resolve while it runs go into the next one, so a job whose titles are all
 * cached still saves in a few statements. Saved torrents go on to pass 3 in hand-offs of HAND_OFF_AT, the rest
 * when the job finishes.
 */
/** What a job's saves came to: torrents saved (and of them matched), and those left unsaved as retitled. */
export interface SavedOutcomes {
  enriched: number;
  matched: number;
  /** torrents whose row no longer had the title they were matched from */
  retitled: string[];
}

export class OutcomeSaver {
  private queued: EnrichmentOutcome[] = [];
  /** saved, not yet handed on */
  private readonly saved: string[] = [];
  private readonly totals: SavedOutcomes = { enriched: 0, matched: 0, retitled: [] };
  private saving: Promise<void> | null = null;
  private error: Error | null = null;

  constructor(
    private readonly repository: Pick<TorrentRepository, 'saveEnrichments'>,
    private readonly chain: Pick<PipelineChain, 'enriched'>,
    private readonly live: boolean,
  ) {}

  /** Queues outcomes for the next statement; a failure is kept for `finish` to throw. */
  add(outcomes: readonly EnrichmentOutcome[]): void {
    if (outcomes.length === 0 || this.error !== null) return;
    this.queued.push(...outcomes);
    this.saving ??= this.drain();
  }

  /** Waits for every queued outcome to be saved and handed on; throws the first failure. */
  async finish(): Promise<SavedOutcomes> {
    await this.saving;
    if (this.error !== null) throw this.error;
    if (this.saved.length > 0) await this.chain.enriched(this.saved.splice(0), this.live);
    return this.totals;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queued.length > 0) {
        const batch = this.queued;
        this.queued = [];
        const saved = new Set(await this.repository.saveEnrichments(batch));
        for (const { infoHash, status } of batch) {
          if (!saved.has(infoHash)) {
            this.totals.retitled.push(infoHash);
            continue;
          }
          this.saved.push(infoHash);
          this.totals.enriched++;
          if (status === 'matched') this.totals.matched++;
        }
        if (this.saved.length >= HAND_OFF_AT) await this.chain.enriched(this.saved.splice(0), this.live);
      }
    } catch (error) {
      this.error = asError(error);
    } finally {
      this.saving = null;
    }
  }
}
