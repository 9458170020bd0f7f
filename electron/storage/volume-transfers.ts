import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { VirtDeckError } from '../../shared/contract/errors';
import type { TransferInput, TransferProgress } from '../../shared/contract/storage';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { poolLookup } from '../libvirt/facade/storage-pool';
import { volDownload, volGetInfo, volLookup, volUpload } from '../libvirt/facade/storage-volume';
import type { EventHub } from '../services/event-hub';
import type { HostDirectory } from '../vms/host-directory';
import { vmActionError, vmRefusal } from '../vms/vm-action-error';

const PROGRESS_INTERVAL_MS = 200;

type Direction = TransferProgress['direction'];

/** A transfer's volume and id, without a local path (streams bring their own bytes). */
export type StreamTransferTarget = Omit<TransferInput, 'localPath'>;

/**
 * Volume uploads and downloads through libvirt streams, each on its own bulk connection
 * (LibvirtClient.openBulk) so a transfer never stalls the host's calls and events.
 */
export class VolumeTransfers {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly options: { hosts: HostDirectory; events: EventHub }) {}

  cancel(transferId: string): boolean {
    const controller = this.running.get(transferId);
    controller?.abort();
    return controller !== undefined;
  }

  async upload(input: TransferInput): Promise<{ bytes: number }> {
    const size = await stat(input.localPath).catch((err: NodeJS.ErrnoException) => {
      throw vmRefusal(`Cannot read ${input.localPath}: ${err.code ?? err.message}`, 'localPath');
    });
    if (!size.isFile()) throw vmRefusal(`${input.localPath} is not a file`, 'localPath');
    return this.uploadFrom(input, input.localPath, size.size, () =>
      createReadStream(input.localPath),
    );
  }

  /**
   * Upload from any byte stream of a known length (the web host's HTTP body: the browser's
   * file). `open` is called only once the volume is known to be large enough.
   */
  async uploadFrom(
    input: StreamTransferTarget,
    what: string,
    length: number,
    open: () => Readable,
  ): Promise<{ bytes: number }> {
    return this.run(input, 'upload', async (bulk, vol, capacity, controller, progress) => {
      if (length > capacity) {
        throw vmRefusal(
          `${what} (${length} bytes) is larger than volume ${input.volume} (${capacity} bytes)`,
          'localPath',
        );
      }
      const source = open();
      controller.signal.addEventListener('abort', () => source.destroy(cancelledError()));
      let sent = 0;
      await volUpload(bulk, vol, {
        source,
        length,
        onProgress: (bytes) => {
          sent = bytes;
          progress(bytes, length);
        },
      });
      // A stream that ended early (browser gone) must not pass for a whole upload.
      if (sent !== length) {
        throw vmRefusal(`The upload ended after ${sent} of ${length} bytes`, 'localPath');
      }
      return length;
    });
  }

  async download(input: TransferInput): Promise<{ bytes: number }> {
    const dir = path.dirname(input.localPath);
    const dirStat = await stat(dir).catch(() => null);
    if (!dirStat?.isDirectory()) throw vmRefusal(`Folder ${dir} does not exist`, 'localPath');
    const partial = `${input.localPath}.part-${input.transferId.slice(0, 8)}`;
    let created = false;
    try {
      const result = await this.downloadTo(input, () => {
        created = true;
        return createWriteStream(partial, { flags: 'wx' });
      });
      await rename(partial, input.localPath);
      return result;
    } catch (err) {
      if (created) await rm(partial, { force: true });
      throw err;
    }
  }

  /**
   * Download into any writable (the web host's HTTP response). `begin` gets the volume's
   * capacity before the first byte, e.g. to send headers, and returns the sink.
   */
  async downloadTo(
    input: StreamTransferTarget,
    begin: (capacity: number) => Writable,
  ): Promise<{ bytes: number }> {
    return this.run(input, 'download', async (bulk, vol, capacity, controller, progress) => {
      const sink = begin(capacity);
      controller.signal.addEventListener('abort', () => sink.destroy(cancelledError()));
      let bytes = 0;
      await volDownload(bulk, vol, {
        sink,
        onProgress: (done) => {
          bytes = done;
          progress(done, capacity);
        },
      });
      return bytes;
    });
  }

  private async run(
    input: StreamTransferTarget,
    direction: Direction,
    work: (
      bulk: LibvirtClient,
      vol: Awaited<ReturnType<typeof volLookup>>,
      capacity: number,
      controller: AbortController,
      progress: (bytes: number, total: number) => void,
    ) => Promise<number>,
  ): Promise<{ bytes: number }> {
    const host = this.options.hosts.host(input.connectionId);
    if (!host) throw vmRefusal(`${this.options.hosts.alias(input.connectionId)} is not connected`);
    if (this.running.has(input.transferId)) {
      throw vmRefusal(`Transfer ${input.transferId} is already running`, 'transferId');
    }
    const controller = new AbortController();
    this.running.set(input.transferId, controller);
    const started = performance.now();
    let lastEmit = 0;
    const emit = (bytes: number, total: number, force = false): void => {
      const now = performance.now();
      if (!force && now - lastEmit < PROGRESS_INTERVAL_MS) return;
      lastEmit = now;
      const seconds = (now - started) / 1000;
      this.options.events.emit('transfer:progress', {
        transferId: input.transferId,
        connectionId: input.connectionId,
        pool: input.pool,
        volume: input.volume,
        direction,
        bytes,
        total,
        bytesPerSecond: seconds > 0 ? Math.round(bytes / seconds) : 0,
      });
    };
    let bulk: LibvirtClient | undefined;
    try {
      const pool = await poolLookup(host.client, input.pool);
      const vol = await volLookup(host.client, pool, input.volume);
      const capacity = Number((await volGetInfo(host.client, vol)).capacity);
      bulk = await host.client.openBulk();
      const bytes = await work(bulk, vol, capacity, controller, emit);
      emit(bytes, direction === 'upload' ? bytes : capacity, true);
      return { bytes };
    } catch (err) {
      if (controller.signal.aborted) throw cancelledError();
      if (err instanceof VirtDeckError) throw err;
      throw vmActionError(direction, `volume ${input.volume}`, host.alias, err);
    } finally {
      this.running.delete(input.transferId);
      await bulk?.close().catch(() => undefined);
    }
  }
}

function cancelledError(): VirtDeckError {
  return new VirtDeckError({ kind: 'validation', message: 'The transfer was cancelled' });
}
