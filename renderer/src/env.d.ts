/// <reference types="vite/client" />

import type { VirtDeckBridge } from '../../shared/contract';
import type { MessageSchema } from './locales/message-key';

declare global {
  interface Window {
    /** Present only under Electron: the preload exposes the contract API through contextBridge. */
    readonly virtdeck?: VirtDeckBridge;
  }
}

declare module 'vue-i18n' {
  // Types `t('…')` keys against the English catalog.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface DefineLocaleMessage extends MessageSchema {}
}
