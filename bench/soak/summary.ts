import type { TightestWindow } from '../../test/support/rate-windows.js';
import { mib, type AuditResult } from './audit.js';
import { repairedRows } from './reconciler-repairs.js';

export interface SoakFigures extends Omit<AuditResult, 'violations'> {
  minutes: number;
  torrents: number;
  faults: Map<string, number>;
  violations: number;
}

/**
 * The soak's one summary line: faults by kind, torrents, rows the workers' reconciler repaired during the run,
 * mismatches the final reconciler found and repaired, failed jobs, peak RSS.
 */
export function summaryLine(f: SoakFigures): string {
  const found = f.reconcileRounds.reduce((a, b) => a + b, 0);
  const repairs = f.workerRepairs;
  const faults = [...f.faults].map(([k, n]) => `${k}=${n}`).join(' ');
  const otherFailed = [...f.failedOthers.values()].reduce((a, b) => a + b, 0);
  const tightest = f.budget.reduce<TightestWindow | null>(
    (worst, w) => (worst === null || w.count - w.allowed > worst.count - worst.allowed ? w : worst),
    null,
  );
  const budget = tightest
    ? `tightest ${tightest.count}/${tightest.allowed.toFixed(1)} in ${tightest.seconds.toFixed(1)}s over ${f.budget.length} Redis lives`
    : 'no TMDB grants';
  const rss = [...f.peakRss].map(([w, b]) => `${w}=${mib(b)}`).join(' ');
  return (
    `soak ${f.minutes}min ${f.torrents} torrents | faults ${faults} | ` +
    `repaired by the workers' reconciler ${repairedRows(repairs)} in ${repairs.passes} passes (ingest ${repairs.ingest}, sync ${repairs.sync}, classify ${repairs.classify}; its first pass queued ${repairs.firstPass} of the backlog) | ` +
    `mismatches found and repaired by the final reconciler ${found} (rounds ${f.reconcileRounds.join('/')}), left after it ${f.mismatchesLeft} | ` +
    `documents without a row ${f.orphansLeft}, renamed rows without their new match ${f.renamesUnmatched} | ` +
    `failed jobs bad-input=${f.failedBadInput} tmdb-garbage=${f.failedTmdbGarbage} other=${otherFailed} | TMDB budget ${budget} | ` +
    `peak RSS ${rss} | violations ${f.violations}`
  );
}
