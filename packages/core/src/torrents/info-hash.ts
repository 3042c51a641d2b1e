import { InvalidInfoHashError } from '../errors.js';

const INFO_HASH = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** Lowercases and checks an info hash: 40 hex characters (BitTorrent v1) or 64 (v2). */
export function normalizeInfoHash(value: string): string {
  const hash = value.trim().toLowerCase();
  if (!INFO_HASH.test(hash)) {
    throw new InvalidInfoHashError(
      `info hash must be 40 (v1) or 64 (v2) hex characters, got ${JSON.stringify(value.slice(0, 80))}`,
      { value: value.slice(0, 80) },
    );
  }
  return hash;
}

/** True when `value` is already a normalized info hash. */
export function isInfoHash(value: string): boolean {
  return INFO_HASH.test(value);
}
