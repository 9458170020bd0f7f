import { computed } from 'vue';
import { useTheme } from 'vuetify';

export interface ThemeColors {
  dark: boolean;
  text: string;
  muted: string;
  grid: string;
  surface: string;
  /** One colour per series, in order; readable on the theme's surface. */
  series: readonly string[];
}

function hexToRgba(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Our themes give every colour as a hex string; anything else falls back. */
function hex(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.startsWith('#') ? value : fallback;
}

/** The active Vuetify theme's colours for canvas drawing (charts cannot read CSS variables). */
export function useThemeColors() {
  const theme = useTheme();
  return computed<ThemeColors>(() => {
    const current = theme.current.value;
    const c = current.colors;
    const text = hex(c['on-surface'], current.dark ? '#E4E7EC' : '#1B1F27');
    return {
      dark: current.dark,
      text,
      muted: hexToRgba(text, 0.62),
      grid: hexToRgba(text, current.dark ? 0.1 : 0.08),
      surface: hex(c.surface, current.dark ? '#1C1F26' : '#FFFFFF'),
      series: current.dark
        ? [hex(c.primary, '#8AB4FF'), '#F4A261', '#8CD6A3', '#E0A3FF']
        : [hex(c.primary, '#2457C5'), '#C2570C', '#1E7F45', '#8B3FBF'],
    };
  });
}
