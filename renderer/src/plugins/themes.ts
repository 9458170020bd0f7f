/**
 * VirtDeck's two themes: calm neutral surfaces, one blue accent, and every text/background
 * pair at WCAG AA contrast or better (pinned by test/unit/renderer/plugins/themes.test.ts).
 * Plain data, so the test can check it without Vuetify.
 */
export interface AppTheme {
  dark: boolean;
  colors: Record<string, string>;
  variables: Record<string, string | number>;
}

export const lightTheme: AppTheme = {
  dark: false,
  colors: {
    background: '#F3F4F6',
    'on-background': '#1B1F27',
    surface: '#FFFFFF',
    'on-surface': '#1B1F27',
    'surface-bright': '#FFFFFF',
    'surface-light': '#EBEDF1',
    'surface-variant': '#3A4150',
    'on-surface-variant': '#F1F3F6',
    primary: '#2457C5',
    'on-primary': '#FFFFFF',
    'primary-darken-1': '#1B4499',
    secondary: '#55607A',
    'on-secondary': '#FFFFFF',
    'secondary-darken-1': '#434C61',
    error: '#B3261E',
    'on-error': '#FFFFFF',
    warning: '#8A5300',
    'on-warning': '#FFFFFF',
    info: '#1F5FAD',
    'on-info': '#FFFFFF',
    success: '#1E6B35',
    'on-success': '#FFFFFF',
  },
  variables: {
    'border-color': '#1B1F27',
    'border-opacity': 0.12,
    'high-emphasis-opacity': 0.9,
    'medium-emphasis-opacity': 0.7,
    'disabled-opacity': 0.42,
    'hover-opacity': 0.05,
    'theme-code': '#EBEDF1',
    'theme-on-code': '#1B1F27',
  },
};

export const darkTheme: AppTheme = {
  dark: true,
  colors: {
    background: '#14161B',
    'on-background': '#E4E7EC',
    surface: '#1C1F26',
    'on-surface': '#E4E7EC',
    'surface-bright': '#2A2E37',
    'surface-light': '#262A33',
    'surface-variant': '#D3D8E2',
    'on-surface-variant': '#1C1F26',
    primary: '#8AB4FF',
    'on-primary': '#0A1F44',
    'primary-darken-1': '#6C9BEF',
    secondary: '#AAB4C8',
    'on-secondary': '#1C2333',
    'secondary-darken-1': '#8F9AB0',
    error: '#FFB4AB',
    'on-error': '#5C0A06',
    warning: '#F4B860',
    'on-warning': '#3D2500',
    info: '#93C5FD',
    'on-info': '#0B2545',
    success: '#8CD6A3',
    'on-success': '#0B3319',
  },
  variables: {
    'border-color': '#E4E7EC',
    'border-opacity': 0.12,
    'high-emphasis-opacity': 0.92,
    'medium-emphasis-opacity': 0.72,
    'disabled-opacity': 0.5,
    'hover-opacity': 0.06,
    'theme-code': '#262A33',
    'theme-on-code': '#E4E7EC',
  },
};
