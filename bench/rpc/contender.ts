/** Which of the three measured jobs: (a) sequential, (b) concurrent, (c) bulk stats. */
export type Scenario = 'a' | 'b' | 'c';
export type Client = 'virtdeck' | 'libvirt-python';

/** One measured run, as the client itself timed it. */
export interface RunSample {
  seconds: number;
  /** CPU the client process used during the run (all its threads, user + system). */
  clientCpuSeconds: number;
}

/** One client doing one variant of a scenario; `run()` does one full pass. */
export interface Contender {
  readonly scenario: Scenario;
  readonly client: Client;
  readonly variant: string;
  run(): Promise<RunSample>;
}

/** Wall and CPU time of one async pass in this process. */
export async function timeRun(fn: () => Promise<void>): Promise<RunSample> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { seconds, clientCpuSeconds: (used.user + used.system) / 1e6 };
}
