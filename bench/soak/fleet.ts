import type { WorkerName } from '../../test/support/worker-processes.js';
import { startBenchWorker, stopBenchWorker, type BenchWorker } from '../workers.js';
import { residentBytes } from '../worker-metrics.js';

/** One worker slot (`enrichment-2`): whichever process fills it now, and everything its processes printed. */
interface Slot {
  label: string;
  name: WorkerName;
  current: BenchWorker | null;
  /** outputs of the processes that filled the slot before */
  pastOutput: string[];
  /** RSS samples over the whole run: [ms since the fleet started, bytes] */
  rss: [number, number][];
}

/** The workers of the soak: replaced at once when the injector kills one, and watched for deaths nobody caused. */
export class Fleet {
  private readonly slots: Slot[];
  private readonly started = Date.now();
  private sampler: NodeJS.Timeout | null = null;
  /** workers that exited while nobody was killing them, each with its last lines */
  readonly unexpectedDeaths: string[] = [];

  constructor(
    private readonly env: Record<string, string>,
    layout: Record<WorkerName, number>,
    /** what one kind of worker gets on top of `env` */
    private readonly envOf: Partial<Record<WorkerName, Record<string, string>>> = {},
  ) {
    this.slots = (Object.entries(layout) as [WorkerName, number][]).flatMap(([name, count]) =>
      Array.from({ length: count }, (_, i) => ({
        label: `${name}-${i + 1}`,
        name,
        current: null,
        pastOutput: [],
        rss: [],
      })),
    );
  }

  get labels(): string[] {
    return this.slots.map((s) => s.label);
  }

  async start(): Promise<void> {
    for (const slot of this.slots) await this.fill(slot);
    this.sampler = setInterval(() => void this.sampleRss(), 2_000);
  }

  /** SIGKILLs the worker in a random slot and starts its replacement at once; returns the slot's label. */
  async killOne(random: () => number): Promise<string> {
    const slot = this.slots[Math.floor(random() * this.slots.length)]!;
    const victim = slot.current;
    slot.current = null;
    if (victim) {
      victim.unregister();
      victim.process.child.kill('SIGKILL');
      await victim.process.exited;
      slot.pastOutput.push(victim.process.output());
    }
    await this.fill(slot);
    return slot.label;
  }

  /** Every output of every process, by slot: what the secret scan reads. */
  outputs(): Record<string, string> {
    return Object.fromEntries(
      this.slots.map((s) => [s.label, [...s.pastOutput, s.current?.process.output() ?? ''].join('\n')]),
    );
  }

  /** The RSS samples of each slot. */
  rssSamples(): Record<string, [number, number][]> {
    return Object.fromEntries(this.slots.map((s) => [s.label, s.rss]));
  }

  async stop(): Promise<void> {
    if (this.sampler) clearInterval(this.sampler);
    await Promise.all(
      this.slots.map(async (slot) => {
        const worker = slot.current;
        slot.current = null;
        if (worker) {
          await stopBenchWorker(worker);
          slot.pastOutput.push(worker.process.output());
        }
      }),
    );
  }

  private async fill(slot: Slot): Promise<void> {
    const env = { ...this.env, ...this.envOf[slot.name] };
    const worker = await startBenchWorker(slot.name, env, { label: slot.label });
    slot.current = worker;
    void worker.process.exited.then(async (exit) => {
      if (slot.current !== worker) return;
      const how = exit.signal ? `signal ${exit.signal}` : `code ${String(exit.code)}`;
      this.unexpectedDeaths.push(
        `${slot.label} exited with ${how}; its last output:\n${worker.process.tail()}`,
      );
      slot.pastOutput.push(worker.process.output());
      slot.current = null;
      await this.fill(slot).catch((error: unknown) => {
        this.unexpectedDeaths.push(`${slot.label} could not be restarted: ${(error as Error).message}`);
      });
    });
  }

  private async sampleRss(): Promise<void> {
    const at = Date.now() - this.started;
    for (const slot of this.slots) {
      const rss = slot.current ? await residentBytes(slot.current.pid) : null;
      if (rss !== null) slot.rss.push([at, rss]);
    }
  }
}
