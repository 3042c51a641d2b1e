import { describe, expect, it } from 'vitest';
import { sentinelNamesAlone } from './sentinel-grant-fence.js';

const fields = (flags: string, runid = 'a1', link = 'ok') =>
  new Map([
    ['ip', '10.0.0.1'],
    ['port', '6379'],
    ['flags', flags],
    ['runid', runid],
    ['master-link-status', link],
  ]);
const node = { runId: 'a1', address: '10.0.0.1:6379' };

describe('sentinelNamesAlone', () => {
  it('confirms the master the sentinel names when no replica of it is both reachable and replicating', () => {
    expect(sentinelNamesAlone(fields('master'), [], node)).toBe(true);
    expect(sentinelNamesAlone(fields('master'), [fields('slave,disconnected', 'b2')], node)).toBe(true);
    expect(sentinelNamesAlone(fields('master'), [fields('s_down,slave,disconnected', 'b2')], node)).toBe(
      true,
    );
    // syncing, or a demoted master not yet turned into a replica
    expect(sentinelNamesAlone(fields('master'), [fields('slave', 'b2', 'err')], node)).toBe(true);
  });

  it('refuses a node the sentinel does not name as its master', () => {
    expect(sentinelNamesAlone(fields('master', 'b2'), [], node)).toBe(false);
    expect(sentinelNamesAlone(new Map(), [], node)).toBe(false);
  });

  it('knows a new master by its address until the sentinel has read its run_id', () => {
    expect(sentinelNamesAlone(fields('master', ''), [], node)).toBe(true);
    expect(sentinelNamesAlone(fields('master', ''), [], { ...node, address: '10.0.0.2:6379' })).toBe(false);
  });

  it('refuses while a replica the sentinel reaches could hold the bucket instead (a promotion under way)', () => {
    expect(sentinelNamesAlone(fields('master'), [fields('slave', 'b2')], node)).toBe(false);
    expect(sentinelNamesAlone(fields('master'), [fields('slave,promoted', 'b2')], node)).toBe(false);
  });

  it('refuses a master the sentinel sees down or is failing over', () => {
    expect(sentinelNamesAlone(fields('master,s_down'), [], node)).toBe(false);
    expect(sentinelNamesAlone(fields('master,s_down,o_down'), [], node)).toBe(false);
    expect(sentinelNamesAlone(fields('master,failover_in_progress'), [], node)).toBe(false);
  });
});
