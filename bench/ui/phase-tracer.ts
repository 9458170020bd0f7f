import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { summariseTrace, type TraceSummary } from './trace-summary';

export interface TracePhase extends TraceSummary {
  phase: string;
  file: string;
}

const CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'blink.user_timing',
];

/** Records a Chromium performance trace over one phase of the bench at a time. */
export class PhaseTracer {
  constructor(
    private readonly browser: Browser,
    private readonly page: Page,
    private readonly dir: string,
  ) {}

  async start(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await this.browser.startTracing(this.page, { categories: CATEGORIES });
  }

  async stop(phase: string): Promise<TracePhase> {
    const buffer = await this.browser.stopTracing();
    const file = join(this.dir, `${phase}.trace.json`);
    await writeFile(file, buffer);
    const parsed = JSON.parse(buffer.toString('utf8')) as {
      traceEvents: Parameters<typeof summariseTrace>[0];
    };
    return { phase, file, ...summariseTrace(parsed.traceEvents) };
  }
}
