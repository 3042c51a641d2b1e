/**
 * For sorted call times (ms), the largest excess over `capacity + refill·t (+slack)` of any window between
 * two calls, and how much of the allowance over the whole run was used.
 */
export function maxWindowExcess(
  times: number[],
  capacity: number,
  refillPerSecond: number,
  slack = 0,
): { excess: number; utilisation: number } {
  let excess = -Infinity;
  for (let i = 0; i < times.length; i++) {
    for (let j = i; j < times.length; j++) {
      const allowed = capacity + refillPerSecond * ((times[j]! - times[i]!) / 1000) + slack;
      excess = Math.max(excess, j - i + 1 - allowed);
    }
  }
  const span = times.length > 1 ? (times.at(-1)! - times[0]!) / 1000 : 0;
  return { excess, utilisation: times.length / (capacity + refillPerSecond * span) };
}
