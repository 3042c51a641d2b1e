import { createHarness, type Harness } from '../test/support/pipeline-harness.js';
import { onInterrupt } from './interrupt.js';

/**
 * The integration tests' harness (own queue prefix, index alias and PostgreSQL schema), whose cleanup
 * also runs if the benchmark is interrupted.
 */
export async function openHarness(overrides: Record<string, string> = {}): Promise<Harness> {
  const h = await createHarness(overrides);
  const unregister = onInterrupt(() => h.close());
  return {
    ...h,
    close: async () => {
      unregister();
      await h.close();
    },
  };
}
