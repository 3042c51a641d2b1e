import {
  parseRelease,
  searchTorrents,
  workName,
  type Runtime,
  type SearchHit,
  type WorkGroup,
} from '@minato/core';
import { columnHeads, html, type SafeHtml } from '../html.js';
import { posterSource } from '../poster.js';

const WORKS_PER_PAGE = 10;
const RELEASES_PER_WORK = 5;

/** The same search as `minato search`: works with poster, year, rating and overview, and their releases. */
export async function searchPage(runtime: Runtime, text: string, page: number): Promise<SafeHtml> {
  const form = html`<form method="get" action="/search" role="search" class="lookup">
    <label for="q">Search</label>
    <input
      id="q"
      name="q"
      type="search"
      value="${text}"
      size="40"
      placeholder="dune 2021, friends 3x02, fargo season 4"
    />
    <button type="submit">Search</button>
  </form>`;
  if (text.trim() === '') return form;
  const result = await searchTorrents(
    runtime.search,
    runtime.config.ELASTICSEARCH_INDEX,
    text,
    WORKS_PER_PAGE,
    {
      releasesPerWork: RELEASES_PER_WORK,
      offset: (page - 1) * WORKS_PER_PAGE,
    },
  );
  const base = runtime.config.TMDB_IMAGE_BASE_URL;
  return html`${form}
    ${result.fullText && result.works.length > 0 ? html`<p role="status">No exact reading of “${text}” matched; plain full text.</p>` : ''}
    ${result.works.length === 0 ? html`<p role="status">No torrent matches “${text}”${page > 1 ? ' on this page' : ''}.</p>` : ''}
    <ol class="works" start="${(page - 1) * WORKS_PER_PAGE + 1}">
      ${result.works.map((w) => work(w, base))}
    </ol>
    ${pager(text, page, result.works.length === WORKS_PER_PAGE)}`;
}

function work({ releases }: WorkGroup, imageBase: string): SafeHtml {
  const best = releases[0];
  if (!best) return html``;
  const poster = posterSource(best.posterUrl, imageBase);
  const name = workName(best);
  return html`<li class="work">
    ${poster ? html`<img class="poster" src="${poster}" alt="Poster of ${best.mediaTitle ?? best.title}" width="120" height="180" loading="lazy" />` : html`<div class="poster none" aria-hidden="true"></div>`}
    <div>
      <h2>${name}</h2>
      <p class="meta">
        ${best.type}${best.rating !== null ? ` · rated ${best.rating.toFixed(1)}` : ' · not enriched'}
      </p>
      ${best.overview ? html`<p class="overview">${best.overview}</p>` : ''}
      <table class="releases">
        <caption class="visually-hidden">
          Releases of ${name}
        </caption>
        ${columnHeads(['release', 'resolution', 'source', 'group', 'size'])}
        <tbody>
          ${releases.map(release)}
        </tbody>
      </table>
    </div>
  </li>`;
}

function release(hit: SearchHit): SafeHtml {
  const parsed = parseRelease(hit.titleRaw);
  return html`<tr>
    <td><a href="/torrents/${hit.infoHash}">${hit.titleRaw}</a></td>
    <td>${parsed.resolution ?? '—'}</td>
    <td>${parsed.source ?? '—'}</td>
    <td>${parsed.group ?? '—'}</td>
    <td>${hit.size === null ? '—' : bytes(hit.size)}</td>
  </tr>`;
}

function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function pager(text: string, page: number, more: boolean): SafeHtml {
  const link = (p: number, label: string, rel: string) =>
    html`<a rel="${rel}" href="/search?q=${encodeURIComponent(text)}&amp;page=${p}">${label}</a>`;
  if (page === 1 && !more) return html``;
  return html`<nav aria-label="Pages" class="pager">
    ${page > 1 ? link(page - 1, 'Previous page', 'prev') : ''}
    <span>Page ${page}</span> ${more ? link(page + 1, 'Next page', 'next') : ''}
  </nav>`;
}
