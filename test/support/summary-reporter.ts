import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';

/**
 * Prints one closing line, `Tests: N passed, N failed, N skipped`, so CI and people read the
 * same count whatever else the default reporter printed. Skipped tests are never folded into
 * passed: a skip is reported with its reason by the test itself. A test that never ran because
 * its suite's set-up (`beforeAll`) failed counts as failed, not skipped: it was meant to run.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed' || (test.options.mode === 'run' && setUpFailed(test))) failed++;
        else skipped++;
      }
      if (mod.state() === 'failed' && mod.children.size === 0) failed++;
    }
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

function setUpFailed(test: TestCase): boolean {
  for (let p: TestSuite | TestModule = test.parent; ; p = p.parent) {
    if (p.errors().length > 0) return true;
    if (p.type === 'module') return false;
  }
}
