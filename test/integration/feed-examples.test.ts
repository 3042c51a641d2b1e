import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { syntheticTorrents, type NewTorrent } from '@minato/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { searchableAndAcknowledged } from '../support/feed-crawl.js';
import { pipelinePerTest } from '../support/pipeline-per-test.js';
import { repoRoot } from '../support/worker-processes.js';

const run = promisify(execFile);
const pythonDir = join(repoRoot, 'examples/python-crawler');
const goDir = join(repoRoot, 'examples/go-crawler');

/** Runs a crawler with the torrents as TSV on its stdin; rejects with its output when it exits non-zero. */
function crawl(command: string, args: string[], env: Record<string, string>, torrents: NewTorrent[]) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: 'pipe' });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${String(code)}:\n${out}`)),
    );
    child.stdin.end(torrents.map((t) => `${t.infoHash}\t${t.title}\t${t.size}\n`).join(''));
  });
}

describe('the example crawlers, which only write rows, against the real services', () => {
  const pipeline = pipelinePerTest({ FEED: 'notify' });
  let python = '';
  let goCrawler = '';
  beforeAll(async () => {
    // A venv from PyPI, kept between runs under .cache (never in the checkout, which lint walks), and a Go build
    // through the module proxy.
    const venv = join(repoRoot, '.cache', 'python-crawler-venv');
    if (!existsSync(join(venv, 'bin/python'))) await run('python3', ['-m', 'venv', venv]);
    await run(join(venv, 'bin/pip'), ['install', '-q', '-r', join(pythonDir, 'requirements.txt')]);
    python = join(venv, 'bin/python');
    goCrawler = join(await mkdtemp(join(tmpdir(), 'go-crawler-')), 'go-crawler');
    await run('go', ['build', '-o', goCrawler, '.'], { cwd: goDir });
  }, 300_000);

  it('makes 200 torrents INSERTed one by one by the Python crawler (psycopg) searchable', async () => {
    await pipeline.start('ingest');
    const h = pipeline.h;
    const torrents = syntheticTorrents(200, 41);
    // libpq takes the schema as a server option, not as ?search_path=
    const url = h.env.DATABASE_URL.replace(/\?search_path=(\w+)$/, '?options=-csearch_path%3D$1');
    const out = await crawl(python, [join(pythonDir, 'crawler.py')], { DATABASE_URL: url }, torrents);
    expect(out).toContain('inserted 200 torrents');
    await searchableAndAcknowledged(
      h,
      torrents.map((t) => t.infoHash),
    );
  });

  it('makes 5,000 torrents COPYed by the Go crawler (pgx) searchable', async () => {
    await pipeline.start('ingest');
    const h = pipeline.h;
    const torrents = syntheticTorrents(5_000, 42);
    // pgx passes ?search_path= to the server as a run-time parameter
    const out = await crawl(goCrawler, [], { DATABASE_URL: h.env.DATABASE_URL }, torrents);
    expect(out).toContain('copied 5000 torrents');
    await searchableAndAcknowledged(
      h,
      torrents.map((t) => t.infoHash),
    );
  });
});
