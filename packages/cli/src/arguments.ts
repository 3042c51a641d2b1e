import { InvalidArgumentError } from 'commander';

/** Commander's parser for a count or a limit. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`must be a positive integer, got "${value}"`);
  return n;
}

/** Commander's parser for `--since`. */
export function date(value: string): Date {
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime()))
    throw new InvalidArgumentError(`must be a date like 2026-11-01, got "${value}"`);
  return parsed;
}
