import { LibvirtClient } from '../../electron/libvirt/client/libvirt-client';
import {
  connectGetAllDomainStats,
  type DomainStatsRecord,
} from '../../electron/libvirt/facade/stats';
import { openConnection, type LibvirtConnection } from '../../electron/libvirt/open-connection';
import { VIR_DOMAIN_RUNNING } from '../../electron/libvirt/protocol/constants.gen';
import { RemoteClient } from '../../electron/libvirt/protocol/remote.gen';
import { timeRun, type Contender } from './contender';

export interface VirtdeckBenchJob {
  uri: string;
  names: readonly string[];
  /** Connection counts for the pooled variant of (b); values below 2 are skipped. */
  poolSizes: readonly number[];
  /**
   * Extra (b) variants: one connection whose RpcConnection allows this many calls in
   * flight instead of the default 4, to show what the daemon's throttling costs.
   */
  inFlightLimits: readonly number[];
}

export interface VirtdeckBench {
  daemonLibVersion: number;
  sequential: Contender;
  /** One connection first, then one per pool size. */
  concurrent: Contender[];
  stats: Contender;
  /** Typed parameters summed over all records of the last stats call. */
  readonly statsParams: number;
  close(): Promise<void>;
}

async function lookupAndInfo(remote: RemoteClient, name: string): Promise<void> {
  const { dom } = await remote.domainLookupByName({ name });
  const info = await remote.domainGetInfo({ dom });
  if (info.state !== VIR_DOMAIN_RUNNING) {
    throw new Error(`${name}: state ${info.state}, expected running`);
  }
}

async function sequential(remote: RemoteClient, names: readonly string[]): Promise<void> {
  for (const name of names) await lookupAndInfo(remote, name);
}

/** Every domain's chain started at once; each connection's call queue does the throttling. */
async function concurrent(
  remotes: readonly RemoteClient[],
  names: readonly string[],
): Promise<void> {
  await Promise.all(
    names.map((name, i) => lookupAndInfo(remotes[i % remotes.length] as RemoteClient, name)),
  );
}

/** `limits[i]` undefined = RpcConnection's default in-flight limit. */
async function openMany(
  uri: string,
  limits: readonly (number | undefined)[],
): Promise<LibvirtConnection[]> {
  const opened: LibvirtConnection[] = [];
  try {
    // One at a time: each test:///<file> connection makes the daemon parse the whole file.
    for (const maxInFlight of limits) {
      opened.push(await openConnection(uri, maxInFlight ? { rpc: { maxInFlight } } : {}));
    }
    return opened;
  } catch (err) {
    await Promise.allSettled(opened.map((c) => c.close()));
    throw err;
  }
}

/**
 * VirtDeck's side: RemoteClient over RpcConnection for the per-domain calls (what the
 * app's list and details views do) and the facade's stats function for the bulk call
 * (typed-param records built, as the stats tick gets them).
 */
export async function openVirtdeckBench(job: VirtdeckBenchJob): Promise<VirtdeckBench> {
  const { uri, names } = job;
  const pools = job.poolSizes.filter((n) => n >= 2);
  const poolCount = Math.max(1, ...pools);
  const connections = await openMany(uri, [
    ...Array.from({ length: poolCount }, () => undefined),
    ...job.inFlightLimits,
  ]);
  let client: LibvirtClient;
  try {
    client = await LibvirtClient.open(uri);
  } catch (err) {
    await Promise.allSettled(connections.map((c) => c.close()));
    throw err;
  }
  const remotes = connections.map((c) => new RemoteClient(c.rpc));
  const first = remotes[0] as RemoteClient;
  let lastStats: DomainStatsRecord[] = [];
  const base = { client: 'virtdeck' } as const;
  return {
    daemonLibVersion: client.libVersion,
    sequential: {
      ...base,
      scenario: 'a',
      variant: 'one connection',
      run: () => timeRun(() => sequential(first, names)),
    },
    concurrent: [
      {
        ...base,
        scenario: 'b',
        variant: '1 connection (≤4 in flight)',
        run: () => timeRun(() => concurrent([first], names)),
      },
      ...pools.map((size): Contender => ({
        ...base,
        scenario: 'b',
        variant: `pool of ${size} connections`,
        run: () => timeRun(() => concurrent(remotes.slice(0, size), names)),
      })),
      ...job.inFlightLimits.map((limit, i): Contender => ({
        ...base,
        scenario: 'b',
        variant: `1 connection, ≤${limit} in flight (not the default)`,
        run: () => timeRun(() => concurrent([remotes[poolCount + i] as RemoteClient], names)),
      })),
    ],
    stats: {
      ...base,
      scenario: 'c',
      variant: 'facade connectGetAllDomainStats',
      run: () =>
        timeRun(async () => {
          const records = await connectGetAllDomainStats(client);
          if (records.length !== names.length) {
            throw new Error(`stats: ${records.length} records, expected ${names.length}`);
          }
          lastStats = records;
        }),
    },
    // Counted outside the timed run, as the python side does.
    get statsParams() {
      return lastStats.reduce((n, r) => n + Object.keys(r.stats).length, 0);
    },
    close: async () => {
      await Promise.allSettled([client.close(), ...connections.map((c) => c.close())]);
    },
  };
}
