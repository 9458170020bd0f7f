import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installBridge } from '../../../../renderer/src/api/bridge';
import { useStorageStore } from '../../../../renderer/src/stores/storage';
import { FakeBridge } from '../fake-bridge';

const CONN = '00000000-0000-4000-8000-0000000000c2';
const target = { connectionId: CONN, pool: 'images', volume: 'debian.iso' };
const TRANSFER = '00000000-0000-4000-8000-00000000ee01';

/** A bridge like Electron's preload: it names the path of a file the user picked. */
class PathBridge extends FakeBridge {
  readonly pathForFile = (file: unknown): string =>
    file instanceof File && file.name === 'debian.iso' ? '/home/user/Downloads/debian.iso' : '';
}

describe('storage store: uploading a picked file', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => installBridge(null));

  it('in Electron sends the picked file by its path, so the main process reads it', async () => {
    const bridge = new PathBridge().handle('vol:upload', () => ({ bytes: 4 }));
    installBridge(bridge);
    const result = await useStorageStore().uploadFile(
      target,
      { file: new File(['abcd'], 'debian.iso') },
      TRANSFER,
    );
    expect(result).toEqual({ ok: true, value: { bytes: 4 } });
    expect(bridge.calls).toEqual([
      {
        channel: 'vol:upload',
        input: { ...target, transferId: TRANSFER, localPath: '/home/user/Downloads/debian.iso' },
      },
    ]);
  });

  it('a file Electron has no path for is not sent as a path', async () => {
    const bridge = new PathBridge();
    installBridge(bridge);
    // Made in the page, not on disk: no path, so the browser route (HTTP PUT) is taken.
    const result = await useStorageStore().uploadFile(
      target,
      { file: new File(['abcd'], 'made-in-page.iso') },
      TRANSFER,
    );
    expect(bridge.calls.filter((c) => c.channel === 'vol:upload')).toEqual([]);
    expect(result.ok).toBe(false);
  });
});
