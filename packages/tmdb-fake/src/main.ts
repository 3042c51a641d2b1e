import { parseArgs } from 'node:util';
import { DEFAULT_API_KEY, startTmdbFake } from './tmdb-fake.js';
import { defaultCatalog } from './catalog/index.js';

const usage = `Usage: pnpm tmdb-fake [--port P] [--host H] [--api-key K]

A local TMDB v3-compatible server for dev and tests.
  --port P      port to listen on (default 8787; 0 picks a free one)
  --host H      address to bind (default 127.0.0.1)
  --api-key K   the key accepted as api_key or Bearer token (default ${DEFAULT_API_KEY})
  --help        show this text

TMDB paths are served under /3 (set TMDB_BASE_URL to the printed base URL), generated posters under
/t/p/w500 (set TMDB_IMAGE_BASE_URL to it).
Control: POST /__control/mode {"mode":"ok"|"429"|"500"|"slow"|"garbage"|"huge", "retryAfterSeconds"?,
"delayMs"?, "count"?, "garbage"?: "invalid-json"|"wrong-shape", "hugeBytes"?}; GET /__control/mode; GET|DELETE /__control/requests;
POST /__control/reset.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      'api-key': { type: 'string', default: DEFAULT_API_KEY },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`--port must be an integer between 0 and 65535, got "${values.port}"`);
    process.exitCode = 2;
    return;
  }
  const fake = await startTmdbFake({ port, host: values.host, apiKey: values['api-key'] });
  console.log(
    `[TMDB Fake] listening on ${fake.url} (TMDB_BASE_URL=${fake.baseUrl}), ` +
      `${defaultCatalog.movies.length} films and ${defaultCatalog.series.length} series`,
  );
  const stop = (signal: NodeJS.Signals): void => {
    console.log(`[TMDB Fake] ${signal} received, closing`);
    fake.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('[TMDB Fake] close failed', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error('[TMDB Fake] failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
