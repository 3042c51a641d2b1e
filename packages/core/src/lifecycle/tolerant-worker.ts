import { Worker, type Job, type JobJson } from 'bullmq';

/**
 * A BullMQ Worker that survives job data which is not JSON (written straight into Redis by something other
 * than our producers). BullMQ parses it before the processor runs, and a parse error there leaves the job
 * active until it stalls, to fail much later with a misleading reason. Here such a job is created with no
 * data and remembered, so the processor can fail it at once, saying why (`rawDataOf`).
 */
export class TolerantWorker extends Worker {
  private readonly unparseable = new WeakMap<Job, string>();
  /** told of every job the worker takes, as BullMQ creates it and before it decides on the next fetch */
  onTaken: (job: Job) => void = () => undefined;

  /** The raw data of a job whose data was not JSON; undefined for every other job. */
  rawDataOf(job: Job): string | undefined {
    return this.unparseable.get(job);
  }

  protected override createJob(raw: JobJson, jobId: string): Job {
    const job = this.parsedJob(raw, jobId);
    this.onTaken(job);
    return job;
  }

  private parsedJob(raw: JobJson, jobId: string): Job {
    try {
      return super.createJob(raw, jobId);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      const job = super.createJob({ ...raw, data: '{}' }, jobId);
      this.unparseable.set(job, raw.data);
      return job;
    }
  }
}
