import { describe, expect, it } from 'vitest';
import { sentinelNamesAlone } from './sentinel-grant-fence.js';

const fields = (flags: string, runid = 'a1') =>
  new Map([
    ['flags', flags],
    ['runid', runid],
  ]);

describe('sentinelNamesAlone', () => {
  it('confirms the master the sentinel names when it has no replica, or only unreachable ones', () => {
    expect(sentinelNamesAlone(fields('master'), [], 'a1')).toBe(true);
    expect(sentinelNamesAlone(fields('master'), [fields('slave,disconnected', 'b2')], 'a1')).toBe(true);
    expect(sentinelNamesAlone(fields('master'), [fields('s_down,slave,disconnected', 'b2')], 'a1')).toBe(true);
  });

  it('refuses a node the sentinel does not name as its master', () => {
    expect(sentinelNamesAlone(fields('master', 'b2'), [], 'a1')).toBe(false);
    expect(sentinelNamesAlone(new Map(), [], 'a1')).toBe(false);
  });

  it('refuses while a replica the sentinel reaches could hold the bucket instead (a promotion under way)', () => {
    expect(sentinelNamesAlone(fields('master'), [fields('slave', 'b2')], 'a1')).toBe(false);
    expect(sentinelNamesAlone(fields('master'), [fields('slave,promoted', 'b2')], 'a1')).toBe(false);
  });

  it('refuses a master the sentinel sees down or is failing over', () => {
    expect(sentinelNamesAlone(fields('master,s_down'), [], 'a1')).toBe(false);
    expect(sentinelNamesAlone(fields('master,s_down,o_down'), [], 'a1')).toBe(false);
    expect(sentinelNamesAlone(fields('master,failover_in_progress'), [], 'a1')).toBe(false);
  });
});
