const started = Date.now();

/** A progress line on stderr (stdout carries only the markdown report). */
export function progress(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${seconds}s] ${message}\n`);
}

/** Resolves after `ms`; only for pacing load (one enqueue every N ms), never to wait for a condition. */
export function pace(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
