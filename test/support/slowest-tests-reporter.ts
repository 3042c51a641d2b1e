import type { Reporter, TestModule } from 'vitest/node';

/** Prints the ten slowest tests after a run, so that the suite's cost stays visible to whoever adds to it. */
export default class SlowestTestsReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    const timed: { name: string; ms: number }[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const diagnostic = test.diagnostic();
        if (diagnostic)
          timed.push({
            name: `${module.moduleId.replace(`${process.cwd()}/`, '')} > ${test.fullName}`,
            ms: diagnostic.duration,
          });
      }
    }
    const slowest = timed.sort((a, b) => b.ms - a.ms).slice(0, 10);
    if (slowest.length === 0) return;
    const lines = slowest.map(({ name, ms }) => `${(ms / 1000).toFixed(1).padStart(7)} s  ${name}`);
    process.stdout.write(`\nThe ten slowest tests:\n${lines.join('\n')}\n`);
  }
}
