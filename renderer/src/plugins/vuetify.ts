import { createVuetify } from 'vuetify';
import { aliases, mdi } from 'vuetify/iconsets/mdi-svg';
import { en, zhHans } from 'vuetify/locale';
import 'vuetify/styles';
import { darkTheme, lightTheme } from './themes';

/** Vuetify's own locale names for our catalogs (its internal strings: close, loading, …). */
export const vuetifyLocaleFor = { en: 'en', 'zh-CN': 'zhHans' } as const;

export const vuetify = createVuetify({
  // SVG paths from @mdi/js: no icon font, nothing fetched at run time.
  icons: { defaultSet: 'mdi', aliases, sets: { mdi } },
  // The preferences store decides light/dark (including "follow the OS"); see App.vue.
  theme: { defaultTheme: 'light', themes: { light: lightTheme, dark: darkTheme } },
  locale: { locale: 'en', fallback: 'en', messages: { en, zhHans } },
  // A desktop tool: compact controls everywhere unless a component asks otherwise.
  defaults: {
    global: { density: 'compact' },
    VAppBar: { flat: true, density: 'default' },
    VBtn: { variant: 'text' },
    VList: { density: 'compact' },
    VTooltip: { location: 'bottom', openDelay: 400 },
    VMenu: { offset: 4 },
  },
});
