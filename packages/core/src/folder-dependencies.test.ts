import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = dirname(fileURLToPath(import.meta.url));

/** Every relative import (and re-export, type-only ones included) between two of core's top-level folders. */
function folderArrows(): Map<string, Set<string>> {
  const arrows = new Map<string, Set<string>>();
  const folderOf = (path: string) => relative(src, path).split('/')[0]!.replace(/\.ts$/, '');
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(src, f));
  for (const file of files) {
    for (const [, target] of readFileSync(file, 'utf8').matchAll(
      /(?:import|export)[^'";]*?from\s+'(\.[^']+)'/g,
    )) {
      const [from, to] = [folderOf(file), folderOf(resolve(dirname(file), target!))];
      if (from !== to) arrows.set(from, (arrows.get(from) ?? new Set()).add(to));
    }
  }
  return arrows;
}

/** The arrows `from → to` whose target reaches back to `from`, each with the way back. */
function arrowsInCycles(arrows: Map<string, Set<string>>): string[] {
  const wayBack = (start: string, goal: string): string[] | null => {
    const previous = new Map<string, string>([[start, start]]);
    const queue = [start];
    while (queue.length > 0) {
      const at = queue.shift()!;
      if (at === goal) {
        const path = [at];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return path;
      }
      for (const next of arrows.get(at) ?? []) {
        if (previous.has(next)) continue;
        previous.set(next, at);
        queue.push(next);
      }
    }
    return null;
  };
  return [...arrows].flatMap(([from, targets]) =>
    [...targets].flatMap((to) => {
      const back = wayBack(to, from);
      return back ? [`${from} → ${back.join(' → ')}`] : [];
    }),
  );
}

describe("core's folders", () => {
  it('import one another in one direction only, type imports included', () => {
    expect(arrowsInCycles(folderArrows())).toEqual([]);
  });
});
