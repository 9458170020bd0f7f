import type uPlot from 'uplot';
import type { ThemeColors } from '../../composables/useThemeColors';
import { formatKiB, formatPercent, formatRate } from './stat-format';

/** What a chart's numbers are; decides its y scale and how values read. */
export type ChartKind = 'percent' | 'rate' | 'kib';

export interface ChartSeries {
  /** Column name in the data. */
  key: string;
  label: string;
}

export function formatterFor(kind: ChartKind, locale: string): (value: number | null) => string {
  if (kind === 'percent') return (v) => formatPercent(v, locale);
  if (kind === 'rate') return (v) => formatRate(v, locale);
  return (v) => formatKiB(v, locale);
}

function fillOf(color: string): string {
  // #rrggbb → the same colour, faint, under the line.
  return `${color}26`;
}

export interface ChartOptionsInput {
  kind: ChartKind;
  labels: readonly string[];
  colors: ThemeColors;
  width: number;
  height: number;
  locale: string;
  /** The x window [min, max] in seconds; the chart always shows the whole range. */
  xRange: () => [number, number];
  onCursor: (idx: number | null) => void;
}

/**
 * uPlot options for one of our charts: no title or legend of its own (the component
 * draws both in the app's style), theme colours on canvas, a y axis from 0, and gaps
 * where values are missing.
 */
export function chartOptions(input: ChartOptionsInput): uPlot.Options {
  const { colors, kind } = input;
  const format = formatterFor(kind, input.locale);
  const axisFont = '11px system-ui, sans-serif';
  const timeFormat = new Intl.DateTimeFormat(input.locale, { hour: '2-digit', minute: '2-digit' });
  const axis = {
    stroke: colors.muted,
    font: axisFont,
    grid: { stroke: colors.grid, width: 1 },
    ticks: { stroke: colors.grid, width: 1, size: 4 },
  };
  return {
    width: input.width,
    height: input.height,
    legend: { show: false },
    cursor: {
      drag: { x: false, y: false, setScale: false },
      points: { size: 6 },
    },
    scales: {
      x: { time: true, range: () => input.xRange() },
      y: {
        // Rates start from a 1 KiB/s ceiling, so an idle disk does not fill the chart.
        range: (_u, _min, max) =>
          kind === 'percent'
            ? [0, 100]
            : [0, Math.max(kind === 'rate' ? 1024 : 1, Number.isFinite(max) ? max * 1.15 : 0)],
      },
    },
    axes: [
      {
        ...axis,
        space: 64,
        size: 22,
        values: (_u, splits) => splits.map((s) => timeFormat.format(new Date(s * 1000))),
      },
      {
        ...axis,
        size: kind === 'percent' ? 44 : 70,
        space: 22,
        values: (_u, splits) =>
          splits.map((v) => (kind === 'percent' ? `${Math.round(v)} %` : format(v))),
      },
    ],
    series: [
      {},
      ...input.labels.map((label, i) => {
        const color = colors.series[i % colors.series.length] ?? colors.text;
        return {
          label,
          stroke: color,
          width: 1.5,
          fill: input.labels.length === 1 ? fillOf(color) : undefined,
          spanGaps: false,
          points: { show: false },
        };
      }),
    ],
    hooks: {
      setCursor: [(u: uPlot) => input.onCursor(u.cursor.idx ?? null)],
    },
  };
}
