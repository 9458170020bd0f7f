import type { Ref } from 'vue';
import type { StatsRange } from '../../../shared/contract';
import { useStatsStore } from '../stores/stats';
import { emptySeries, useLiveSeries } from './useLiveSeries';

/** A host's CPU and memory history for the connection details, live while shown. */
export function useHostStatsSeries(connectionId: Ref<string | null>, range: Ref<StatsRange>) {
  const stats = useStatsStore();
  return useLiveSeries(
    {
      id: connectionId,
      async load(r) {
        const id = connectionId.value;
        if (!id) return { ok: true, value: emptySeries() };
        const result = await stats.hostHistory(id, r);
        if (!result.ok) return result;
        const h = result.value;
        return {
          ok: true,
          value: {
            stepMs: h.stepMs,
            t: h.t,
            columns: { cpu: h.cpu, mem: h.mem, memUsedKiB: h.memUsedKiB },
          },
        };
      },
      latest() {
        const id = connectionId.value;
        const live = id ? stats.hosts.get(id) : undefined;
        if (!live?.host) return null;
        return {
          t: live.t,
          values: {
            cpu: live.host.cpuPct,
            mem: live.host.memPct,
            memUsedKiB: live.host.memUsedKiB,
          },
        };
      },
    },
    range,
  );
}
