import { describe, expect, it } from 'vitest';
import { darkTheme, lightTheme, type AppTheme } from '../../../../renderer/src/plugins/themes';

type Rgb = [number, number, number];

function rgb(hex: string): Rgb {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [1, 2, 3].map((i) => parseInt(match[i]!, 16)) as Rgb;
}

/** WCAG 2.x relative luminance and contrast ratio. */
function luminance([r, g, b]: Rgb): number {
  const [lr, lg, lb] = [r, g, b].map((channel) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
}

function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** A foreground drawn at some opacity over a background, as Vuetify does for emphasis. */
function blend(fg: Rgb, bg: Rgb, alpha: number): Rgb {
  return fg.map((c, i) => Math.round(c * alpha + bg[i]! * (1 - alpha))) as Rgb;
}

function color(theme: AppTheme, name: string): Rgb {
  const value = theme.colors[name];
  if (!value) throw new Error(`theme has no colour ${name}`);
  return rgb(value);
}

const AA_TEXT = 4.5;
const filled = [
  'background',
  'surface',
  'surface-variant',
  'primary',
  'secondary',
  'error',
  'warning',
  'info',
  'success',
];
const textOnSurface = ['primary', 'error', 'warning', 'info', 'success'];

describe.each([
  ['light', lightTheme],
  ['dark', darkTheme],
] as const)('%s theme', (_name, theme) => {
  it.each(filled)('on-%s text is readable on its fill', (name) => {
    expect(contrast(color(theme, `on-${name}`), color(theme, name))).toBeGreaterThanOrEqual(
      AA_TEXT,
    );
  });

  it.each(textOnSurface)('%s text is readable on the surface and the background', (name) => {
    for (const ground of ['surface', 'background']) {
      expect(contrast(color(theme, name), color(theme, ground))).toBeGreaterThanOrEqual(AA_TEXT);
    }
  });

  it('keeps medium-emphasis text (secondary lines, status bar) readable', () => {
    const alpha = Number(theme.variables['medium-emphasis-opacity']);
    for (const ground of ['surface', 'background']) {
      const text = blend(color(theme, 'on-surface'), color(theme, ground), alpha);
      expect(contrast(text, color(theme, ground))).toBeGreaterThanOrEqual(AA_TEXT);
    }
  });

  it('is marked dark exactly when its background is dark', () => {
    expect(luminance(color(theme, 'background')) < 0.2).toBe(theme.dark);
  });
});
