import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { buildApi } from '../shared/contract/api';
import type { VirtDeckBridge } from '../shared/contract/api';
import { channelNames } from '../shared/contract/channels';
import type { Result } from '../shared/contract/errors';
import type { EventEnvelope } from '../shared/contract/events';
import { EVENT_CHANNEL } from './config/event-channel';

// The page gets exactly the contract's API and an event subscription: no generic invoke,
// no ipcRenderer. Main validates every call again, so this file holds no trust of its own.
// A sandboxed preload can require only 'electron': the build bundles everything else in.

const bridge: VirtDeckBridge = {
  api: buildApi(
    channelNames,
    (channel, input) => ipcRenderer.invoke(channel, input) as Promise<Result<unknown>>,
  ),
  onEvent(listener) {
    const forward = (_event: IpcRendererEvent, envelope: EventEnvelope) => listener(envelope);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
  // webUtils replaces File.path (removed in Electron 32); it throws for non-File values.
  pathForFile: (file) => webUtils.getPathForFile(file as File),
};

contextBridge.exposeInMainWorld('virtdeck', bridge);
