import { onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import type { StatsRange } from '../../../shared/contract';
import type { ErrorDetail } from '../stores/notifications';
import { useStatsStore } from '../stores/stats';
import type { VmActionResult } from '../stores/vms';

/** Columnar points for a chart: `columns[name][i]` belongs to `t[i]` (epoch ms). */
export interface LiveSeries {
  stepMs: number;
  t: number[];
  columns: Record<string, (number | null)[]>;
}

export function emptySeries(): LiveSeries {
  return { stepMs: 0, t: [], columns: {} };
}

export interface LiveSeriesSource {
  /** What is shown; null shows nothing. A change loads afresh. */
  id: Ref<string | null>;
  load(range: StatsRange): Promise<VmActionResult<LiveSeries>>;
  /** The newest sample from the latest tick, or null when there is none. */
  latest(): { t: number; values: Record<string, number | null> } | null;
  /** Starts interest (e.g. a stats subscription); returns its end. */
  watch?(): () => void;
}

export const RANGE_MS: Readonly<Record<StatsRange, number>> = {
  '5m': 5 * 60_000,
  '1h': 60 * 60_000,
  '24h': 24 * 60 * 60_000,
};

/** '24h' is minute averages from the main process: re-read each minute instead of appending. */
const RELOAD_24H_MS = 60_000;

/**
 * History for a graph, kept current: loaded once per source and range, then each stats
 * tick appends its sample (and drops what fell out of the range). `version` changes on
 * every change so a chart knows to redraw; the arrays are changed in place, untracked.
 */
export function useLiveSeries(source: LiveSeriesSource, range: Ref<StatsRange>) {
  const stats = useStatsStore();
  const series = shallowRef<LiveSeries | null>(null);
  const version = ref(0);
  const loading = ref(false);
  const error = ref<ErrorDetail | null>(null);
  let generation = 0;
  let endWatch: (() => void) | null = null;
  let reloadTimer: ReturnType<typeof setInterval> | null = null;

  async function load(): Promise<void> {
    const mine = ++generation;
    if (source.id.value === null) {
      series.value = null;
      return;
    }
    loading.value = true;
    const result = await source.load(range.value);
    if (mine !== generation) return;
    loading.value = false;
    if (result.ok) {
      series.value = result.value;
      error.value = null;
    } else {
      error.value = result.error;
    }
    version.value++;
  }

  function append(): void {
    const current = series.value;
    if (!current || range.value === '24h') return;
    const sample = source.latest();
    const last = current.t[current.t.length - 1];
    if (!sample || (last !== undefined && sample.t <= last)) return;
    current.t.push(sample.t);
    for (const [name, column] of Object.entries(current.columns)) {
      column.push(sample.values[name] ?? null);
    }
    const oldest = sample.t - RANGE_MS[range.value];
    let drop = 0;
    while (drop < current.t.length && (current.t[drop] ?? 0) < oldest) drop++;
    if (drop > 0) {
      current.t.splice(0, drop);
      for (const column of Object.values(current.columns)) column.splice(0, drop);
    }
    version.value++;
  }

  function restart(): void {
    endWatch?.();
    endWatch = source.id.value !== null && source.watch ? source.watch() : null;
    if (reloadTimer) clearInterval(reloadTimer);
    reloadTimer = range.value === '24h' ? setInterval(() => void load(), RELOAD_24H_MS) : null;
    void load();
  }

  watch([source.id, range], restart, { immediate: true });
  watch(() => stats.version, append);

  onScopeDispose(() => {
    generation++;
    endWatch?.();
    if (reloadTimer) clearInterval(reloadTimer);
  });

  return { series, version, loading, error, reload: load };
}
