import {
  FailureRepository,
  pipelineStatus,
  readWorkerStates,
  type PipelineStatus,
  type Runtime,
  type WorkerState,
} from '@minato/core';
import { actionForm, columnHeads, html, type PageContext, type SafeHtml } from '../html.js';

/** How many of the latest failed torrents the page lists. */
const FAILURES_SHOWN = 50;

/** The counts `minato status` prints, each worker's state, and the failed torrents with their reasons. */
export async function pipelinePage(
  runtime: Runtime,
  context: PageContext,
  sent: string | undefined,
): Promise<SafeHtml> {
  const [status, workers] = await Promise.all([
    pipelineStatus({
      postgres: { repository: runtime.torrents, failures: new FailureRepository(runtime.sql) },
      search: { client: runtime.search, index: runtime.config.ELASTICSEARCH_INDEX },
      queues: runtime.queues,
      refresh: false,
      recentFailures: FAILURES_SHOWN,
    }),
    readWorkerStates(runtime.redis, runtime.keys.workerStates),
  ]);
  return html`${sent ? html`<p class="notice" role="status">Sent back through ${sent}.</p>` : ''}
  ${stores(status)} ${queueTable(status)} ${workerTable(workers)} ${failureTable(status, context)}`;
}

/** A part of the status that was not read: the console reads every part, so only a bug leaves one out. */
const unread = (part: string): SafeHtml => html`<p>${part}: not read.</p>`;

function stores({ postgres: pg, elasticsearch: es }: PipelineStatus): SafeHtml {
  if (!pg || !es) return unread('Stores');
  return html`<section aria-labelledby="stores">
    <h2 id="stores">Stores</h2>
    <dl class="counts">
      <div>
        <dt>PostgreSQL torrents</dt>
        <dd>${pg.torrents}</dd>
      </div>
      <div>
        <dt>indexed</dt>
        <dd>${pg.indexed}</dd>
      </div>
      <div>
        <dt>enriched</dt>
        <dd>${pg.enriched}</dd>
      </div>
      <div>
        <dt>matched</dt>
        <dd>${pg.matched}</dd>
      </div>
      <div>
        <dt>Search documents</dt>
        <dd>${es.docs}</dd>
      </div>
      <div>
        <dt>with a TMDB match</dt>
        <dd>${es.matched}</dd>
      </div>
    </dl>
  </section>`;
}

function queueTable(status: PipelineStatus): SafeHtml {
  if (!status.queues) return unread('Queues');
  const columns = ['torrents', 'waiting', 'bulk', 'active', 'delayed', 'failed', 'completed'];
  return html`<section aria-labelledby="queues">
    <h2 id="queues">Queues</h2>
    <table>
      <caption>
        Jobs per state; torrents counts every torrent waiting or in flight, bulk jobs included
      </caption>
      ${columnHeads(['queue', ...columns])}
      <tbody>
        ${Object.entries(status.queues).map(
          ([name, c]) =>
            html`<tr>
              <th scope="row"><a href="/queues/queue/${name}">${name}</a></th>
              ${[c.backlog, c.waiting, c.prioritized, c.active, c.delayed, c.failed, c.completed].map((n) => html`<td>${n}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

function workerTable(workers: WorkerState[]): SafeHtml {
  return html`<section aria-labelledby="workers">
    <h2 id="workers">Workers</h2>
    ${
      workers.length === 0
        ? html`<p>No worker has reported in the last 15 seconds.</p>`
        : html`<table>
            <caption>
              Each worker process, as it last reported (every 5 seconds)
            </caption>
            ${columnHeads(['queue', 'instance', 'state', 'cause and fix'])}
            <tbody>
              ${workers.map(
                (w) =>
                  html`<tr>
                    <td>${w.queue}</td>
                    <td>${w.instance}</td>
                    <td><span class="state ${w.state}">${w.state}</span></td>
                    <td>
                      ${w.parked ? html`${w.parked.cause}: ${w.parked.reason}. Fix: ${w.parked.fix} (since ${w.parked.since})` : ''}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}

function failureTable({ failures }: PipelineStatus, context: PageContext): SafeHtml {
  if (!failures) return unread('Failed torrents');
  const counts = Object.entries(failures.byQueue)
    .map(([queue, n]) => `${queue} ${n}`)
    .join(', ');
  return html`<section aria-labelledby="failures">
    <h2 id="failures">Failed torrents</h2>
    <p>
      Given up on for good: ${failures.total}${counts ? ` (${counts})` : ''}. The latest ${FAILURES_SHOWN}:
    </p>
    ${
      failures.recent.length === 0
        ? ''
        : html`<table class="failures">
            ${columnHeads(['failed at', 'queue', 'torrent', 'reason', ...(context.allowActions ? ['action'] : [])])}
            <tbody>
              ${failures.recent.map(
                (f) =>
                  html`<tr>
                    <td>${f.failedAt.toISOString()}</td>
                    <td>${f.queue}</td>
                    <td><a class="hash" href="/torrents/${f.infoHash}">${f.infoHash}</a></td>
                    <td class="reason">${f.reason}</td>
                    ${context.allowActions ? html`<td>${actionForm(`/torrents/${f.infoHash}/resend`, context, { queue: f.queue, back: '/' }, 'Retry')}</td>` : ''}
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}
