import { setTimeout as sleep } from 'node:timers/promises';
import { QUEUES, reconcile, type TorrentDocument } from '@minato/core';
import type { Harness } from '../../test/support/pipeline-harness.js';
import { describeWindow, tightestWindow, type TightestWindow } from '../../test/support/rate-windows.js';
import { findSecrets } from '../../test/support/secret-scan.js';
import type { FailedJob, RedisEvidence } from './evidence.js';
import type { Fleet } from './fleet.js';

/** Marks the jobs the soak makes fail on purpose: their info hash is not one. */
export const BAD_INPUT_MARK = 'soak-bad-input-';

// Far above what the settle needs on a quiet machine (50,000 torrents take ~15 minutes), never unbounded.
const SETTLE_DEADLINE_MS = 45 * 60_000;
const RECONCILE_ROUNDS = 8;

/** Waits until no pipeline queue holds a waiting, delayed or active job. */
export async function settle(h: Harness, log: (message: string) => void): Promise<void> {
  const deadline = Date.now() + SETTLE_DEADLINE_MS;
  let lastLog = 0;
  for (;;) {
    const counts = await Promise.all(
      Object.values(QUEUES).map(async (q) => {
        const c = await h.queues[q].getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'paused');
        return Object.values(c).reduce((a, b) => a + b, 0);
      }),
    );
    if (counts.every((n) => n === 0)) return;
    if (Date.now() > deadline) throw new Error(`the pipeline did not settle: ${counts.join('/')} jobs left`);
    if (Date.now() - lastLog > 30_000) {
      lastLog = Date.now();
      log(`settling: ${counts.join('/')} jobs left in ${Object.values(QUEUES).join('/')}`);
    }
    await sleep(1_000);
  }
}

/** Runs the reconciler until it finds nothing, settling after each round; returns what each round found. */
export async function reconcileUntilClean(h: Harness, log: (message: string) => void): Promise<number[]> {
  const found: number[] = [];
  for (let round = 0; round < RECONCILE_ROUNDS; round++) {
    await settle(h, log);
    const s = await reconcile({
      repository: h.repository,
      search: h.search,
      index: h.config.ELASTICSEARCH_INDEX,
      queues: h.queues,
    });
    const n = s.ingest + s.sync + s.classify;
    log(
      `reconciler round ${round + 1}: ${n} found (ingest ${s.ingest}, sync ${s.sync}, classify ${s.classify})`,
    );
    found.push(n);
    if (n === 0) return found;
  }
  return found;
}

interface PgRow {
  info_hash: string;
  version: number;
  enriched_at: Date | null;
  enrichment_status: string | null;
  tmdb_id: number | null;
  media_type: string | null;
  media_title: string | null;
}

/** The document fields the audit compares with PostgreSQL. */
type DocFields = Pick<
  TorrentDocument,
  'version' | 'enriched' | 'enriched_at' | 'tmdb_id' | 'media_type' | 'media_title'
>;

/**
 * Compares every row with its document: the document exists at the row's version (Elasticsearch's external
 * `_version` and the field), and carries exactly PostgreSQL's enrichment. Returns one line per mismatch.
 */
export async function compareRows(h: Harness): Promise<{ rows: number; mismatches: string[] }> {
  const index = h.config.ELASTICSEARCH_INDEX;
  await h.search.indices.refresh({ index });
  const mismatches: string[] = [];
  let after = '';
  let rows = 0;
  for (;;) {
    const page = await h.sql<PgRow[]>`
      SELECT t.info_hash, t.version, t.enriched_at, t.enrichment_status,
             m.tmdb_id, m.media_type, m.title AS media_title
      FROM torrents t LEFT JOIN media m ON m.id = t.media_id
      WHERE t.info_hash > ${after} ORDER BY t.info_hash LIMIT 1000`;
    if (page.length === 0) return { rows, mismatches };
    after = page.at(-1)!.info_hash;
    rows += page.length;
    const { docs } = await h.search.mget<DocFields>({
      index,
      ids: page.map((r) => r.info_hash),
      _source_includes: ['version', 'enriched', 'enriched_at', 'tmdb_id', 'media_type', 'media_title'],
    });
    page.forEach((row, i) => {
      const doc = docs[i];
      if (!doc || !('found' in doc) || !doc.found || !doc._source) {
        mismatches.push(`${row.info_hash}: missing from Elasticsearch`);
        return;
      }
      const differences = differ(row, doc._version ?? 0, doc._source);
      if (differences.length > 0) mismatches.push(`${row.info_hash}: ${differences.join(', ')}`);
    });
  }
}

function differ(row: PgRow, esVersion: number, doc: DocFields): string[] {
  const matched = row.enrichment_status === 'matched';
  const expected: Record<string, unknown> = {
    _version: Number(row.version),
    version: Number(row.version),
    // The document carries enrichment only for a match (buildTorrentDocument); a miss reads as not enriched.
    enriched: matched,
    enriched_at: matched ? (row.enriched_at?.getTime() ?? null) : null,
    tmdb_id: matched ? row.tmdb_id : null,
    media_type: matched ? row.media_type : null,
    media_title: matched ? row.media_title : null,
  };
  const actual: Record<string, unknown> = {
    ...doc,
    _version: esVersion,
    enriched_at: doc.enriched_at === null ? null : Date.parse(doc.enriched_at),
  };
  return Object.entries(expected)
    .filter(([field, value]) => actual[field] !== value)
    .map(
      ([field, value]) =>
        `${field} ${JSON.stringify(actual[field])} in ES, ${JSON.stringify(value)} in PostgreSQL`,
    );
}

/** Failed jobs by reason: those the soak made fail with bad input, and the others (each a violation). */
export function failedByReason(failed: readonly FailedJob[]): {
  badInput: number;
  others: Map<string, number>;
} {
  let badInput = 0;
  const others = new Map<string, number>();
  for (const job of failed) {
    const hash = (job.data as { infoHash?: unknown } | null)?.infoHash;
    if (typeof hash === 'string' && hash.startsWith(BAD_INPUT_MARK)) badInput++;
    else {
      const reason = `${job.queue}: ${job.reason.split(', got ')[0]!.slice(0, 120)}`;
      others.set(reason, (others.get(reason) ?? 0) + 1);
    }
  }
  return { badInput, others };
}

/** The tightest window of each Redis life's grants against capacity + refill·t. */
export function budgetWindows(
  segments: readonly number[][],
  capacity: number,
  refill: number,
): TightestWindow[] {
  return segments
    .filter((grants) => grants.length > 0)
    .map((grants) =>
      tightestWindow(
        [...grants].sort((a, b) => a - b),
        capacity,
        refill,
      ),
    );
}

/**
 * Memory that grows without bound shows as a last third of the fault phase peaking well above the first two
 * thirds; a worker killed and restarted starts low again, which only makes the check stricter.
 */
export function unboundedGrowth(samples: Record<string, [number, number][]>, phaseMs: number): string[] {
  const findings: string[] = [];
  for (const [worker, series] of Object.entries(samples)) {
    const peak = (from: number, to: number) =>
      Math.max(0, ...series.filter(([at]) => at >= from && at < to).map(([, bytes]) => bytes));
    const early = peak(0, (phaseMs * 2) / 3);
    const late = peak((phaseMs * 2) / 3, phaseMs);
    if (late > early * 1.5 && late - early > 64 * 2 ** 20) {
      findings.push(`${worker}: RSS peaked at ${mib(late)} in the last third vs ${mib(early)} before`);
    }
  }
  return findings;
}

export const mib = (bytes: number): string => `${Math.round(bytes / 2 ** 20)}MiB`;

export interface AuditInput {
  h: Harness;
  evidence: RedisEvidence;
  fleet: Fleet;
  /** RSS samples taken while faults were injected, and how long that lasted */
  rssDuringFaults: Record<string, [number, number][]>;
  phaseMs: number;
  torrents: number;
  badInputJobs: number;
  /** what the workers were given and must never print */
  secrets: Record<string, string>;
  capacity: number;
  refill: number;
  log: (message: string) => void;
}

export interface AuditResult {
  violations: string[];
  /** what each reconciler round found (the last one should be 0) */
  reconcileRounds: number[];
  /** rows whose document still differed from PostgreSQL after the reconciler (the row-by-row audit) */
  mismatchesLeft: number;
  failedBadInput: number;
  failedOthers: Map<string, number>;
  budget: TightestWindow[];
  peakRss: Map<string, number>;
}

/**
 * After the faults: reconcile until clean, compare every row, read failed jobs and the budget's ledger, check
 * memory, stop the workers and scan what they printed. Each broken promise is one line in `violations`.
 */
export async function finalAudit(input: AuditInput): Promise<AuditResult> {
  const { h, evidence, fleet, log } = input;
  const violations: string[] = [];
  const reconcileRounds = await reconcileUntilClean(h, log);
  if (reconcileRounds.at(-1) !== 0) {
    violations.push(`the reconciler still found rows after ${reconcileRounds.length} rounds`);
  }
  const { rows, mismatches } = await compareRows(h);
  if (rows !== input.torrents) violations.push(`${rows} rows in PostgreSQL, ${input.torrents} seeded`);
  violations.push(
    ...mismatches.slice(0, 20),
    ...(mismatches.length > 20 ? [`… ${mismatches.length - 20} more mismatches`] : []),
  );
  await evidence.collect();
  const failed = failedByReason(evidence.failed);
  for (const [reason, n] of failed.others) violations.push(`${n} job(s) failed: ${reason}`);
  if (failed.badInput !== input.badInputJobs) {
    violations.push(`${failed.badInput} bad-input jobs failed, ${input.badInputJobs} sent`);
  }
  const budget = budgetWindows(evidence.grantSegments, input.capacity, input.refill);
  budget.forEach((w, i) => {
    log(describeWindow(`TMDB budget, Redis life ${i + 1} with grants`, w));
    if (w.count > w.allowed + 1e-9)
      violations.push(describeWindow(`TMDB budget exceeded (life ${i + 1})`, w));
  });
  violations.push(...unboundedGrowth(input.rssDuringFaults, input.phaseMs), ...fleet.unexpectedDeaths);
  await fleet.stop();
  for (const found of findSecrets(fleet.outputs(), input.secrets)) violations.push(`secret leaked: ${found}`);
  const peakRss = new Map(
    Object.entries(fleet.rssSamples()).map(([w, series]) => [w, Math.max(0, ...series.map(([, b]) => b))]),
  );
  return {
    violations,
    reconcileRounds,
    mismatchesLeft: mismatches.length,
    failedBadInput: failed.badInput,
    failedOthers: failed.others,
    budget,
    peakRss,
  };
}
