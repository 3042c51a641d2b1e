#!/usr/bin/env node
// The web console: queues (Bull Board), pipeline state, a torrent's journey and search with posters (docs/console.md).
import { ConfigError, createRuntime, exitOnSignals, loadConfig } from '@minato/core';
import { authenticator } from './auth.js';
import { buildConsoleApp } from './console-app.js';

try {
  const config = loadConfig(process.env);
  const runtime = createRuntime(config, 'console');
  const authenticate = authenticator(config, (entry, message) => runtime.logger.warn(entry, message));
  const app = await buildConsoleApp({ runtime, authenticate, logger: runtime.logger });
  await app.listen({ port: config.CONSOLE_PORT, host: '0.0.0.0' });
  runtime.logger.info(
    { port: config.CONSOLE_PORT, auth: config.CONSOLE_AUTH, actions: config.CONSOLE_ALLOW_ACTIONS },
    `console listening on http://127.0.0.1:${config.CONSOLE_PORT}/`,
  );
  exitOnSignals(
    async () => {
      await app.close();
      await runtime.close();
    },
    runtime.logger,
    config.SHUTDOWN_TIMEOUT_MS,
  );
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`console: invalid configuration: ${error.message}\n`);
  process.exit(1);
}
