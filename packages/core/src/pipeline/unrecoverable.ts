import { UnrecoverableError } from 'bullmq';
import { DocumentRejectedError, InvalidInfoHashError, TorrentNotFoundError } from '../errors.js';

/**
 * Runs a job body, turning errors that no retry can fix (a missing row, a document the mapping rejects)
 * into BullMQ's UnrecoverableError, so the job fails at once with the original message as its reason.
 */
export async function failFastOnPermanentErrors<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (
      error instanceof TorrentNotFoundError ||
      error instanceof DocumentRejectedError ||
      error instanceof InvalidInfoHashError
    ) {
      throw new UnrecoverableError(error.message);
    }
    throw error;
  }
}
