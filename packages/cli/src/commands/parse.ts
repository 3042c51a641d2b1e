import { Command } from 'commander';

/** `minato parse`: the release-name parser, as a filter (placeholder until the releases module lands). */
export function parseCommand(): Command {
  return new Command('parse').description('parse release names into JSON lines').action(() => {
    throw new Error('not implemented yet');
  });
}
