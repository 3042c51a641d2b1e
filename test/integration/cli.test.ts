import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { startNode } from '../support/worker-processes.js';

const commands = ['migrate', 'seed', 'enqueue', 'status', 'backfill', 'reindex', 'search', 'parse'];

describe('the minato command', () => {
  let h: Harness;
  let dir: string;
  const minato = async (...args: string[]) => {
    const proc = startNode(['packages/cli/dist/main.js', ...args], h.env);
    const { code } = await proc.exited;
    return { code, output: proc.output() };
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
    const { code, output } = await minato(command, '--help');
    expect(code).toBe(0);
    expect(output).toMatch(new RegExp(`^Usage: minato ${command}`, 'm'));
  });

  it('seeds from a file, enqueues what still needs ingest, and reports it in status --json', async () => {
    const file = join(dir, 'names.txt');
    await writeFile(file, 'Arrival.2016.1080p.BluRay.x264-SPARKS\n\nPink Floyd - The Wall (1979) [FLAC]\n');
    const seeded = await minato('seed', '--from-file', file);
    expect(seeded.output).toMatch(/2 inserted/);
    const enqueued = await minato('enqueue', 'ingest', '--all');
    expect(enqueued.output).toMatch(/2 enqueued on TORRENT_INGEST/);
    const status = await minato('status', '--json');
    const parsed = JSON.parse(status.output.trim()) as {
      postgres: { torrents: number };
      queues: { TORRENT_INGEST: { waiting: number } };
    };
    expect(parsed.postgres.torrents).toBe(2);
    expect(parsed.queues.TORRENT_INGEST.waiting).toBe(2);
  });

  it('counts without enqueueing on backfill --dry-run', async () => {
    const { code, output } = await minato('backfill', '--dry-run');
    expect(code).toBe(0);
    expect(output).toMatch(/2 scanned; would enqueue 2 for ingest, 0 for sync, 0 for classify/);
  });

  it('refuses an invalid info hash with a message naming it', async () => {
    const { code, output } = await minato('enqueue', 'sync', 'xyz');
    expect(code).toBe(1);
    expect(output).toMatch(/info hash must be 40 \(v1\) or 64 \(v2\) hex characters, got "xyz"/);
  });
});
