import {
  Deadline,
  explainFetchError,
  httpRequest,
  httpStatusError,
  httpUrl,
  InstallTreeError,
} from './http-request';

/** Waiting for the response head. */
const HEAD_TIMEOUT_MS = 30_000;
/** No byte for this long means the transfer stalled (a slow mirror still moves). */
const IDLE_TIMEOUT_MS = 60_000;

export interface FetchToBufferOptions {
  /** The most bytes accepted; a larger file is refused before or while it downloads. */
  maxBytes: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number | null) => void;
  /** Overrides both waits (tests). */
  timeoutMs?: number;
}

/**
 * Downloads an install tree's kernel or initrd into memory (it is uploaded into a pool next,
 * so the file works on remote hosts too). http and https only: Node's fetch has no ftp.
 */
export async function fetchToBuffer(url: string, opts: FetchToBufferOptions): Promise<Buffer> {
  if (!Number.isSafeInteger(opts.maxBytes) || opts.maxBytes < 0) {
    throw new InstallTreeError(
      `maxBytes must be a whole number of bytes, not ${opts.maxBytes}`,
      'EINVAL',
    );
  }
  const start = httpUrl(url, 'The download URL');
  const deadline = new Deadline(opts.signal);
  let at = start;
  try {
    const { response, url: final } = await httpRequest(start, {
      method: 'GET',
      deadline,
      timeoutMs: opts.timeoutMs ?? HEAD_TIMEOUT_MS,
    });
    at = final;
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw httpStatusError(response, final);
    }
    const total = declaredLength(response);
    if (total !== null && total > opts.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(final, opts.maxBytes, total);
    }
    opts.onProgress?.(0, total);
    const chunks: Uint8Array[] = [];
    let done = 0;
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        deadline.arm(opts.timeoutMs ?? IDLE_TIMEOUT_MS, `Downloading ${final.href}`);
        const { value, done: end } = await reader.read();
        if (end) break;
        done += value.byteLength;
        // Servers may omit or understate Content-Length: count what really arrives.
        if (done > opts.maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw tooLarge(final, opts.maxBytes, null);
        }
        chunks.push(value);
        opts.onProgress?.(done, total);
      }
    }
    if (total !== null && done !== total) {
      throw new InstallTreeError(`${final.href} ended after ${done} of ${total} bytes`, 'EPIPE');
    }
    return Buffer.concat(chunks, done);
  } catch (err) {
    throw explainFetchError(err, at, deadline);
  } finally {
    deadline.clear();
  }
}

/** Content-Length, unless a content coding makes it the size of something else. */
function declaredLength(response: Response): number | null {
  const coding = response.headers.get('content-encoding');
  if (coding !== null && coding.trim().toLowerCase() !== 'identity') return null;
  const raw = response.headers.get('content-length');
  return raw !== null && /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : null;
}

function tooLarge(url: URL, max: number, size: number | null): InstallTreeError {
  const what = size === null ? 'is larger than' : `has ${size} bytes, more than`;
  return new InstallTreeError(
    `${url.href} ${what} the ${max} bytes allowed; refusing to download it`,
    'EFBIG',
  );
}
