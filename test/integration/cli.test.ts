import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashesOf } from '@minato/core';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { runNode, withOutput, type Completed } from '../support/worker-processes.js';

const commands = [
  'migrate',
  'seed',
  'enqueue',
  'status',
  'delete',
  'backfill',
  'reindex',
  'restore-done',
  'search',
  'parse',
];

describe('the minato command', () => {
  let h: Harness;
  let dir: string;
  const minato = (...args: string[]) => runNode(['packages/cli/dist/main.js', ...args], h.env);
  /** Runs a command that must succeed; a failure shows everything it printed. */
  const succeed = async (...args: string[]): Promise<Completed> => {
    const result = await minato(...args);
    expect(result.code, withOutput(result)).toBe(0);
    return result;
  };
  beforeAll(async () => {
    h = await createHarness();
    dir = await mkdtemp(join(tmpdir(), 'minato-cli-'));
  });
  afterAll(async () => {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(commands)('%s --help describes the command', async (command) => {
    const { output } = await succeed(command, '--help');
    expect(output).toMatch(new RegExp(`^Usage: minato ${command}`, 'm'));
  });

  it('seeds from a file, enqueues what still needs ingest, and reports it in status --json', async () => {
    const file = join(dir, 'names.txt');
    await writeFile(file, 'Arrival.2016.1080p.BluRay.x264-SPARKS\n\nPink Floyd - The Wall (1979) [FLAC]\n');
    const seeded = await succeed('seed', '--from-file', file);
    expect(seeded.output).toMatch(/2 inserted/);
    const enqueued = await succeed('enqueue', 'ingest', '--all');
    expect(enqueued.output).toMatch(/2 enqueued on TORRENT_INGEST/);
    const status = await succeed('status', '--json');
    const parsed = JSON.parse(status.output.trim()) as {
      postgres: { torrents: number };
      queues: { TORRENT_INGEST: { prioritized: number; backlog: number } };
    };
    expect(parsed.postgres.torrents).toBe(2);
    // `enqueue --all` sends bulk jobs: one job carrying both torrents, counted in torrents by `backlog`.
    expect(parsed.queues.TORRENT_INGEST.prioritized).toBe(1);
    expect(parsed.queues.TORRENT_INGEST.backlog).toBe(2);
  });

  it('sends only the film, not the album, to CLASSIFY on enqueue classify --all', async () => {
    const { output } = await succeed('enqueue', 'classify', '--all');
    expect(output).toMatch(/1 enqueued on CLASSIFY/);
    // One bulk job, carrying the film alone.
    const [job] = await h.queues.CLASSIFY.getPrioritized();
    expect(job && hashesOf(job.data)).toHaveLength(1);
  });

  it('counts without enqueueing on backfill --dry-run', async () => {
    const { output } = await succeed('backfill', '--dry-run');
    expect(output).toMatch(/2 scanned; would enqueue 2 for ingest, 0 for sync, 0 for classify/);
  });

  it('refuses an invalid info hash with one line naming it, as a wrong argument (exit status 2)', async () => {
    const result = await minato('enqueue', 'sync', 'xyz');
    expect(result.code, withOutput(result)).toBe(2);
    expect(result.output.trim()).toMatch(
      /^minato: info hash must be 40 \(v1\) or 64 \(v2\) hex characters, got "xyz"$/,
    );
  });
});
