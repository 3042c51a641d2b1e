/**
 * Gathers the calls made in the same turn of the event loop into one batched call, then hands each caller
 * its own result. Concurrent jobs use it to share one `WHERE info_hash = ANY(...)` or one `addBulk`.
 */
export class MicroBatcher<T, R> {
  private pending: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    /** receives the items in call order and returns one result per item, in the same order */
    private readonly handler: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 1_000,
  ) {}

  /** Queues `item` for the next batch and resolves with its result. */
  call(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.run();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.run());
      }
    });
  }

  private run(): void {
    this.scheduled = false;
    const batch = this.pending.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    this.handler(batch.map((b) => b.item)).then(
      (results) => batch.forEach((b, i) => b.resolve(results[i] as R)),
      (error: unknown) => batch.forEach((b) => b.reject(error)),
    );
  }
}
