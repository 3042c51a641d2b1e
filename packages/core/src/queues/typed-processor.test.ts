import { UnrecoverableError, type Job } from 'bullmq';
import { describe, expect, it, vi } from 'vitest';
import { TorrentNotFoundError, TorrentRetitledError } from '../errors.js';
import { typedProcessor } from './typed-processor.js';

const hash = 'ab'.repeat(20);
const job = (data: unknown) => ({ id: '1', name: 'CLASSIFY', data }) as Job;

/** The error `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.fail('the processor resolved'),
    (error: unknown) => error as Error,
  );
}

describe('typedProcessor', () => {
  it('fails a payload of the wrong shape at once, naming the queue and the field, without calling the handler', async () => {
    const handle = vi.fn(() => Promise.resolve());
    const error = await rejection(typedProcessor('CLASSIFY', handle)(job({ infoHash: 42 })));
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(error.message).toMatch(/^invalid CLASSIFY payload: infoHash .*string.*, got \{"infoHash":42\}$/);
    const bulk = await rejection(typedProcessor('ES_SYNC', handle)(job({ infoHashes: [hash, 'xyz'] })));
    expect(bulk).toBeInstanceOf(UnrecoverableError);
    expect(bulk.message).toMatch(
      /^invalid ES_SYNC payload: infoHashes\.1 must be a lowercase 40- or 64-character/,
    );
    expect(handle).not.toHaveBeenCalled();
  });

  it('quotes only the first 200 characters of a 1 MB payload in the reason', async () => {
    const processor = typedProcessor('TORRENT_INGEST', () => Promise.resolve());
    const error = await rejection(processor(job({ infoHash: 'a'.repeat(1_000_000) })));
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(error.message).toMatch(
      /^invalid TORRENT_INGEST payload: infoHash must be a lowercase 40- or 64-character hex info hash, got \{"infoHash":"a{187}$/,
    );
  });

  it('cuts the reason of a permanent error to 500 characters, saying how many were left out', async () => {
    const processor = typedProcessor('CLASSIFY', () =>
      Promise.reject(new TorrentNotFoundError('x'.repeat(10_000))),
    );
    const error = await rejection(processor(job({ infoHash: hash })));
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(error.message).toBe(`${'x'.repeat(500)}… (9500 more characters)`);
  });

  it('hands a valid payload to the handler parsed, and leaves an error that is not permanent to be retried', async () => {
    const handle = vi.fn(() => Promise.resolve('done'));
    const live = job({ infoHash: hash, sentBy: 'a crawler' });
    await expect(typedProcessor('TORRENT_INGEST', handle)(live)).resolves.toBe('done');
    // Parsed, not passed through: keys the schema does not know are dropped.
    expect(handle).toHaveBeenCalledWith({ infoHash: hash }, live);
    await expect(typedProcessor('CLASSIFY', handle)(job({ infoHashes: [hash] }))).resolves.toBe('done');
    expect(handle).toHaveBeenLastCalledWith({ infoHashes: [hash] }, expect.anything());

    const retitled = new TorrentRetitledError(`${hash} was retitled during its match`);
    const error = await rejection(
      typedProcessor('CLASSIFY', () => Promise.reject(retitled))(job({ infoHash: hash })),
    );
    expect(error).toBe(retitled);
  });
});
