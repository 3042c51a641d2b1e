import { createRequire } from 'node:module';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { InvalidPayloadError, SearchUnavailableError, outageOf } from './errors.js';

// The error classes ioredis itself throws, from the copy of redis-errors it resolves.
const fromIoredis = createRequire(createRequire(import.meta.url).resolve('ioredis'));
const { AbortError } = fromIoredis('redis-errors') as { AbortError: new (message: string) => Error };

describe('outageOf', () => {
  it("takes a MinatoError's own outage, and none from bad input", () => {
    expect(outageOf(new SearchUnavailableError('down'))).toMatchObject({ dependency: 'elasticsearch' });
    expect(outageOf(new InvalidPayloadError('bad'))).toBeNull();
  });

  it('calls a refused or reset connection unreachable by its code', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'CONNECTION_CLOSED']) {
      expect(outageOf(Object.assign(new Error(`connect ${code}`), { code })), code).toBe('unreachable');
    }
    expect(outageOf(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBeNull();
  });

  it('calls a MULTI that ioredis aborted as its connection closed unreachable, though it has no code', () => {
    // What BullMQ's addBulk rejects with when Redis goes away mid-transaction.
    expect(outageOf(new AbortError('Command aborted due to connection close'))).toBe('unreachable');
  });

  it('calls a command ioredis gave up on after maxRetriesPerRequest unreachable', async () => {
    // Port 1 answers nothing here: the command fails after its one retry, as a worker's would with Redis down.
    const redis = new Redis({ port: 1, maxRetriesPerRequest: 0, retryStrategy: () => 50, lazyConnect: true });
    redis.on('error', () => undefined);
    const error = await redis.ping().catch((e: unknown) => e);
    redis.disconnect();
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('MaxRetriesPerRequestError');
    expect(outageOf(error)).toBe('unreachable');
  });

  it('leaves any other error to the retry path', () => {
    expect(outageOf(new TypeError('x is undefined'))).toBeNull();
    expect(outageOf('a string')).toBeNull();
  });
});
