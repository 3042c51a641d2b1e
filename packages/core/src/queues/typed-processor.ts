import { UnrecoverableError, type Job } from 'bullmq';
import { isPermanent } from '../errors.js';
import { parsePayload, type Payload, type QueueName } from './job-catalog.js';

// A failedReason is stored with the job and shown by `minato status`: a 1 MB payload quoted in it must not be.
const MAX_REASON_CHARS = 500;

/** `message` cut to MAX_REASON_CHARS, saying how much was left out. */
export function failedReason(message: string): string {
  if (message.length <= MAX_REASON_CHARS) return message;
  return `${message.slice(0, MAX_REASON_CHARS)}… (${message.length - MAX_REASON_CHARS} more characters)`;
}

/** A processor as BullMQ calls it. */
export type JobProcessor<R = unknown> = (job: Job) => Promise<R>;

/**
 * A queue's processor: parses `job.data` with the catalog's schema, hands the typed payload to `handle`, and
 * turns a permanent error (bad input, whatever raised it) into BullMQ's UnrecoverableError so the job fails at
 * once with the original message (cut to a readable length); every other error is retried with the queue's backoff.
 */
export function typedProcessor<Q extends QueueName, R>(
  queue: Q,
  handle: (payload: Payload<Q>, job: Job) => Promise<R>,
): JobProcessor<R> {
  return async (job) => {
    try {
      return await handle(parsePayload(queue, job), job);
    } catch (error) {
      if (isPermanent(error)) throw new UnrecoverableError(failedReason(error.message));
      throw error;
    }
  };
}
