import { FailureRepository, QUEUES, torrentJourney, type Runtime, type TorrentJourney } from '@minato/core';
import { actionForm, columnHeads, html, type PageContext, type SafeHtml } from '../html.js';
import { posterSource } from '../poster.js';

/** A torrent's way through the passes: row, parse, match, search document and its differences, jobs. */
export async function journeyPage(
  runtime: Runtime,
  infoHash: string,
  context: PageContext,
  sent: string | undefined,
): Promise<SafeHtml> {
  const journey = await torrentJourney(infoHash, {
    repository: runtime.torrents,
    failures: new FailureRepository(runtime.sql),
    search: runtime.search,
    index: runtime.config.ELASTICSEARCH_INDEX,
    queues: runtime.queues,
  });
  if (!journey.row) {
    return html`${lookupForm(infoHash)}
      <p role="status">PostgreSQL has no torrent ${infoHash}.</p>`;
  }
  return html`${lookupForm(infoHash)}
  ${sent ? html`<p class="notice" role="status">Sent through ${sent}.</p>` : ''} ${rowSection(journey)}
  ${parseSection(journey)} ${matchSection(journey, runtime)} ${documentSection(journey)}
  ${failureSection(journey)} ${jobSection(journey)}
  ${context.allowActions ? resendSection(journey, context) : ''}`;
}

/** The form that asks for an info hash. */
export function lookupForm(value = ''): SafeHtml {
  return html`<form method="get" action="/torrents" class="lookup" role="search">
    <label for="hash">Info hash</label>
    <input
      id="hash"
      name="hash"
      value="${value}"
      size="66"
      pattern="[0-9a-fA-F]{40}|[0-9a-fA-F]{64}"
      required
    />
    <button type="submit">Follow</button>
  </form>`;
}

function rows(entries: [string, unknown][]): SafeHtml {
  return html`<dl class="fields">
    ${entries.map(
      ([name, value]) =>
        html`<div>
          <dt>${name}</dt>
          <dd>${value === null || value === undefined ? '—' : format(value)}</dd>
        </div>`,
    )}
  </dl>`;
}

function format(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function rowSection({ row }: TorrentJourney): SafeHtml {
  if (!row) return html``;
  return html`<section aria-labelledby="row">
    <h2 id="row">PostgreSQL row</h2>
    ${rows([
      ['release name', row.title],
      ['size (bytes)', row.size],
      ['version', row.version],
      ['indexed version', row.indexedVersion],
      ['indexed at', row.indexedAt],
      ['enrichment', row.enrichmentStatus ?? 'not yet'],
      ['enriched at', row.enrichedAt],
      ['updated at', row.updatedAt],
    ])}
  </section>`;
}

function parseSection({ parse }: TorrentJourney): SafeHtml {
  if (!parse) return html``;
  return html`<section aria-labelledby="parse">
    <h2 id="parse">Parse of the name</h2>
    ${rows([
      ['type', parse.type],
      ['title', parse.title],
      ['year', parse.year],
      ['seasons', parse.seasons],
      ['episodes', parse.episodes],
      ['resolution', parse.resolution],
      ['source', parse.source],
      ['group', parse.group],
      ['enrichable', parse.enrichable],
    ])}
  </section>`;
}

function matchSection({ row, confidence }: TorrentJourney, runtime: Runtime): SafeHtml {
  const media = row?.enrichmentStatus === 'matched' ? row.media : null;
  if (!media) {
    return html`<section aria-labelledby="match">
      <h2 id="match">TMDB match</h2>
      <p>
        ${
          row?.enrichmentStatus === 'no_match'
            ? 'TMDB has no title close enough.'
            : row?.enrichmentStatus === 'skipped'
              ? 'Not looked up: the name is not a film or a series.'
              : 'Not enriched yet.'
        }
      </p>
    </section>`;
  }
  const poster = posterSource(media.posterPath, runtime.config.TMDB_IMAGE_BASE_URL);
  return html`<section aria-labelledby="match" class="work">
    <h2 id="match">TMDB match</h2>
    ${poster ? html`<img class="poster" src="${poster}" alt="Poster of ${media.title}" width="120" height="180" />` : ''}
    ${rows([
      ['title', `${media.title}${media.year ? ` (${media.year})` : ''}`],
      ['TMDB id', `${media.mediaType}/${media.tmdbId}`],
      ['confidence', confidence],
      ['rating', media.rating],
      ['overview', media.overview],
    ])}
  </section>`;
}

function documentSection({ document, differences, row }: TorrentJourney): SafeHtml {
  if (!document)
    return html`<section aria-labelledby="document">
      <h2 id="document">Search document</h2>
      <p>The index holds no document for it.</p>
    </section>`;
  return html`<section aria-labelledby="document">
    <h2 id="document">Search document</h2>
    <p>
      Written with version ${document.version ?? '?'} (the row is at ${row?.version ?? '?'}).
      ${differences.length === 0 ? 'It holds what the row projects to.' : `It differs from what the row projects to on ${differences.length} fields:`}
    </p>
    ${
      differences.length === 0
        ? ''
        : html`<table>
            ${columnHeads(['field', 'from the row', 'in the index'])}
            <tbody>
              ${differences.map(
                (d) =>
                  html`<tr>
                    <th scope="row">${d.field}</th>
                    <td>${format(d.expected)}</td>
                    <td>${format(d.indexed)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}

function failureSection({ failures }: TorrentJourney): SafeHtml {
  if (failures.length === 0) return html``;
  return html`<section aria-labelledby="failed">
    <h2 id="failed">Failures</h2>
    <ul>
      ${failures.map(
        (f) =>
          html`<li>
            ${f.queue} gave up at ${f.failedAt.toISOString()}: <span class="reason">${f.reason}</span>
          </li>`,
      )}
    </ul>
  </section>`;
}

function jobSection({ jobs }: TorrentJourney): SafeHtml {
  return html`<section aria-labelledby="jobs">
    <h2 id="jobs">Jobs still kept</h2>
    ${
      jobs.length === 0
        ? html`<p>None among the latest jobs of each queue (completed jobs are kept an hour).</p>`
        : html`<table>
            ${columnHeads(['queue', 'job', 'torrents', 'state', 'attempts', 'added', 'reason'])}
            <tbody>
              ${jobs.map(
                (j) =>
                  html`<tr>
                    <td>${j.queue}</td>
                    <td><a href="/queues/queue/${j.queue}/${j.id}">${j.id}</a></td>
                    <td>${j.torrents}</td>
                    <td>${j.state}</td>
                    <td>${j.attemptsMade}</td>
                    <td>${new Date(j.addedAt).toISOString()}</td>
                    <td>${j.failedReason ?? ''}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}

function resendSection({ infoHash }: TorrentJourney, context: PageContext): SafeHtml {
  return html`<section aria-labelledby="resend">
    <h2 id="resend">Send through a pass again</h2>
    ${Object.values(QUEUES).map((queue) =>
      actionForm(
        `/torrents/${infoHash}/resend`,
        context,
        { queue, back: `/torrents/${infoHash}` },
        `Send to ${queue}`,
      ),
    )}
  </section>`;
}
