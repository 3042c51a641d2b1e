/** What the workers' own reconcilers re-enqueued during a run, summed over their passes. */
export interface ReconcilerRepairs {
  /** rows the first pass (no checkpoint yet: a full comparison at start-up) sent: the seeded backlog, not repairs */
  firstPass: number;
  /** the later passes, and the rows they sent back to each queue */
  passes: number;
  ingest: number;
  sync: number;
  classify: number;
}

type PassLine = Partial<Record<'ingest' | 'sync' | 'classify', number>> & { reason?: string | null };

/**
 * Sums the `reconciled` lines (pino JSON, one per pass of the sync worker's periodic reconciler: `ingest`,
 * `sync` and `classify` are the rows it sent back to each queue) in the workers' outputs. The first pass of a
 * fresh index compares every row and sends the whole unindexed backlog: it is counted apart.
 */
export function reconcilerRepairs(outputs: Record<string, string>): ReconcilerRepairs {
  const repairs: ReconcilerRepairs = { firstPass: 0, passes: 0, ingest: 0, sync: 0, classify: 0 };
  for (const output of Object.values(outputs)) {
    for (const line of output.split('\n')) {
      if (!line.includes('"msg":"reconciled"')) continue;
      const pass = parsed(line);
      if (!pass) continue;
      if (pass.reason === 'first pass') {
        repairs.firstPass += (pass.ingest ?? 0) + (pass.sync ?? 0) + (pass.classify ?? 0);
        continue;
      }
      repairs.passes += 1;
      repairs.ingest += pass.ingest ?? 0;
      repairs.sync += pass.sync ?? 0;
      repairs.classify += pass.classify ?? 0;
    }
  }
  return repairs;
}

// A worker killed mid-write leaves its last line cut short: that one is not a pass's summary.
function parsed(line: string): PassLine | null {
  try {
    return JSON.parse(line) as PassLine;
  } catch {
    return null;
  }
}

/** The rows the later passes sent back, to any queue. */
export const repairedRows = (r: ReconcilerRepairs): number => r.ingest + r.sync + r.classify;
