import { Duplex } from 'node:stream';
import type { ClientChannel } from 'ssh2';

const STDERR_LIMIT = 8 * 1024;

export interface ExecFailure {
  /** What the remote command wrote to stderr (trimmed, capped at 8 KiB). */
  stderr: string;
  exitCode: number | null;
  signal: string | null;
}

/**
 * The stdin/stdout of a remote command as one Duplex, for tunnels like `nc -U` or
 * virt-ssh-helper. If the command ends before it produced a single byte, the stream fails
 * with an error built from its stderr and exit status (e.g. "nc: not found") instead of a
 * bare end-of-file, so the caller can tell the user why.
 */
export class ExecChannelStream extends Duplex {
  private stderrText = '';
  private exitCode: number | null = null;
  private exitSignal: string | null = null;
  private sawOutput = false;
  private closedLocally = false;
  private pendingWrite: ((err?: Error | null) => void) | undefined;

  constructor(
    private readonly channel: ClientChannel,
    private readonly explain: (failure: ExecFailure) => Error,
  ) {
    super({ allowHalfOpen: true });
    channel.on('data', (chunk: Buffer) => {
      this.sawOutput = true;
      if (!this.push(chunk)) channel.pause();
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      if (this.stderrText.length < STDERR_LIMIT) {
        this.stderrText = (this.stderrText + chunk.toString('utf8')).slice(0, STDERR_LIMIT);
      }
    });
    channel.on('exit', (code: number | null, signal?: string) => {
      this.exitCode = typeof code === 'number' ? code : null;
      this.exitSignal = signal ?? null;
    });
    channel.on('error', (err: Error) => this.destroy(err));
    // 'close' comes after EOF and exit-status, so the verdict can use both.
    channel.on('close', () => {
      if (!this.destroyed) {
        if (!this.sawOutput && !this.closedLocally) this.destroy(this.explain(this.failure()));
        else this.push(null);
      }
      // A write waiting for window space will never get it now.
      this.settleWrite(new Error('SSH channel closed'));
    });
  }

  /** Stderr and exit status so far (also useful after a normal end). */
  failure(): ExecFailure {
    return { stderr: this.stderrText.trim(), exitCode: this.exitCode, signal: this.exitSignal };
  }

  private settleWrite(err: Error | null): void {
    const callback = this.pendingWrite;
    this.pendingWrite = undefined;
    callback?.(err);
  }

  override _read(): void {
    this.channel.resume();
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (err?: Error | null) => void,
  ): void {
    if (this.channel.write(chunk)) {
      callback();
      return;
    }
    this.pendingWrite = callback;
    this.channel.once('drain', () => this.settleWrite(null));
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.channel.end();
    callback();
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.closedLocally = true;
    this.channel.close();
    callback(err);
  }
}
