import { createHarness, type Harness } from '../test/support/pipeline-harness.js';
import { onInterrupt } from './interrupt.js';

/**
 * The integration tests' harness (own queue prefix, index alias and PostgreSQL schema), whose cleanup
 * also runs if the benchmark is interrupted, and still drops the schema and closes the clients when
 * Elasticsearch fails during the harness's own cleanup (it stops at the first error).
 */
export async function openHarness(overrides: Record<string, string> = {}): Promise<Harness> {
  const h = await createHarness(overrides);
  const schema = h.env.QUEUE_PREFIX.replace(/-/g, '_');
  const close = async () => {
    try {
      await h.close();
    } catch (error) {
      await h.sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await Promise.allSettled([h.redis.quit(), h.sql.end({ timeout: 5 }), h.search.close()]);
      throw error;
    }
  };
  const unregister = onInterrupt(close);
  return {
    ...h,
    close: async () => {
      unregister();
      await close();
    },
  };
}
