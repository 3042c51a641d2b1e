/** The window of a run of grants that comes closest to (or goes furthest over) `capacity + refill·t`. */
export interface TightestWindow {
  /** grants inside the window, both ends included */
  count: number;
  /** capacity + refill·(window length) */
  allowed: number;
  seconds: number;
  /** grants over the whole run divided by what the bound allowed over it */
  utilisation: number;
}

/**
 * For grant times in microseconds, sorted, the tightest closed window [a, b] between two grants. Times read from
 * the bucket's own ledger are the very clock readings the Lua script refilled with, so the bound is exact:
 * `count <= allowed` with no slack.
 */
export function tightestWindow(
  sortedUs: number[],
  capacity: number,
  refillPerSecond: number,
): TightestWindow {
  let tightest = { count: 0, allowed: Infinity, seconds: 0 };
  for (let i = 0; i < sortedUs.length; i++) {
    for (let j = i; j < sortedUs.length; j++) {
      const seconds = (sortedUs[j]! - sortedUs[i]!) / 1e6;
      const count = j - i + 1;
      const allowed = capacity + refillPerSecond * seconds;
      if (count - allowed > tightest.count - tightest.allowed) tightest = { count, allowed, seconds };
    }
  }
  const span = sortedUs.length > 1 ? (sortedUs.at(-1)! - sortedUs[0]!) / 1e6 : 0;
  return { ...tightest, utilisation: sortedUs.length / (capacity + refillPerSecond * span) };
}

/** One line for the test log: how the tightest window compares with its bound. */
export function describeWindow(what: string, w: TightestWindow): string {
  return (
    `${what}: tightest window ${String(w.count)} in ${w.seconds.toFixed(3)} s vs ${w.allowed.toFixed(3)} allowed, ` +
    `utilisation ${(w.utilisation * 100).toFixed(1)}%`
  );
}
