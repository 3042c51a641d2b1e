import { UnrecoverableError, type Job } from 'bullmq';
import { payloadSchemas, type Payload, type QueueName } from './job-catalog.js';

/**
 * A processor's first step. An invalid payload can never succeed, so it fails the job at once
 * (UnrecoverableError skips the remaining attempts) with the schema's reason in `failedReason`.
 */
export function parsePayload<Q extends QueueName>(queue: Q, job: Job): Payload<Q> {
  const result = payloadSchemas[queue].safeParse(job.data);
  if (result.success) return result.data;
  const reason = result.error.issues.map((i) => `${i.path.join('.') || 'payload'} ${i.message}`).join('; ');
  throw new UnrecoverableError(
    `invalid ${queue} payload: ${reason}, got ${JSON.stringify(job.data)?.slice(0, 200)}`,
  );
}
