import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { i18n } from './plugins/i18n';
import { vuetify } from './plugins/vuetify';
import { useAppInfoStore } from './stores/app-info';
import { useConnectionsStore } from './stores/connections';
import { useHostLinkStore } from './stores/host-link';
import { describeError, useNotificationsStore } from './stores/notifications';
import { usePreferencesStore } from './stores/preferences';
import { useStatsStore } from './stores/stats';
import { useVmsStore } from './stores/vms';
import './styles/app.css';

// Start-up order is explicit: plugins, error routing, the stores' first requests, then mount —
// the host prepares the VM list while the page mounts instead of after it (bench:ui showed
// ~600 ms of mounting before the first vm:list call).
const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(i18n);
app.use(vuetify);

const notifications = useNotificationsStore(pinia);
app.config.errorHandler = (error) => {
  console.error(error);
  notifications.reportError('errors.unexpected', error);
};
window.addEventListener('unhandledrejection', (event) => {
  notifications.reportError('errors.unexpected', event.reason);
});
window.addEventListener('error', (event) => {
  notifications.reportError('errors.unexpected', event.error ?? event.message);
});

async function startStores(): Promise<void> {
  // Each store reports its own failures; this catches what escapes them.
  useHostLinkStore(pinia).init();
  await Promise.all([
    usePreferencesStore(pinia).init(),
    useAppInfoStore(pinia).load(),
    useConnectionsStore(pinia).init(),
    useVmsStore(pinia).init(),
    useStatsStore(pinia).init(),
  ]);
}

startStores().catch((error: unknown) => notifications.reportError('errors.startup', error));

try {
  app.mount('#app');
} catch (error) {
  // Nothing rendered, so no snackbar can show it: write the failure into the page itself.
  console.error(error);
  const root = document.getElementById('app');
  if (root) {
    const message = document.createElement('pre');
    message.className = 'app-start-failure';
    message.textContent = `${i18n.global.t('errors.startup')}\n\n${describeError(error).detail}`;
    root.replaceChildren(message);
  }
  throw error;
}
