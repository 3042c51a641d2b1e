import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import {
  buildTorrentDocument,
  createLogger,
  ElasticsearchBuffer,
  ensureIndex,
  normalizeTitle,
  parseRelease,
  putIndexTemplate,
  reindex,
  searchTorrents,
  TorrentProjector,
  templateName,
} from '@minato/core';
import { createHarness, type Harness } from '../support/pipeline-harness.js';

const logger = createLogger({ level: 'silent', format: 'json' });

// The fields the search work added to the template (README.md, "Search"); the index of the version
// before them is the current mapping without them.
const ADDED_FIELDS = [
  'seasons',
  'episodes',
  'absolute_episodes',
  'pack',
  'years',
  'title_folded',
  'work_titles',
  'work_key',
];

/** An index as the previous version left it: its mapping and its documents lack the added fields. */
async function previousVersionIndex(h: Harness, titles: string[]): Promise<string> {
  const alias = h.config.ELASTICSEARCH_INDEX;
  await putIndexTemplate(h.search, alias, { replicas: 0 });
  const {
    index_templates: [template],
  } = await h.rest.request<{
    index_templates: {
      index_template: { template: { mappings: { properties: Record<string, unknown> } } };
    }[];
  }>('GET', `/_index_template/${templateName(alias)}`);
  const properties = { ...template?.index_template.template.mappings.properties };
  for (const field of ADDED_FIELDS) delete properties[field];
  const index = `${alias}_v1`;
  // The template would add its fields to any index of its pattern: the previous version had its own.
  await h.rest.request('DELETE', `/_index_template/${templateName(alias)}`);
  await h.rest.request('PUT', `/${index}`, {
    settings: { number_of_replicas: 0 },
    mappings: { dynamic: 'strict', properties },
    aliases: { [alias]: { is_write_index: true } },
  });
  const rows = await h.repository.findMany(
    (await h.seed(titles.map((title, i) => ({ infoHash: String(i).padStart(40, '0'), title, size: 1 })))).map(
      (t) => t.infoHash,
    ),
  );
  const documents = rows.map((row) => ({
    id: row.infoHash,
    version: row.version,
    body: Object.fromEntries(
      Object.entries(buildTorrentDocument(row, parseRelease(row.title), normalizeTitle(row.title))).filter(
        ([field]) => !ADDED_FIELDS.includes(field),
      ),
    ),
  }));
  await h.search.bulkIndex(alias, documents);
  await h.search.refresh(alias);
  return index;
}

describe('a mapping change rolled out on a live index', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  it('keeps search answering from the first new start-up through reindex, then finds packs by season', async () => {
    const alias = h.config.ELASTICSEARCH_INDEX;
    const old = await previousVersionIndex(h, [
      'Breaking.Bad.S02.COMPLETE.720p.BluRay.x264-GROUP',
      'Breaking.Bad.S02E03.720p.BluRay.x264-GROUP',
      'The.Matrix.1999.1080p.BluRay.x264-GROUP',
      'The.Matrix.1999.720p.WEB-DL.x264-OTHER',
    ]);
    // What a worker of the new version does first: the old index gets the added fields.
    await ensureIndex(h.search, alias, { replicas: 0 });
    const before = await searchTorrents(h.search, alias, 'the matrix 1999', 5);
    expect(before.works.flatMap((w) => w.releases).length).toBe(2);

    // A new document goes to the old index, with its new fields, while the old ones still lack them.
    const [fresh] = await h.seed([
      { infoHash: 'f'.repeat(40), title: 'Breaking.Bad.S02E04.720p.BluRay.x264-GROUP', size: 1 },
    ]);
    const buffer = new ElasticsearchBuffer({
      client: h.search,
      index: alias,
      maxDocs: 10,
      maxWaitMs: 50,
      idleMs: 10,
      maxPendingDocs: 100,
      logger,
      registry: new Registry(),
    });
    expect((await new TorrentProjector(h.repository, buffer).project(fresh!.infoHash)).outcome).toBe(
      'indexed',
    );
    await buffer.close();

    let queries = 0;
    const failures: unknown[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        await searchTorrents(h.search, alias, 'breaking bad season 2', 5).then(
          () => queries++,
          (error: unknown) => failures.push(error),
        );
      }
    })();
    const result = await reindex({
      client: h.search,
      alias,
      layout: { replicas: 0 },
      repository: h.repository,
      logger,
    });
    running = false;
    await loop;

    expect(failures).toEqual([]);
    expect(queries).toBeGreaterThan(0);
    expect(result.from).toEqual([old]);
    expect(await h.search.indexExists(old)).toBe(false);
    const packs = await searchTorrents(h.search, alias, 'breaking bad season 2', 5);
    expect(packs.works[0]?.releases[0]?.titleRaw).toBe('Breaking.Bad.S02.COMPLETE.720p.BluRay.x264-GROUP');
    const matrix = await searchTorrents(h.search, alias, 'the matrix 1999', 5);
    expect(matrix.works).toHaveLength(1);
    expect(matrix.works[0]?.releases).toHaveLength(2);
  });
});
