import { readFileSync } from 'node:fs';
import formBody from '@fastify/formbody';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { QUEUES, resendTorrent, type Logger, type QueueName, type Runtime } from '@minato/core';
import type { Authenticate } from './auth.js';
import { crossSiteRefusal, csrfRefusal, csrfToken } from './csrf.js';
import { layout, type PageContext, type SafeHtml } from './html.js';
import { journeyPage, lookupForm } from './pages/journey-page.js';
import { pipelinePage } from './pages/pipeline-page.js';
import { searchPage } from './pages/search-page.js';
import { BOARD_PATH, mountQueueBoard } from './queue-board.js';

export interface ConsoleAppOptions {
  runtime: Runtime;
  authenticate: Authenticate;
  logger: Logger;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** who made the request, set by the authentication hook */
    user: string;
  }
}

const INFO_HASH = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const STYLESHEET = readFileSync(new URL('./console.css', import.meta.url), 'utf8');

/**
 * The console: every route behind the authentication CONSOLE_AUTH chose (only /healthz is open, for the kubelet),
 * pages rendered on the server with no script of their own, a content security policy that allows no inline
 * script, a CSRF token on each form that acts, and a log line naming who did every action.
 */
export async function buildConsoleApp({
  runtime,
  authenticate,
  logger,
}: ConsoleAppOptions): Promise<FastifyInstance> {
  const { config } = runtime;
  const allowActions = config.CONSOLE_ALLOW_ACTIONS;
  // Fastify's own request log stays off: the console logs its actions, and failures in the error handler.
  const app = Fastify({ logger: false, trustProxy: true });
  app.decorateRequest('user', '');
  // A page whose store is down says which and why, rather than a bare 500.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    logger.error({ err: error, url: request.url }, 'console request failed');
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 503;
    return reply
      .code(status)
      .type('text/plain')
      .send(`${request.method} ${request.url} failed: ${error.message}`);
  });

  await app.register(formBody);

  const imageOrigin = new URL(config.TMDB_IMAGE_BASE_URL).origin;
  app.addHook('onRequest', async (request, reply) => {
    void reply.headers(securityHeaders(request.url, imageOrigin));
    if (request.url === '/healthz') return;
    const user = await authenticate(request, reply);
    if (user === null) return reply;
    request.user = user;
    if (request.method === 'GET' || request.method === 'HEAD') return;
    // Writes under /queues are Bull Board's API calls: refused when actions are off, and from another site.
    if (request.url.startsWith(`${BOARD_PATH}/`)) {
      const refusal = allowActions
        ? crossSiteRefusal(request)
        : 'actions are off (CONSOLE_ALLOW_ACTIONS=false)';
      if (refusal) return reply.code(403).type('text/plain').send(`refused: ${refusal}`);
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.url === '/healthz') return;
    logger.info(
      { user: request.user, method: request.method, url: request.url, status: reply.statusCode },
      `console action by ${request.user || 'nobody signed in'}: ${request.method} ${request.url} → ${reply.statusCode}`,
    );
  });

  const context = (request: FastifyRequest, reply: FastifyReply): PageContext => ({
    user: request.user,
    csrfToken: csrfToken(request, reply),
    allowActions,
  });
  const page = (reply: FastifyReply, title: string, current: string, ctx: PageContext, body: SafeHtml) =>
    reply.type('text/html; charset=utf-8').send(layout(title, current, ctx, body));

  app.get('/healthz', () => ({ status: 'alive' }));
  app.get('/static/console.css', (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'max-age=3600').send(STYLESHEET),
  );
  app.get<{ Querystring: { sent?: string } }>('/', async (request, reply) => {
    const ctx = context(request, reply);
    return page(
      reply,
      'Pipeline',
      '/',
      ctx,
      await pipelinePage(runtime, ctx, knownQueue(request.query.sent)),
    );
  });
  app.get<{ Querystring: { q?: string; page?: string } }>('/search', async (request, reply) => {
    const pageNumber = Math.max(1, Math.min(100, Number.parseInt(request.query.page ?? '1', 10) || 1));
    const body = await searchPage(runtime, String(request.query.q ?? ''), pageNumber);
    return page(reply, 'Search', '/search', context(request, reply), body);
  });
  app.get<{ Querystring: { hash?: string } }>('/torrents', (request, reply) => {
    const hash = String(request.query.hash ?? '')
      .trim()
      .toLowerCase();
    if (INFO_HASH.test(hash)) return reply.redirect(`/torrents/${hash}`, 303);
    return page(reply, 'Torrent journey', '/torrents', context(request, reply), lookupForm(hash));
  });
  app.get<{ Params: { hash: string }; Querystring: { sent?: string } }>(
    '/torrents/:hash',
    async (request, reply) => {
      const hash = request.params.hash.toLowerCase();
      const ctx = context(request, reply);
      if (!INFO_HASH.test(hash)) {
        reply.code(404);
        return page(reply, 'Torrent journey', '/torrents', ctx, lookupForm(hash));
      }
      const body = await journeyPage(runtime, hash, ctx, knownQueue(request.query.sent));
      return page(reply, `Torrent ${hash.slice(0, 12)}…`, '/torrents', ctx, body);
    },
  );
  app.post<{ Params: { hash: string }; Body: Record<string, unknown> }>(
    '/torrents/:hash/resend',
    async (request, reply) => {
      const refusal = !allowActions
        ? 'actions are off (CONSOLE_ALLOW_ACTIONS=false)'
        : csrfRefusal(request, request.body?._csrf);
      if (refusal) return reply.code(403).type('text/plain').send(`refused: ${refusal}`);
      const hash = request.params.hash;
      const queue = knownQueue(request.body?.queue);
      if (!INFO_HASH.test(hash) || !queue) {
        return reply
          .code(400)
          .type('text/plain')
          .send(`no such torrent or queue: ${hash} ${String(request.body?.queue)}`);
      }
      const resent = await resendTorrent(runtime.queues, queue, hash);
      logger.info(
        { user: request.user, action: 'resend', queue, infoHash: hash, ...resent },
        `${request.user} sent ${hash} through ${queue} again (${resent.how})`,
      );
      const back = request.body?.back === '/' ? '/' : `/torrents/${hash}`;
      return reply.redirect(`${back}?sent=${queue}`, 303);
    },
  );

  await mountQueueBoard(app, runtime.queues, allowActions);
  return app;
}

function knownQueue(value: unknown): QueueName | undefined {
  return (Object.values(QUEUES) as unknown[]).includes(value) ? (value as QueueName) : undefined;
}

/**
 * No inline script anywhere; Bull Board's own pages set inline styles, so /queues allows those (and only
 * there); posters come from the image origin alone.
 */
function securityHeaders(url: string, imageOrigin: string): Record<string, string> {
  const styles = url.startsWith(BOARD_PATH) ? "'self' 'unsafe-inline'" : "'self'";
  return {
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      `style-src ${styles}`,
      `img-src 'self' data: ${imageOrigin}`,
      "font-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
  };
}
