/** The part of a 2D canvas context a sparkline uses (so it can be tested without a DOM). */
export interface SparklineContext {
  clearRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  closePath(): void;
  stroke(): void;
  fill(): void;
  strokeStyle: unknown;
  fillStyle: unknown;
  lineWidth: number;
  globalAlpha: number;
}

export interface SparklineOptions {
  width: number;
  height: number;
  /**
   * The most the top edge may stand for (100 for percentages). The top is the smallest of
   * max/10, max/4, max/2 and max that fits the values, so a VM idling at 3 % still shows
   * its shape; the number beside the sparkline gives the value itself.
   */
  max: number;
  /** How many points the full width holds; fewer values are drawn right-aligned. */
  capacity: number;
  color: string;
}

/**
 * Draws values as a line with a faint fill, right-aligned (newest at the right edge), in
 * CSS pixels. A null breaks the line, so a gap shows as a gap and never as a drop to 0.
 * Returns how many points were drawn.
 */
export function drawSparkline(
  ctx: SparklineContext,
  values: readonly (number | null)[],
  options: SparklineOptions,
): number {
  const { width, height, max, capacity, color } = options;
  ctx.clearRect(0, 0, width, height);
  const step = width / Math.max(1, capacity - 1);
  const start = width - (values.length - 1) * step;
  const top = 1.5;
  const usable = height - top - 1;
  const peak = values.reduce<number>((m, v) => (v !== null && v > m ? v : m), 0);
  const ceiling = [max / 10, max / 4, max / 2, max].find((c) => peak <= c) ?? max;
  const yOf = (v: number) => top + usable * (1 - Math.min(1, Math.max(0, v / ceiling)));

  // Runs of consecutive numbers, each drawn as its own path.
  const runs: Array<Array<[number, number]>> = [];
  let run: Array<[number, number]> | null = null;
  values.forEach((value, i) => {
    if (value === null || !Number.isFinite(value)) {
      run = null;
      return;
    }
    if (!run) runs.push((run = []));
    run.push([start + i * step, yOf(value)]);
  });

  let drawn = 0;
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = 1.25;
  for (const points of runs) {
    drawn += points.length;
    const [first] = points;
    const last = points[points.length - 1];
    if (!first || !last) continue;
    if (points.length === 1) {
      // A lone point: a short tick, so a first sample is visible at all.
      ctx.beginPath();
      ctx.moveTo(first[0] - 1.5, first[1]);
      ctx.lineTo(first[0] + 0.5, first[1]);
      ctx.stroke();
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(first[0], height);
    for (const [x, y] of points) ctx.lineTo(x, y);
    ctx.lineTo(last[0], height);
    ctx.closePath();
    ctx.globalAlpha = 0.16;
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.beginPath();
    ctx.moveTo(first[0], first[1]);
    for (const [x, y] of points.slice(1)) ctx.lineTo(x, y);
    ctx.stroke();
  }
  return drawn;
}
