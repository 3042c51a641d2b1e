import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '@minato/core';

/** A unique lowercase name for a test's index alias or queue prefix. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** The config of the local services (`make services`), with overrides. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ ...process.env, LOG_LEVEL: 'silent', ...overrides });
}
