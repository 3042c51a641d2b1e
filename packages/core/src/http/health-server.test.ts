import { describe, expect, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import { pino } from 'pino';
import { startHealthServer } from './health-server.js';

describe('health server', () => {
  it('serves metrics from the injected registry, liveness and readiness per check, and no drain route', async () => {
    const registry = new Registry();
    new Counter({ name: 'minato_test_total', help: 'a test counter', registers: [registry] }).inc();
    const server = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      registry,
      checks: {
        redis: () => Promise.resolve(),
        postgres: () => Promise.reject(new Error('connection refused')),
      },
      logger: pino({ level: 'silent' }),
    });
    const url = `http://127.0.0.1:${server.port}`;
    try {
      expect(await (await fetch(`${url}/metrics`)).text()).toContain('minato_test_total 1');
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { redis: 'ok', postgres: 'connection refused' } });
      expect((await fetch(`${url}/drain`)).status).toBe(404);
      expect((await fetch(`${url}/nope`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('answers /readyz 503 while the worker drains', async () => {
    const server = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      registry: new Registry(),
      checks: { redis: () => Promise.resolve() },
      draining: () => true,
      logger: pino({ level: 'silent' }),
    });
    try {
      const answer = await fetch(`http://127.0.0.1:${server.port}/readyz`);
      expect(answer.status).toBe(503);
      expect(await answer.json()).toMatchObject({ draining: true, checks: { redis: 'ok' } });
    } finally {
      await server.close();
    }
  });

  it('answers /readyz 503 with the cause while the worker is parked, though every check passes', async () => {
    let parked: object | null = { cause: 'tmdb', reason: 'TMDB rejected the API key (401 on search/movie)' };
    const server = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      registry: new Registry(),
      checks: { redis: () => Promise.resolve() },
      parked: () => parked,
      logger: pino({ level: 'silent' }),
    });
    const url = `http://127.0.0.1:${server.port}/readyz`;
    try {
      const answer = await fetch(url);
      expect(answer.status).toBe(503);
      expect(await answer.json()).toMatchObject({ parked: { cause: 'tmdb' }, checks: { redis: 'ok' } });
      parked = null;
      expect((await fetch(url)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
