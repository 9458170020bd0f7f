import { computed, type Ref } from 'vue';
import type { StatsRange, VmTarget } from '../../../shared/contract';
import { useStatsStore } from '../stores/stats';
import { emptySeries, useLiveSeries } from './useLiveSeries';

export const vmSeriesColumns = [
  'cpu',
  'cpuGuest',
  'mem',
  'diskRd',
  'diskWr',
  'netRx',
  'netTx',
] as const;

/** A VM's history for its graphs, live while shown (with a detail subscription). */
export function useVmStatsSeries(target: Ref<VmTarget | null>, range: Ref<StatsRange>) {
  const stats = useStatsStore();
  const id = computed(() =>
    target.value ? `${target.value.connectionId}/${target.value.uuid}` : null,
  );
  return useLiveSeries(
    {
      id,
      async load(r) {
        const vm = target.value;
        if (!vm) return { ok: true, value: emptySeries() };
        const result = await stats.history(vm, r);
        if (!result.ok) return result;
        const h = result.value;
        return {
          ok: true,
          value: {
            stepMs: h.stepMs,
            t: h.t,
            columns: Object.fromEntries(vmSeriesColumns.map((name) => [name, h[name]])),
          },
        };
      },
      latest() {
        const live = id.value ? stats.liveOf(id.value) : null;
        if (!live) return null;
        return {
          t: live.t,
          values: Object.fromEntries(vmSeriesColumns.map((name) => [name, live[name]])),
        };
      },
      watch: () => (target.value ? stats.watchVm(target.value) : () => undefined),
    },
    range,
  );
}
