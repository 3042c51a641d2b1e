import { setTimeout as sleep } from 'node:timers/promises';
import { DeletionRepository, QUEUES, reconcile, removeOrphanDocuments, textArray } from '@minato/core';
import type { Harness } from '../../test/support/pipeline-harness.js';
import { describeWindow, tightestWindow, type TightestWindow } from '../../test/support/rate-windows.js';
import { compareRows } from '../../test/support/projection-audit.js';
import { findSecrets } from '../../test/support/secret-scan.js';
import type { FailedJob, RedisEvidence } from './evidence.js';
import type { Fleet } from './fleet.js';
import { reconcilerRepairs, type ReconcilerRepairs } from './reconciler-repairs.js';

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
        const c = await h.queues[q].getJobCounts('waiting', 'prioritized', 'delayed', 'active');
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

// What pass 2 fails a job with when TMDB answers garbage: bad input from TMDB, which fails its job by design.
const TMDB_GARBAGE_REASON = /^TMDB answered \S+ with a body that (is not JSON|does not fit its schema)/;

/**
 * Failed jobs by reason: those the soak made fail with bad input (its own jobs, and CLASSIFY jobs that met the
 * garbage the TMDB fake was switched to, when it was), and the others (each a violation).
 */
export function failedByReason(
  failed: readonly FailedJob[],
  { tmdbGarbageInjected }: { tmdbGarbageInjected: boolean },
): {
  badInput: number;
  tmdbGarbage: number;
  others: Map<string, number>;
} {
  let badInput = 0;
  let tmdbGarbage = 0;
  const others = new Map<string, number>();
  for (const job of failed) {
    const hash = (job.data as { infoHash?: unknown } | null)?.infoHash;
    if (typeof hash === 'string' && hash.startsWith(BAD_INPUT_MARK)) badInput++;
    else if (tmdbGarbageInjected && job.queue === 'CLASSIFY' && TMDB_GARBAGE_REASON.test(job.reason)) {
      tmdbGarbage++;
    } else {
      const reason = `${job.queue}: ${job.reason.split(', got ')[0]!.slice(0, 120)}`;
      others.set(reason, (others.get(reason) ?? 0) + 1);
    }
  }
  return { badInput, tmdbGarbage, others };
}

/**
 * Documents without a row, once the sync worker applied every deletion (its sweep polls each second; the
 * deadline only bounds a hang): the deletion record must leave none behind, whatever faults met it.
 */
async function orphanDocuments(h: Harness, log: (message: string) => void): Promise<number> {
  const deletions = new DeletionRepository(h.sql);
  const deadline = Date.now() + 5 * 60_000;
  while ((await deletions.counts()).pending > 0 && Date.now() < deadline) await sleep(1_000);
  const { pending, done } = await deletions.counts();
  log(`deletions: ${done} applied, ${pending} pending`);
  const index = h.config.ELASTICSEARCH_INDEX;
  return (await removeOrphanDocuments({ repository: h.repository, search: h.search, index, dryRun: true }))
    .orphans;
}

/** One line for each renamed row (still there) whose match is not the film its new name names. */
async function renamesUnmatched(h: Harness, renamed: ReadonlyMap<string, number>): Promise<string[]> {
  const rows = await h.sql<{ info_hash: string; title: string; tmdb_id: number | null }[]>`
    SELECT t.info_hash, t.title, m.tmdb_id FROM torrents t LEFT JOIN media m ON m.id = t.media_id
    WHERE t.info_hash = ANY(${textArray(h.sql, [...renamed.keys()])}::text[])`;
  return rows
    .filter((r) => r.tmdb_id !== renamed.get(r.info_hash))
    .map(
      (r) =>
        `renamed ${r.info_hash} ("${r.title}") carries TMDB ${r.tmdb_id}, not ${renamed.get(r.info_hash)}`,
    );
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
  /** rows the injector deleted */
  deletedRows: number;
  /** rows the injector renamed to another film, with the TMDB id their new name must carry */
  renamed: ReadonlyMap<string, number>;
  badInputJobs: number;
  /** whether the TMDB fake answered garbage at some point: the jobs that met it fail, as bad input does */
  tmdbGarbageInjected: boolean;
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
  /** documents left without a row once every deletion was applied */
  orphansLeft: number;
  /** renamed rows that do not carry the match of their new name */
  renamesUnmatched: number;
  failedBadInput: number;
  /** CLASSIFY jobs failed by the garbage TMDB answered while the fake was switched to it */
  failedTmdbGarbage: number;
  failedOthers: Map<string, number>;
  budget: TightestWindow[];
  peakRss: Map<string, number>;
  /** what the sync worker's own reconciler re-enqueued during the run, read from its `reconciled` lines */
  workerRepairs: ReconcilerRepairs;
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
  const expectedRows = input.torrents - input.deletedRows;
  if (rows !== expectedRows) {
    violations.push(`${rows} rows in PostgreSQL, ${input.torrents} seeded and ${input.deletedRows} deleted`);
  }
  const orphansLeft = await orphanDocuments(h, log);
  if (orphansLeft > 0) violations.push(`${orphansLeft} documents without a row`);
  const unmatched = await renamesUnmatched(h, input.renamed);
  violations.push(...unmatched);
  violations.push(
    ...mismatches.slice(0, 20),
    ...(mismatches.length > 20 ? [`… ${mismatches.length - 20} more mismatches`] : []),
  );
  await evidence.collect();
  const failed = failedByReason(evidence.failed, input);
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
    orphansLeft,
    renamesUnmatched: unmatched.length,
    failedBadInput: failed.badInput,
    failedTmdbGarbage: failed.tmdbGarbage,
    failedOthers: failed.others,
    budget,
    peakRss,
    workerRepairs: reconcilerRepairs(fleet.outputs()),
  };
}
