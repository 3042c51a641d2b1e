import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { Command } from 'commander';

/**
 * Parses one release name a line from `input` into one JSON object a line on `output`, with back-pressure, so
 * a stream of any length runs in constant memory. Stops quietly when the reader goes away (`| head`).
 */
export async function parseLines(input: Readable, output: Writable): Promise<number> {
  // Loaded here, not at the top: `minato --help` should not pay for the parser.
  const { parseRelease } = await import('@minato/core/releases');
  const lines = createInterface({ input, crlfDelay: Infinity });
  let outputError: NodeJS.ErrnoException | undefined;
  const onError = (error: NodeJS.ErrnoException) => {
    outputError = error;
    lines.close();
  };
  output.on('error', onError);
  let count = 0;
  try {
    for await (const line of lines) {
      if (outputError) break;
      count++;
      if (!output.write(`${JSON.stringify(parseRelease(line))}\n`)) await once(output, 'drain');
    }
  } catch (error) {
    // `once` rejects with the output's error while waiting for 'drain'; that case is handled below.
    if (!outputError) throw error;
  } finally {
    output.off('error', onError);
  }
  if (outputError && outputError.code !== 'EPIPE') throw outputError;
  return count;
}

/** `minato parse NAME...` or `minato parse --stdin`: release names in, one JSON object a line out. */
export function parseCommand(): Command {
  return new Command('parse')
    .description('parse release names into JSON lines: type, title, year, season, episode, enrichable, tags')
    .argument('[names...]', 'release names (quote each one)')
    .option('--stdin', 'read one release name a line from standard input', false)
    .action(async (names: string[], opts: { stdin: boolean }, command: Command) => {
      if (opts.stdin === names.length > 0) command.error('error: give either release names or --stdin');
      if (opts.stdin) {
        await parseLines(process.stdin, process.stdout);
        return;
      }
      const { parseRelease } = await import('@minato/core/releases');
      for (const name of names) process.stdout.write(`${JSON.stringify(parseRelease(name))}\n`);
    });
}
