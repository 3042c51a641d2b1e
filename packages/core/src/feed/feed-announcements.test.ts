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

  it('gathers a big statement into bulk jobs of 500 with the same ids in any listener, whatever the order', () => {
    const rows = 1_234;
    const chunks = Array.from({ length: 13 }, (_, c) => parseAnnouncement(payload(42, rows, c))!);
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
    const sorted = (w: FeedWork) => [...w.bulk].sort((x, y) => x.id.localeCompare(y.id));
    expect(sorted(reversed)).toEqual(sorted(inOrder));
    expect(inOrder.bulk.flatMap((j) => j.infoHashes)).toEqual(
      Array.from({ length: rows }, (_, i) => hash(i)),
    );
    expect(a.gathering).toBe(0);
  });

  it('forgets a group left incomplete by a lost connection', () => {
    const work: FeedWork = { live: [], bulk: [] };
    const assembler = new FeedAssembler();
    assembler.add(parseAnnouncement(payload(9, 1_000, 0))!, work);
    expect(assembler.gathering).toBe(1);
    assembler.reset();
    expect(assembler.gathering).toBe(0);
    expect(work.bulk).toEqual([]);
  });
});
