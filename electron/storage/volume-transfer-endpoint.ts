import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Result } from '../../shared/contract/errors';
import { VirtDeckError } from '../../shared/contract/errors';
import { VOLUME_TRANSFER_HEADER, streamTransferSchema } from '../../shared/contract/storage';
import { toContractError } from '../handlers/to-contract-error';
import type { VolumeTransfers } from './volume-transfers';

/**
 * The web host's side of VOLUME_TRANSFER_PATH: in a browser "a local file" is the user's
 * file, which only the browser can read, so it arrives as the HTTP body (and a download
 * leaves as the response). Called after the web host has checked the token.
 */
export async function handleVolumeTransfer(
  transfers: VolumeTransfers,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const parsed = streamTransferSchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return answer(res, 400, {
      ok: false,
      error: new VirtDeckError({
        kind: 'validation',
        message: issue?.message ?? 'Bad transfer request',
        ...(issue?.path[0] !== undefined ? { path: String(issue.path[0]) } : {}),
      }).toContractError(),
    });
  }
  const target = parsed.data;
  if (req.method === 'PUT') {
    // A cross-site page can neither send this header without CORS nor read the answer.
    if (req.headers[VOLUME_TRANSFER_HEADER] !== '1') return plain(res, 403, 'Forbidden');
    const length = Number(req.headers['content-length']);
    if (!Number.isSafeInteger(length) || length < 0) {
      return plain(res, 411, 'Content-Length required');
    }
    try {
      const value = await transfers.uploadFrom(target, 'The file', length, () => req);
      return answer(res, 200, { ok: true, value });
    } catch (err) {
      // Unread body bytes would otherwise stall the browser's request.
      req.resume();
      return answer(res, 200, { ok: false, error: toContractError(err) });
    }
  }
  if (req.method === 'GET') {
    try {
      await transfers.downloadTo(target, (capacity) => {
        res.writeHead(200, {
          ...SAFE_HEADERS,
          'Content-Type': 'application/octet-stream',
          'Content-Length': capacity,
          'Content-Disposition': `attachment; filename="${target.volume}"`,
          'Cache-Control': 'no-store',
        });
        return res;
      });
    } catch (err) {
      if (!res.headersSent) {
        return plain(res, 502, toContractError(err).message);
      }
      // Mid-body: only cutting the connection tells the browser the file is incomplete.
      res.destroy();
    }
    return;
  }
  return plain(res, 405, 'Method not allowed', { Allow: 'GET, PUT' });
}

const SAFE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

function answer(res: ServerResponse, status: number, result: Result<unknown>): void {
  const body = JSON.stringify(result);
  res.writeHead(status, {
    ...SAFE_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function plain(
  res: ServerResponse,
  status: number,
  text: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...SAFE_HEADERS,
    ...extra,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(`${text}\n`);
}
