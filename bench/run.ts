// `make bench`: runs every part against the local services and prints a markdown report on stdout
// (progress on stderr). `--quick` shrinks the counts; `--only=<part>[,<part>]` runs some parts;
// `--ingest-env=NAME=VALUE[,...]` passes settings to the ingest workers (to try a tuning);
// `--profile-dir=DIR` makes the ingest workers write V8 CPU profiles there; `--n=N` sets the torrents of the
// pass-1 throughput part (200,000 by default, where its ratio to the ideal path is specified); `--live-jobs` makes
// that part enqueue one live job per torrent, as crawlers do, instead of bulk jobs (the live path's cost);
// `--engine=elasticsearch,opensearch` (or `all`: each found running) runs that part on each search engine in turn.
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createSearchEngine, ENGINE_LABEL, loadConfig, searchClientOptions } from '@minato/core';
import { runEnrichment } from './enrichment.js';
import { benchEngines } from './engines.js';
import { runFeed } from './feed.js';
import { cleanUpOnSignals } from './interrupt.js';
import type { BenchOptions } from './options.js';
import { runPass1Latency } from './pass1-latency.js';
import { runPass1Throughput } from './pass1-throughput.js';
import { progress } from './progress.js';
import { runSearchLatency } from './search-latency.js';
import { mib, section, table, type PartResult } from './report.js';
import type { RssPeak } from './worker-metrics.js';

interface ParseBenchModule {
  runParseBench(options?: BenchOptions): Promise<string>;
}

const parts: Record<string, (options: BenchOptions) => Promise<PartResult>> = {
  throughput: runPass1Throughput,
  latency: runPass1Latency,
  enrichment: runEnrichment,
  search: runSearchLatency,
  feed: runFeed,
};

async function main(): Promise<void> {
  cleanUpOnSignals();
  const args = process.argv.slice(2);
  const ingestEnv = args.find((a) => a.startsWith('--ingest-env='))?.slice('--ingest-env='.length);
  const profileDir = args.find((a) => a.startsWith('--profile-dir='))?.slice('--profile-dir='.length);
  const n = args.find((a) => a.startsWith('--n='))?.slice('--n='.length);
  const options: BenchOptions = {
    quick: args.includes('--quick'),
    liveJobs: args.includes('--live-jobs'),
    ...(n ? { count: Number(n) } : {}),
    ...(profileDir ? { profileDir } : {}),
    ingestEnv: Object.fromEntries(
      (ingestEnv ? ingestEnv.split(',') : []).map((pair) => {
        const eq = pair.indexOf('=');
        return [pair.slice(0, eq), pair.slice(eq + 1)];
      }),
    ),
  };
  const only = args
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const selected = Object.keys(parts).filter((name) => !only || only.includes(name));
  const sections: string[] = [];
  const loadAtStart = loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  const rss: RssPeak[] = [];
  let failures = 0;

  const engineSpec = args.find((a) => a.startsWith('--engine='))?.slice('--engine='.length);
  const engines = engineSpec ? await benchEngines(engineSpec) : [];
  for (const name of selected) {
    // With --engine, pass 1 against the ideal path once on each engine; the other parts on the default one.
    const runs = name === 'throughput' && engines.length > 0 ? engines : [{ label: '', env: {} }];
    for (const { label, env } of runs) {
      progress(`part ${name}${label ? ` on ${label}` : ''}: starting`);
      const saved = { ...process.env };
      Object.assign(process.env, env);
      try {
        const result = await parts[name]!(options);
        sections.push(label ? `### On ${label}\n\n${result.markdown}` : result.markdown);
        rss.push(...result.rss);
      } catch (error) {
        failures++;
        progress(`part ${name} failed: ${(error as Error).stack ?? String(error)}`);
        sections.push(
          section(`${name}${label ? ` on ${label}` : ''}`, `**Failed:** ${(error as Error).message}`),
        );
      } finally {
        process.env = saved;
      }
    }
  }
  if (!only || only.includes('parse')) {
    const parse = await parseBench(options);
    if (parse) sections.push(parse);
  }
  if (rss.length > 0) {
    sections.push(
      section(
        'Peak RSS per worker under load',
        table(
          ['worker', 'load', 'idle RSS', 'peak RSS', 'samples (every 250 ms)'],
          rss.map((r) => [r.worker, r.phase, mib(r.idleBytes), mib(r.peakBytes), String(r.samples)]),
        ),
      ),
    );
  }
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  sections.push(
    `_Load average (1/5/15 min) at the start: ${loadAtStart}; at the end: ${load}. On 2 cores, anything ` +
      'above ~2 means other users competed for the CPU during the run._',
  );
  const report = `${await header(options)}\n\n${sections.join('\n\n')}\n`;
  // Exit explicitly once the report is out: the in-process BullMQ worker of the floor measurement keeps
  // a Redis connection that core's worker wiring never closes (a worker process exits after its drain).
  process.stdout.write(report, () => process.exit(failures > 0 || process.exitCode ? 1 : 0));
}

/** The release-parsing benchmark, when its file is there (another part of the project writes it). */
async function parseBench(options: BenchOptions): Promise<string | null> {
  if (!existsSync(new URL('./parse.ts', import.meta.url))) return null;
  progress('part parse: starting');
  try {
    const specifier = './parse.js';
    const module = (await import(specifier)) as ParseBenchModule;
    return await module.runParseBench(options);
  } catch (error) {
    progress(`part parse failed: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
    return section('Release parsing', `**Failed:** ${(error as Error).message}`);
  }
}

async function header(options: BenchOptions): Promise<string> {
  const search = createSearchEngine(searchClientOptions(loadConfig(process.env)));
  const engine = await search
    .info()
    .then(({ engine: name, version }) => `${ENGINE_LABEL[name]} ${version}`)
    .catch(() => 'search engine unknown')
    .finally(() => search.close());
  return [
    `# Minato benchmark report${options.quick ? ' (--quick: reduced counts)' : ''}`,
    `${new Date().toISOString()} · ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}) · ` +
      `Node ${process.version} · ${engine} · Redis, PostgreSQL and the search engine on the ` +
      'same machine, shared with other users',
  ].join('\n\n');
}

main().catch((error: unknown) => {
  progress(`benchmark aborted: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
