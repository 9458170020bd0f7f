/**
 * The HTTP(S) requests of the network-install method: Node's global fetch, with redirects
 * followed by hand so each hop is checked (fetch would follow any, and a tree URL must never
 * lead us to file:, data: or another scheme), a deadline per wait, and failures turned into
 * messages that say what failed (host and errno, HTTP status, timeout) instead of fetch's
 * bare "fetch failed".
 */

const MAX_REDIRECTS = 10;

/** A failure with a stable code: an errno (`ECONNREFUSED`), `HTTP_404`, `ETIMEDOUT`, … */
export class InstallTreeError extends Error {
  override name = 'InstallTreeError';
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Parses and checks a URL we may fetch: http or https only, no credentials in it. */
export function httpUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new InstallTreeError(`${what} is not a valid URL: ${raw}`, 'EINVAL');
  }
  if (url.protocol === 'ftp:') {
    throw new InstallTreeError(
      `${what} is an ftp:// URL, which VirtDeck cannot fetch (http and https only); ` +
        'most mirrors serve the same tree over http(s)',
      'EPROTONOSUPPORT',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InstallTreeError(
      `${what} must be an http or https URL, not ${url.protocol}`,
      'EPROTONOSUPPORT',
    );
  }
  // fetch refuses such URLs with a vague TypeError; say it plainly instead.
  if (url.username !== '' || url.password !== '') {
    throw new InstallTreeError(`${what} must not contain a user name or password`, 'EINVAL');
  }
  url.hash = '';
  return url;
}

/**
 * An abort signal that fires when the caller aborts or when the current wait (armed with a
 * time and a description) runs out; re-armed between body chunks so a slow but moving
 * download is not cut off, while a stalled one is.
 */
export class Deadline {
  readonly signal: AbortSignal;
  private readonly own = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly callerSignal?: AbortSignal) {
    this.signal = callerSignal ? AbortSignal.any([callerSignal, this.own.signal]) : this.own.signal;
  }

  arm(ms: number, what: string): void {
    this.clear();
    this.timer = setTimeout(() => {
      const s = ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
      this.own.abort(new InstallTreeError(`${what}: no answer within ${s}`, 'ETIMEDOUT'));
    }, ms);
  }

  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

export interface HttpRequestOptions {
  method: 'GET' | 'HEAD';
  deadline: Deadline;
  /** How long to wait for each response's head. */
  timeoutMs: number;
  headers?: Record<string, string>;
}

/** One request, following up to 10 http(s) redirects; the final response and its URL. */
export async function httpRequest(
  url: URL,
  opts: HttpRequestOptions,
): Promise<{ response: Response; url: URL }> {
  let current = url;
  for (let hop = 0; ; hop++) {
    opts.deadline.arm(opts.timeoutMs, `${opts.method} ${current.href}`);
    let response: Response;
    try {
      response = await fetch(current, {
        method: opts.method,
        redirect: 'manual',
        signal: opts.deadline.signal,
        // A compressed transfer would be unpacked by fetch and no longer match the file's
        // Content-Length (or, for initrd.gz, its bytes).
        headers: { 'accept-encoding': 'identity', ...opts.headers },
      });
    } catch (err) {
      throw explainFetchError(err, current, opts.deadline);
    } finally {
      opts.deadline.clear();
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || response.status === 304 || !location) {
      return { response, url: current };
    }
    await response.body?.cancel().catch(() => undefined);
    if (hop >= MAX_REDIRECTS) {
      throw new InstallTreeError(`${url.href} redirects more than ${MAX_REDIRECTS} times`, 'ELOOP');
    }
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw new InstallTreeError(
        `${current.href} redirects to an invalid URL: ${location}`,
        'EINVAL',
      );
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new InstallTreeError(
        `${current.href} redirects to ${next.protocol} (${location}); only http and https ` +
          'redirects are followed',
        'EPROTONOSUPPORT',
      );
    }
    current = next;
  }
}

/** `HTTP 404 Not Found for <url>`, as an error with code `HTTP_404`. */
export function httpStatusError(response: Response, url: URL): InstallTreeError {
  const text = response.statusText ? ` ${response.statusText}` : '';
  return new InstallTreeError(
    `HTTP ${response.status}${text} for ${url.href}`,
    `HTTP_${response.status}`,
  );
}

/**
 * fetch's "fetch failed" hides the reason in `cause` (an errno error, or an AggregateError
 * when every address of the host failed). The caller's own abort passes through unchanged,
 * so callers can tell cancellation from failure.
 */
export function explainFetchError(err: unknown, url: URL, deadline: Deadline): unknown {
  if (err instanceof InstallTreeError) return err;
  if (deadline.callerSignal?.aborted) {
    const reason: unknown = deadline.callerSignal.reason;
    // AbortSignal.timeout() from the caller is a time limit, not a cancellation: say so.
    if (reason instanceof DOMException && reason.name === 'TimeoutError') {
      return new InstallTreeError(`${url.href}: no answer within the time allowed`, 'ETIMEDOUT', {
        cause: reason,
      });
    }
    return reason ?? err;
  }
  if (deadline.signal.aborted && deadline.signal.reason instanceof InstallTreeError) {
    return deadline.signal.reason;
  }
  let cause: unknown = err instanceof Error ? err.cause : undefined;
  if (cause instanceof AggregateError && cause.errors.length > 0) cause = cause.errors[0];
  const code =
    cause instanceof Error && typeof (cause as NodeJS.ErrnoException).code === 'string'
      ? ((cause as NodeJS.ErrnoException).code ?? 'EIO')
      : 'EIO';
  const detail =
    cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err);
  return new InstallTreeError(`Cannot reach ${url.host} (${url.href}): ${detail}`, code, {
    cause: err,
  });
}
