import type { Writable } from 'node:stream';
import { formatJson, formatJsonLine, type JsonValue } from './format/json-format';

/**
 * Where a command's results go. Text and JSON are both written here so a command never
 * writes to process.stdout itself (tests run commands in-process with their own streams).
 */
export class VdctlOutput {
  constructor(
    private readonly stdout: Writable,
    private readonly stderr: Writable,
    /** `--json`: commands print one JSON document instead of virsh's text. */
    readonly json: boolean,
    /** `-q`: no table headers and no trailing blank line. */
    readonly quiet: boolean,
  ) {}

  text(text: string): void {
    this.stdout.write(text);
  }

  /** Writes bytes exactly as they came (console, vol-download to '-'). */
  bytes(chunk: Uint8Array): boolean {
    return this.stdout.write(chunk);
  }

  document(value: JsonValue): void {
    this.stdout.write(formatJson(value));
  }

  /** One JSON object per line, for commands that stream results (`event --json`). */
  jsonLine(value: JsonValue): void {
    this.stdout.write(formatJsonLine(value));
  }

  /** A line on stderr, for progress or banners that must not mix with the results. */
  note(text: string): void {
    this.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  error(message: string): void {
    this.stderr.write(`error: ${message}\n`);
  }

  /** Waits until both streams have handed their data to the OS (pipes are async on macOS). */
  flush(): Promise<void> {
    const drained = (stream: Writable) =>
      new Promise<void>((resolve) => {
        if (stream.writableEnded || stream.destroyed) resolve();
        else stream.write('', () => resolve());
      });
    return Promise.all([drained(this.stdout), drained(this.stderr)]).then(() => undefined);
  }
}
