import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { SECURE_PORT, secureNodeFlags, TLS_PORT } from './secure-elasticsearch.js';
import { repoRoot } from './worker-processes.js';

const nodes = [
  { name: 'elasticsearch-secure', flags: secureNodeFlags(SECURE_PORT) },
  { name: 'elasticsearch-tls', flags: secureNodeFlags(TLS_PORT, { tls: true }) },
];

/**
 * Vitest globalSetup of the integration tier: boots the nodes with security on in the background, so that by the
 * time a file needs one (40–60 s each, more under load) it answers. Not awaited, and detached: a file's own `start`
 * of the same node waits for this one (the script holds a lock per port) and reports its failure, if any.
 */
export default function startSharedElasticsearchNodes(): void {
  const logs = join(repoRoot, '.cache/test-logs');
  mkdirSync(logs, { recursive: true });
  for (const { name, flags } of nodes) {
    const logFile = join(logs, `${name}.log`);
    // Appended to: a run started while another's boot is under way writes beside it, not over it.
    const log = openSync(logFile, 'a');
    const boot = spawn('deploy/local/elasticsearch.sh', ['start', ...flags], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    boot.on('error', (error) =>
      appendFileSync(logFile, `could not run elasticsearch.sh: ${error.message}\n`),
    );
    boot.unref();
  }
}
