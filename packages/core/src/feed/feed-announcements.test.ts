import { describe, expect, it } from 'vitest';
import { FeedAssembler, parseAnnouncement, type FeedWork } from './feed-announcements.js';

const hash = (i: number) => i.toString(16).padStart(40, '0');
const payload = (statement: number, rows: number, chunk: number) => {
  const first = chunk * 100;
  const last = Math.min(rows, first + 100);
  const hashes = Array.from({ length: last - first }, (_, i) => hash(first + i));
  return `${statement}:${rows}:${chunk}:${hashes.join(',')}`;
};

describe('feed announcements', () => {
  it('reads the trigger payload and refuses anything else', () => {
    expect(parseAnnouncement(`7:2:0:${hash(1)},${hash(2)}`)).toEqual({
      statement: '7',
      rows: 2,
      chunk: 0,
      infoHashes: [hash(1), hash(2)],
    });
    expect(parseAnnouncement('hello')).toBeUndefined();
    expect(parseAnnouncement(`7:2:0:${hash(1)};DROP`)).toBeUndefined();
  });

  it('turns a small statement into live jobs at once', () => {
    const work: FeedWork = { live: [], bulk: [] };
    new FeedAssembler().add(parseAnnouncement(payload(1, 3, 0))!, work);
    expect(work.bulk).toEqual([]);
    expect(work.live).toEqual([0, 1, 2].map((i) => ({ id: `feed-1-${hash(i)}`, infoHash: hash(i) })));
  });

  it('gathers a big statement into bulk jobs of 500 with disjoint, ascending hash ranges and the same ids in any listener, whatever the order', () => {
    const rows = 1_234;
    // Hashes written in no order (a crawler's), announced 100 to a chunk in the order written.
    const written = Array.from({ length: rows }, (_, i) => hash((i * 7_919) % 104_729));
    const chunks = Array.from({ length: 13 }, (_, c) => ({
      statement: '42',
      rows,
      chunk: c,
      infoHashes: written.slice(c * 100, c * 100 + 100),
    }));
    const inOrder: FeedWork = { live: [], bulk: [] };
    const reversed: FeedWork = { live: [], bulk: [] };
    const a = new FeedAssembler();
    const b = new FeedAssembler();
    for (const chunk of chunks) a.add(chunk, inOrder);
    for (const chunk of [...chunks].reverse()) b.add(chunk, reversed);
    expect(inOrder.live).toEqual([]);
    expect(inOrder.bulk.map((j) => [j.id, j.infoHashes.length])).toEqual([
      ['feed-42-0', 500],
      ['feed-42-1', 500],
      ['feed-42-2', 234],
    ]);
    expect(reversed).toEqual(inOrder);
    expect(inOrder.bulk.flatMap((j) => j.infoHashes)).toEqual([...written].sort());
    expect(a.gathering).toBe(0);
  });

  it('sorts a statement bigger than its window one window at a time, numbering the jobs across windows', () => {
    const rows = 2_500;
    const written = Array.from({ length: rows }, (_, i) => hash((i * 7_919) % 104_729));
    const work: FeedWork = { live: [], bulk: [] };
    const assembler = new FeedAssembler(1_000);
    for (let c = 0; c < 25; c++) {
      assembler.add(
        { statement: '5', rows, chunk: c, infoHashes: written.slice(c * 100, c * 100 + 100) },
        work,
      );
      // A window's jobs go out as soon as its ten chunks are in, not at the statement's end.
      if (c === 9) expect(work.bulk.map((j) => j.id)).toEqual(['feed-5-0', 'feed-5-1']);
    }
    expect(work.bulk.map((j) => [j.id, j.infoHashes.length])).toEqual([
      ['feed-5-0', 500],
      ['feed-5-1', 500],
      ['feed-5-2', 500],
      ['feed-5-3', 500],
      ['feed-5-4', 500],
    ]);
    for (const [w, first, last] of [
      [0, 0, 1_000],
      [1, 1_000, 2_000],
      [2, 2_000, 2_500],
    ] as const) {
      const jobs = work.bulk.slice(w * 2, w * 2 + 2);
      expect(jobs.flatMap((j) => j.infoHashes)).toEqual(written.slice(first, last).sort());
    }
  });

  it('forgets a window left incomplete by a lost connection', () => {
    const work: FeedWork = { live: [], bulk: [] };
    const assembler = new FeedAssembler();
    assembler.add(parseAnnouncement(payload(9, 1_000, 0))!, work);
    expect(assembler.gathering).toBe(1);
    assembler.reset();
    expect(assembler.gathering).toBe(0);
    expect(work.bulk).toEqual([]);
  });
});
