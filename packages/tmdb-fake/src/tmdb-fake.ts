import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultCatalog, type Catalog } from './catalog/index.js';
import {
  FaultSwitch,
  parseFaultMode,
  type FaultKind,
  type FaultMode,
  type FaultState,
} from './fault-mode.js';
import { hugeAnswer } from './huge-answer.js';
import { posterImage, posterTitles } from './poster-image.js';
import { answerTmdb } from './tmdb-routes.js';
import { tmdbError } from './tmdb-shapes.js';

/** The key the fake accepts unless told otherwise (the default of `make dev`). */
export const DEFAULT_API_KEY = 'minato-dev-key';

export interface TmdbFakeOptions {
  /** 0 picks a free port */
  port: number;
  /** 127.0.0.1 when absent */
  host?: string;
  /** the only key accepted, as `api_key` or as `Authorization: Bearer`; `minato-dev-key` when absent */
  apiKey?: string;
  catalog?: Catalog;
}

/** One TMDB request as the fake saw it; control requests are not logged. */
export interface LoggedRequest {
  /** arrival, epoch milliseconds */
  at: number;
  method: string;
  /** e.g. `/3/search/movie` */
  path: string;
  /** the query string's parameters, without `api_key` */
  query: Record<string, string>;
  status: number;
  /** for a `huge` answer, the body bytes the connection took: what the client read, plus socket buffers */
  sentBytes?: number;
}

export interface TmdbFake {
  /** e.g. `http://127.0.0.1:8787` */
  url: string;
  /** `url` + `/3`: what `TMDB_BASE_URL` should be */
  baseUrl: string;
  port: number;
  /** the request log, oldest first; the same array for the fake's life (reset empties it in place) */
  readonly requests: readonly LoggedRequest[];
  /** how the next requests are answered, as POST /__control/mode does */
  setMode(mode: FaultMode | FaultKind): FaultState;
  /** back to `ok`, log emptied, as POST /__control/reset does */
  reset(): void;
  close(): Promise<void>;
}

const CONTROL_PREFIX = '/__control/';
const MAX_CONTROL_BODY_BYTES = 64 * 1024;

/** Starts a TMDB v3-compatible server on `port` (0: any free port) and resolves once it listens. */
export async function startTmdbFake(options: TmdbFakeOptions): Promise<TmdbFake> {
  const host = options.host ?? '127.0.0.1';
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const catalog = options.catalog ?? defaultCatalog;
  const faults = new FaultSwitch();
  const requests: LoggedRequest[] = [];
  const pendingAnswers = new Set<NodeJS.Timeout>();
  const posters = posterTitles(catalog);

  const reset = (): void => {
    faults.set({ mode: 'ok' });
    requests.length = 0;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      handleControl(req, res, url.pathname.slice(CONTROL_PREFIX.length)).catch((error: unknown) => {
        sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
      });
      return;
    }
    // Images are TMDB's CDN, not its API: no key, no faults, and not in the request log.
    if (url.pathname.startsWith('/t/p/')) {
      const svg = posterImage(url.pathname, posters);
      if (svg === null) return sendRaw(res, 404, 'no such image', { 'content-type': 'text/plain' });
      return sendRaw(res, 200, svg, { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=86400' });
    }
    const at = Date.now();
    const answer = answerRequest(req, url);
    const query = Object.fromEntries([...url.searchParams].filter(([name]) => name !== 'api_key'));
    const logged: LoggedRequest = {
      at,
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      status: answer.status,
    };
    requests.push(logged);
    if (answer.delayMs === 0) {
      answer.send(res, logged);
      return;
    }
    const timer = setTimeout(() => {
      pendingAnswers.delete(timer);
      answer.send(res, logged);
    }, answer.delayMs);
    pendingAnswers.add(timer);
  });

  function answerRequest(req: IncomingMessage, url: URL): { status: number; delayMs: number; send: Sender } {
    if (!url.pathname.startsWith('/3/')) return immediate(404, notFoundBody);
    if (!isAuthorised(req, url.searchParams, apiKey)) return immediate(401, invalidKeyBody);
    if (req.method !== 'GET') return immediate(404, notFoundBody);
    const fault = faults.take();
    switch (fault.mode) {
      case '429':
        return immediate(429, rateLimitedBody, { 'retry-after': String(fault.retryAfterSeconds) });
      case '500':
        return immediate(500, tmdbError(11, 'Internal error: Something went wrong, contact TMDB.'));
      case 'garbage': {
        const body =
          fault.garbage === 'invalid-json' ? '{"page":1,"results":[{"id":12,"title":"Trunc' : wrongShape;
        return { status: 200, delayMs: 0, send: (res) => sendRaw(res, 200, body) };
      }
      case 'huge': {
        const tmdb = answerTmdb(catalog, url.pathname.slice('/3'.length), url.searchParams);
        if (tmdb.status !== 200) return immediate(tmdb.status, tmdb.body);
        const body = Buffer.from(hugeAnswer(tmdb.body, fault.hugeBytes));
        return { status: 200, delayMs: 0, send: (res, logged) => void streamBody(res, body, logged) };
      }
      case 'slow':
      case 'ok': {
        const tmdb = answerTmdb(catalog, url.pathname.slice('/3'.length), url.searchParams);
        const delayMs = fault.mode === 'slow' ? fault.delayMs : 0;
        return { status: tmdb.status, delayMs, send: (res) => sendJson(res, tmdb.status, tmdb.body) };
      }
    }
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, action: string): Promise<void> {
    const route = `${req.method ?? 'GET'} ${action}`;
    switch (route) {
      case 'GET mode':
        return sendJson(res, 200, faults.current());
      case 'POST mode': {
        let mode: FaultMode;
        try {
          mode = parseFaultMode(JSON.parse(await readBody(req)));
        } catch (error) {
          return sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
        }
        return sendJson(res, 200, faults.set(mode));
      }
      case 'GET requests':
        return sendJson(res, 200, requests);
      case 'DELETE requests':
        requests.length = 0;
        return sendJson(res, 200, { ok: true });
      case 'POST reset':
        reset();
        return sendJson(res, 200, { ok: true });
      default:
        return sendJson(res, 404, { error: `no control route ${route}` });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    baseUrl: `${url}/3`,
    port,
    requests,
    setMode: (mode) => faults.set(parseFaultMode(mode)),
    reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Slow answers still waiting would hold their sockets, and `close` would wait for them.
        for (const timer of pendingAnswers) clearTimeout(timer);
        pendingAnswers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

type Sender = (res: ServerResponse, logged: LoggedRequest) => void;

const notFoundBody = tmdbError(34, 'The resource you requested could not be found.');
const invalidKeyBody = tmdbError(7, 'Invalid API key: You must be granted a valid key.');
const rateLimitedBody = tmdbError(25, 'Your request count (#) is over the allowed limit of (40).');
// Valid JSON that fits none of TMDB's answers: wrong types where every endpoint has its fields.
const wrongShape = JSON.stringify({ page: 'one', results: 'none', movie_results: 42, images: null, id: 'x' });

function immediate(status: number, body: unknown, headers: Record<string, string> = {}) {
  return { status, delayMs: 0, send: (res: ServerResponse) => sendJson(res, status, body, headers) };
}

function isAuthorised(req: IncomingMessage, params: URLSearchParams, apiKey: string): boolean {
  if (params.get('api_key') === apiKey) return true;
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1]?.trim() === apiKey;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendRaw(res, status, JSON.stringify(body), headers);
}

function sendRaw(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

const STREAM_CHUNK_BYTES = 64 * 1024;

/**
 * Sends a body in chunks, without Content-Length (as a chunked answer from TMDB's CDN comes), each chunk once
 * the connection took the last one, and stops when the client closes: `logged.sentBytes` then tells how much
 * of it the client let in.
 */
async function streamBody(res: ServerResponse, body: Buffer, logged: LoggedRequest): Promise<void> {
  logged.sentBytes = 0;
  res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
  for (let at = 0; at < body.length && !res.destroyed; at += STREAM_CHUNK_BYTES) {
    const chunk = body.subarray(at, at + STREAM_CHUNK_BYTES);
    const more = res.write(chunk);
    logged.sentBytes += chunk.length;
    if (!more) {
      await new Promise<void>((resolve) => {
        const go = () => {
          res.off('drain', go).off('close', go);
          resolve();
        };
        res.on('drain', go).on('close', go);
      });
    }
  }
  if (!res.destroyed) res.end();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_CONTROL_BODY_BYTES)
      throw new Error(`control body is larger than ${MAX_CONTROL_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
