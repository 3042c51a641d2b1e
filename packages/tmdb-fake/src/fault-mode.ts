/** How the fake answers TMDB requests: normally, or with one of the failures a client must survive. */
export type FaultKind = 'ok' | '429' | '500' | 'slow' | 'garbage' | 'huge';

export interface FaultMode {
  mode: FaultKind;
  /** seconds sent in `Retry-After` with a 429; 1 when absent */
  retryAfterSeconds?: number;
  /** milliseconds a `slow` answer waits before it is sent; 5000 when absent */
  delayMs?: number;
  /** how many requests get this answer before the fake returns to `ok`; every request when absent */
  count?: number;
  /** what a `garbage` answer holds: a body that is not JSON, or JSON of the wrong shape; `invalid-json` when absent */
  garbage?: 'invalid-json' | 'wrong-shape';
  /** at least how many bytes a `huge` answer (the right answer, padded) holds; 32 MiB when absent */
  hugeBytes?: number;
}

/** The mode as it stands, with how many requests it still applies to (`null`: every one). */
export interface FaultState extends Required<Omit<FaultMode, 'count'>> {
  remaining: number | null;
}

const kinds: readonly FaultKind[] = ['ok', '429', '500', 'slow', 'garbage', 'huge'];

/** Checks a mode sent to the control endpoint; throws an Error naming the field at fault. */
export function parseFaultMode(input: unknown): FaultMode {
  if (typeof input === 'string') input = { mode: input };
  if (typeof input !== 'object' || input === null)
    throw new Error('mode must be a JSON object like {"mode":"429"}');
  const raw = input as Record<string, unknown>;
  if (!kinds.includes(raw.mode as FaultKind)) {
    throw new Error(`mode must be one of ${kinds.join(', ')}, got ${JSON.stringify(raw.mode)}`);
  }
  const mode: FaultMode = { mode: raw.mode as FaultKind };
  const numbers = { retryAfterSeconds: 0, delayMs: 0, count: 1, hugeBytes: 1 } as const;
  for (const [field, minimum] of Object.entries(numbers) as [keyof typeof numbers, number][]) {
    const value = raw[field];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
      throw new Error(`${field} must be an integer of at least ${minimum}, got ${JSON.stringify(value)}`);
    }
    mode[field] = value;
  }
  if (raw.garbage !== undefined) {
    if (raw.garbage !== 'invalid-json' && raw.garbage !== 'wrong-shape') {
      throw new Error(`garbage must be "invalid-json" or "wrong-shape", got ${JSON.stringify(raw.garbage)}`);
    }
    mode.garbage = raw.garbage;
  }
  return mode;
}

/** Holds the current mode; each TMDB request takes the mode it gets, which counts down a limited mode. */
export class FaultSwitch {
  private state: FaultState = FaultSwitch.stateOf({ mode: 'ok' });

  set(mode: FaultMode): FaultState {
    this.state = FaultSwitch.stateOf(mode);
    return this.current();
  }

  current(): FaultState {
    return { ...this.state };
  }

  /** The mode for the request arriving now. */
  take(): FaultState {
    const taken = this.current();
    if (this.state.remaining !== null) {
      this.state.remaining -= 1;
      if (this.state.remaining <= 0) this.state = FaultSwitch.stateOf({ mode: 'ok' });
    }
    return taken;
  }

  private static stateOf(mode: FaultMode): FaultState {
    return {
      mode: mode.mode,
      retryAfterSeconds: mode.retryAfterSeconds ?? 1,
      delayMs: mode.delayMs ?? 5_000,
      garbage: mode.garbage ?? 'invalid-json',
      hugeBytes: mode.hugeBytes ?? 32 * 1024 * 1024,
      remaining: mode.mode === 'ok' ? null : (mode.count ?? null),
    };
  }
}
