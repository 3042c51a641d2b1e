/** What `bench/run.ts` was asked for: `--quick` shrinks every count for a fast iteration. */
export interface BenchOptions {
  quick: boolean;
  /** `--n=N`: torrents for the pass-1 throughput part (and `bench-scale`), instead of the default */
  count?: number;
  /** extra environment for the ingest worker (`--ingest-env=INGEST_CONCURRENCY=1000,...`), for experiments */
  ingestEnv?: Record<string, string>;
  /** when set (`--profile-dir=DIR`), ingest workers write a V8 CPU profile there on exit */
  profileDir?: string;
  /** `--live-jobs`: the pass-1 throughput part enqueues one live job per torrent instead of bulk jobs */
  liveJobs?: boolean;
}

/** `full` for `make bench`, `quick` under `--quick`. */
export function scaled(options: BenchOptions, full: number, quick: number): number {
  return options.quick ? quick : full;
}

/** Fixed seeds, so every run measures the same corpus. */
export const CORPUS_SEED = 20_260_101;
