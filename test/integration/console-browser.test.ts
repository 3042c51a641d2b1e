import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTmdbFake, type TmdbFake } from '@minato/tmdb-fake';
import { hashPassword } from '../../packages/console/src/password-hash.js';
import { createHarness, freePort, type Harness } from '../support/pipeline-harness.js';
import { waitFor } from '../support/wait-for.js';
import {
  repoRoot,
  startNode,
  startReadyWorker,
  stopProcess,
  type RunningProcess,
  type WorkerName,
} from '../support/worker-processes.js';

// Debian's chromium, driven through playwright-core (no browser download); deploy/local/chromium.sh installs it.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = join(repoRoot, 'test-artifacts/console');
const USER = { username: 'operator', password: 'correct horse battery staple' };

const DUNE = {
  infoHash: 'd'.repeat(40),
  title: 'Dune.2021.1080p.WEB-DL.DDP5.1.Atmos.x264-EVO',
  size: 5_400_000_000,
};
const RELEASES = [
  DUNE,
  {
    infoHash: 'e'.repeat(40),
    title: 'Dune.2021.2160p.UHD.BluRay.x265.10bit.HDR-TERMiNAL',
    size: 24_000_000_000,
  },
  { infoHash: 'a'.repeat(40), title: 'The.Matrix.1999.1080p.BluRay.x264-AMIABLE', size: 9_000_000_000 },
  { infoHash: 'b'.repeat(40), title: 'Breaking.Bad.S02E03.720p.HDTV.x264-CTU', size: 1_200_000_000 },
];
// Pass 1 gives up on a torrent PostgreSQL does not hold: a real permanent failure, with its reason.
const MISSING = 'f'.repeat(40);

/** A console process of this test's pipeline on a free port. */
async function startConsole(env: Record<string, string>): Promise<{ proc: RunningProcess; url: string }> {
  const port = await freePort();
  const proc = startNode(['packages/console/dist/main.js'], { ...env, CONSOLE_PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`the console on ${port}; its output:\n${proc.tail()}`, async () => {
    if (proc.child.exitCode !== null) throw new Error(`the console exited: ${proc.tail()}`);
    return (await fetch(`${url}/healthz`)).ok;
  });
  return { proc, url };
}

/** Serious and critical accessibility violations axe-core finds on the page. */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the browser's protocol, not as a page script: the console's CSP allows no inline script.
  await page.evaluate(axe.source);
  // Runs in the page, where the source above defined `axe`; this file has no DOM types.
  const result = await page.evaluate(() =>
    (globalThis as unknown as { axe: typeof axe }).axe.run({ resultTypes: ['violations'] }),
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe('the console in a real browser', () => {
  let h: Harness;
  let tmdb: TmdbFake;
  let browser: Browser;
  const processes: RunningProcess[] = [];
  let withActions: string;
  let actionsConsole: RunningProcess | undefined;
  let readOnly: string;
  const cspViolations: string[] = [];
  let usersDir: string | undefined;

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: run deploy/local/chromium.sh`).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    h = await createHarness();
    tmdb = await startTmdbFake({ port: 0 });
    const pipelineEnv = { ...h.env, TMDB_BASE_URL: tmdb.baseUrl, TMDB_API_KEY: 'minato-dev-key' };
    for (const name of ['ingest', 'enrichment', 'sync'] as WorkerName[]) {
      processes.push((await startReadyWorker(name, pipelineEnv)).worker);
    }
    await h.seed(RELEASES);
    await h.enqueueIngest([...RELEASES.map((r) => r.infoHash), MISSING]);
    await waitFor(
      'every seeded torrent enriched and in the index',
      async () => (await h.esCount({ term: { enriched: true } })) >= 3,
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    await waitFor('the missing torrent recorded as failed', async () => {
      const [row] = await h.sql`SELECT 1 FROM torrent_failures WHERE info_hash = ${MISSING}`;
      return row !== undefined;
    });

    usersDir = mkdtempSync(join(tmpdir(), 'console-users-'));
    const users = join(usersDir, 'users');
    writeFileSync(
      users,
      `# made by hash-password.js\n${USER.username}:${await hashPassword(USER.password)}\n`,
    );
    const consoleEnv = {
      ...h.env,
      CONSOLE_AUTH: 'basic',
      CONSOLE_USERS_FILE: users,
      TMDB_IMAGE_BASE_URL: `${tmdb.url}/t/p/w500`,
    };
    const on = await startConsole({ ...consoleEnv, CONSOLE_ALLOW_ACTIONS: 'true' });
    const off = await startConsole({ ...consoleEnv, CONSOLE_ALLOW_ACTIONS: 'false' });
    processes.push(on.proc, off.proc);
    withActions = on.url;
    actionsConsole = on.proc;
    readOnly = off.url;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(processes.map((p) => stopProcess(p, 'SIGTERM')));
    await tmdb?.close();
    await h?.close();
    if (usersDir) rmSync(usersDir, { recursive: true, force: true });
  });

  async function signedIn(credentials = USER): Promise<BrowserContext> {
    const context = await browser.newContext({
      httpCredentials: credentials,
      viewport: { width: 1280, height: 900 },
    });
    context.on('console', (message) => {
      // Bull Board's page links Google's fonts, which the policy refuses (and which no offline setup reaches).
      const text = message.text();
      if (/Content Security Policy/i.test(text) && !text.includes('fonts.googleapis.com'))
        cspViolations.push(text);
    });
    return context;
  }

  /** Opens `url`, waits for `ready` (a page that loads its data by script), and saves a screenshot as `shot`. */
  async function visit(
    context: BrowserContext,
    url: string,
    shot: string,
    ready?: (page: Page) => Promise<unknown>,
  ): Promise<Page> {
    const page = await context.newPage();
    const response = await page.goto(url, { waitUntil: 'load' });
    expect(response?.status(), `${url} answered ${response?.status()}`).toBe(200);
    await ready?.(page);
    await page.screenshot({ path: join(ARTIFACTS, `${shot}.png`), fullPage: true });
    return page;
  }

  it('refuses a wrong password and a request without credentials', async () => {
    const context = await signedIn({ ...USER, password: 'wrong' });
    const page = await context.newPage();
    const response = await page.goto(`${readOnly}/`);
    expect(response?.status()).toBe(401);
    expect(await page.content()).not.toContain('Failed torrents');
    await context.close();
    const anonymous = await fetch(`${withActions}/search?q=dune`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('lists the failed torrent with its reason and every worker as ready, with no retry button when actions are off', async () => {
    const context = await signedIn();
    const page = await visit(context, `${readOnly}/`, 'pipeline-read-only');
    const row = page.locator('table.failures tr', { hasText: MISSING });
    await expect(row.textContent()).resolves.toMatch(`torrent ${MISSING} is not in PostgreSQL`);
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await waitFor('three ready workers on the pipeline page', async () => {
      await page.reload();
      return (await page.locator('.state.ready').count()) === 3;
    });
    expect(await seriousViolations(page)).toEqual([]);
    const refused = await fetch(`${readOnly}/torrents/${MISSING}/resend`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${USER.username}:${USER.password}`).toString('base64')}`,
      },
      body: new URLSearchParams({ queue: 'TORRENT_INGEST' }),
    });
    expect(refused.status).toBe(403);
    await context.close();
  });

  it('moves the failed job back to waiting with the retry button when actions are on', async () => {
    const context = await signedIn();
    const page = await visit(context, `${withActions}/`, 'pipeline');
    const [failedJob] = (await h.queues.TORRENT_INGEST.getFailed()).filter(
      (j) => (j.data as { infoHash?: string }).infoHash === MISSING,
    );
    expect(failedJob?.finishedOn).toBeDefined();
    const retry = page
      .locator('table.failures tr', { hasText: MISSING })
      .getByRole('button', { name: 'Retry' });
    await retry.click();
    await page.waitForURL(/sent=TORRENT_INGEST/);
    expect(await page.getByRole('status').textContent()).toContain('Sent back through TORRENT_INGEST');
    // The same job ran again: BullMQ moved it out of the failed set, and pass 1 fails it again, later.
    await waitFor('the failed job to run again', async () => {
      const job = await h.queues.TORRENT_INGEST.getJob(failedJob?.id ?? '');
      return job !== undefined && job.finishedOn !== failedJob?.finishedOn;
    });
    expect(actionsConsole?.output()).toContain(
      `console action by ${USER.username}: POST /torrents/${MISSING}/resend → 303`,
    );
    await context.close();
  });

  it('refuses an action without the CSRF token or from another site, even with the right password', async () => {
    const authorization = `Basic ${Buffer.from(`${USER.username}:${USER.password}`).toString('base64')}`;
    const post = (headers: Record<string, string>, form: Record<string, string>) =>
      fetch(`${withActions}/torrents/${MISSING}/resend`, {
        method: 'POST',
        headers: { authorization, ...headers },
        body: new URLSearchParams({ queue: 'TORRENT_INGEST', ...form }),
      });
    const noToken = await post({}, {});
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toMatch(/CSRF token/);
    const token = 'ab'.repeat(32);
    const otherSite = await post(
      { cookie: `minato_csrf=${token}`, origin: 'https://evil.example' },
      { _csrf: token },
    );
    expect(otherSite.status).toBe(403);
    expect(await otherSite.text()).toMatch(/origin https:\/\/evil.example is not this console's/);
    const waiting = await h.queues.TORRENT_INGEST.getWaitingCount();
    expect(waiting).toBe(0);
  });

  it('shows a seeded film with its poster loaded, its releases and paging in search', async () => {
    const context = await signedIn();
    const page = await visit(context, `${readOnly}/search?q=dune%202021`, 'search');
    const work = page.locator('li.work').first();
    await expect(work.locator('h2').textContent()).resolves.toBe('Dune (2021)');
    const poster = work.locator('img.poster');
    await expect(poster.getAttribute('src')).resolves.toMatch(`${tmdb.url}/t/p/w500/`);
    await waitFor('the poster image to load', () =>
      poster.evaluate((img) => {
        const image = img as unknown as { complete: boolean; naturalWidth: number };
        return image.complete && image.naturalWidth > 0;
      }),
    );
    const releases = await work.locator('table.releases tbody tr').allTextContents();
    expect(releases.join('\n')).toMatch(/Dune\.2021\.1080p[\s\S]*1080p[\s\S]*WEB-DL[\s\S]*EVO/);
    expect(await work.locator('.overview').textContent()).not.toBe('');
    expect(await seriousViolations(page)).toEqual([]);
    await visit(context, `${readOnly}/search?q=dune%202021&page=2`, 'search-page-2');
    await context.close();
  });

  it("follows a torrent's journey: row, parse, match with its confidence, the document and the jobs", async () => {
    const context = await signedIn();
    const page = await visit(context, `${withActions}/torrents/${DUNE.infoHash}`, 'journey');
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain(DUNE.title);
    expect(text).toMatch(/confidence\s*1/);
    expect(text).toContain('It holds what the row projects to.');
    expect(await page.getByRole('button', { name: 'Send to ES_SYNC' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('shows the queues in Bull Board, read-only when actions are off', async () => {
    const context = await signedIn();
    const page = await visit(
      context,
      `${readOnly}/queues/queue/TORRENT_INGEST?status=failed`,
      'queues',
      (p) => p.getByText(`torrent ${MISSING} is not in PostgreSQL`).first().waitFor(),
    );
    expect(await page.getByRole('button', { name: /retry/i }).count()).toBe(0);
    const refused = await page.evaluate(async (url) => {
      const answer = await fetch(url, { method: 'PUT' });
      return answer.status;
    }, `${readOnly}/queues/api/queues/TORRENT_INGEST/retry/failed`);
    expect(refused).toBe(403);
    await context.close();
  });

  it('needed no inline script or style on any page (no CSP violation)', () => {
    expect(cspViolations).toEqual([]);
  });
});
