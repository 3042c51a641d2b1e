import { isPermanent, type MinatoError } from '../errors.js';

/** One torrent of a job that can never succeed, with the error that says why. */
export interface FailedTorrent {
  infoHash: string;
  error: MinatoError;
}

/**
 * Splits settled per-torrent results: fulfilled values, permanent failures (recorded, the others go on), and the
 * first transient error, which the caller rethrows once the healthy torrents were handled, so the job is retried.
 */
export function settleTorrents<T>(
  hashes: readonly string[],
  settled: readonly PromiseSettledResult<T>[],
): { done: { infoHash: string; value: T }[]; failed: FailedTorrent[]; retry: Error | null } {
  const done: { infoHash: string; value: T }[] = [];
  const failed: FailedTorrent[] = [];
  let retry: Error | null = null;
  settled.forEach((outcome, i) => {
    const infoHash = hashes[i] ?? '';
    if (outcome.status === 'fulfilled') done.push({ infoHash, value: outcome.value });
    else if (isPermanent(outcome.reason)) failed.push({ infoHash, error: outcome.reason });
    else retry ??= asError(outcome.reason);
  });
  return { done, failed, retry };
}

/** A rejection reason as an Error, so that it can be rethrown as one. */
export function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
