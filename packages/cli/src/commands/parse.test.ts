import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseLines } from './parse.js';

async function run(input: string | Buffer): Promise<string[]> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  await parseLines(Readable.from([input]), output);
  output.end();
  return Buffer.concat(chunks).toString('utf8').split('\n').slice(0, -1);
}

describe('minato parse --stdin', () => {
  it('writes one JSON object a line, in the order and number of the input lines', async () => {
    const lines = await run('The.Matrix.1999.1080p.BluRay.x264-GROUP\r\n\nBreaking.Bad.S05E14.720p.HDTV\n');
    expect(lines).toHaveLength(3);
    const [matrix, empty, episode] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(matrix).toMatchObject({ type: 'movie', title: 'The Matrix', year: 1999, enrichable: true });
    expect(empty).toMatchObject({ type: 'other', title: null, enrichable: false });
    expect(episode).toMatchObject({ type: 'tv', title: 'Breaking Bad', season: 5, episode: 14 });
    expect(Object.keys(matrix ?? {}).slice(0, 6)).toEqual([
      'type',
      'title',
      'year',
      'season',
      'episode',
      'enrichable',
    ]);
  });

  it('turns invalid UTF-8, control characters and a 100 KB line into "other" lines, never an error', async () => {
    const input = Buffer.concat([
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x0a]),
      Buffer.from('\u0000\u0007\u001b\n'),
      Buffer.from(`${'x'.repeat(100_000)}\n`),
    ]);
    const lines = (await run(input)).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatchObject({ type: 'other', enrichable: false });
  });

  it('stops without an error when the reader closes the pipe', async () => {
    const closed = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const input = Readable.from([Array.from({ length: 1_000 }, (_, i) => `Name.${i}.2019.1080p`).join('\n')]);
    await expect(parseLines(input, closed)).resolves.toBeLessThan(1_000);
  });
});
