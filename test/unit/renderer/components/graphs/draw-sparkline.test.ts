import { describe, expect, it } from 'vitest';
import {
  drawSparkline,
  type SparklineContext,
} from '../../../../../renderer/src/components/graphs/draw-sparkline';

/** Records the path operations a sparkline makes, as a canvas would receive them. */
class RecordingContext implements SparklineContext {
  ops: string[] = [];
  strokeStyle: unknown = '';
  fillStyle: unknown = '';
  lineWidth = 1;
  globalAlpha = 1;
  clearRect(): void {
    this.ops.push('clear');
  }
  beginPath(): void {
    this.ops.push('begin');
  }
  moveTo(x: number, y: number): void {
    this.ops.push(`M${x.toFixed(1)},${y.toFixed(1)}`);
  }
  lineTo(x: number, y: number): void {
    this.ops.push(`L${x.toFixed(1)},${y.toFixed(1)}`);
  }
  closePath(): void {}
  stroke(): void {
    this.ops.push('stroke');
  }
  fill(): void {
    this.ops.push('fill');
  }
}

const options = { width: 40, height: 20, max: 100, capacity: 5, color: '#2457C5' };

describe('drawSparkline', () => {
  it('draws right-aligned, breaking the line at a missing value', () => {
    const ctx = new RecordingContext();
    const drawn = drawSparkline(ctx, [10, 20, null, 30], options);
    expect(drawn).toBe(3);
    // Two runs: [10, 20] and the lone 30 (a short tick at the right edge).
    expect(ctx.ops.filter((op) => op === 'stroke')).toHaveLength(2);
    expect(ctx.ops.filter((op) => op === 'fill')).toHaveLength(1);
    expect(ctx.ops).toContain('M38.5,8.5');
    expect(ctx.ops.at(-2)).toBe('L40.5,8.5');
  });

  it('scales a quiet VM up so its shape shows, and clamps to the top edge', () => {
    const quiet = new RecordingContext();
    drawSparkline(quiet, [0, 5, 10], options);
    // 10 % with a ceiling of 10 (max/10) reaches the top (y = 1.5).
    expect(quiet.ops).toContain('L40.0,1.5');
    const busy = new RecordingContext();
    drawSparkline(busy, [0, 150], options);
    expect(busy.ops).toContain('L40.0,1.5');
  });

  it('draws nothing for no values or only missing ones', () => {
    const ctx = new RecordingContext();
    expect(drawSparkline(ctx, [], options)).toBe(0);
    expect(drawSparkline(ctx, [null, Number.NaN], options)).toBe(0);
    expect(ctx.ops).toEqual(['clear', 'clear']);
  });
});
