import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { withRuntime } from '../context.js';
import { Progress } from '../progress.js';

const CHUNK = 1_000;

interface DeleteOptions {
  file?: string;
  reason: string;
}

/** A takedown list: one info hash a line; blank lines and `#` comments are skipped. */
async function hashesFromFile(path: string): Promise<string[]> {
  return (await readFile(path, 'utf8'))
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line.length > 0);
}

/**
 * `minato delete <hash...> | --file LIST --reason TEXT`: deletes torrents from PostgreSQL with a reason; the
 * deletion record takes them from there, and the sync worker removes their documents within seconds (at once
 * if it runs, when it starts if not).
 */
export function deleteCommand(): Command {
  return new Command('delete')
    .description(
      'delete torrents (a takedown): their rows now, their documents as soon as the sync worker sees it',
    )
    .argument('[hashes...]', 'info hashes to delete')
    .option('--file <file>', 'one info hash a line (# starts a comment)')
    .requiredOption('--reason <text>', 'why, kept in the deletion record (e.g. "DMCA notice 2026-118")')
    .action((args: string[], opts: DeleteOptions) =>
      withRuntime({ needs: ['database'] }, async ({ runtime, core }) => {
        if (args.length > 0 === (opts.file !== undefined))
          throw new InvalidArgumentError('give either info hashes or --file FILE');
        const hashes = (opts.file ? await hashesFromFile(opts.file) : args).map(core.normalizeInfoHash);
        const repository = new core.DeletionRepository(runtime.sql);
        const progress = new Progress('delete', hashes.length);
        const absent: string[] = [];
        let deleted = 0;
        for (let i = 0; i < hashes.length; i += CHUNK) {
          const chunk = hashes.slice(i, i + CHUNK);
          const result = await repository.deleteTorrents(chunk, opts.reason);
          deleted += result.deleted.length;
          absent.push(...result.absent);
          progress.tick(chunk.length);
        }
        for (const hash of absent) console.error(`minato: ${hash} is not in PostgreSQL (deleted already?)`);
        progress.finish(
          `${deleted} deleted (reason "${opts.reason}"), ${absent.length} not found; documents go with the sync worker's next sweep`,
        );
      }),
    );
}
