// Downloads one file so that the final path only ever holds a complete, verified copy: bytes go
// to `<file>.part`, a later run resumes that with a Range request, and the rename happens after
// the size and hash match what the hub says.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DownloadError, NetworkError, isTransient, isTransientStatus, withRetry, type RetryPolicy } from './retry.ts';

/** What we know of a file before fetching it (from the tree API; nothing for WebLLM's library). */
export interface RemoteFile {
  url: string;
  /** Absolute path of the final file. */
  target: string;
  bytes: number | null;
  /** SHA-256 of the content (LFS files). */
  sha256: string | null;
  /** Git blob SHA-1 (small non-LFS files: the hub gives no SHA-256 for those). */
  gitOid: string | null;
}

export interface FetchedFile {
  bytes: number;
  sha256: string;
  /** Already there and intact: nothing was downloaded. */
  skipped: boolean;
}

export interface FetchOptions {
  headers: Record<string, string>;
  retry: RetryPolicy;
  /** Bytes on disk so far (resumed bytes included) and the total when known. */
  onProgress?: (received: number, total: number | null) => void;
  onRetry?: (error: unknown, waitMs: number) => void;
}

/** SHA-256 of the content and, when a git id is expected, the git blob SHA-1 (`blob <size>\0` + content). */
class Digests {
  readonly sha256: Hash = createHash('sha256');
  readonly gitSha1: Hash | null;
  constructor(file: RemoteFile) {
    this.gitSha1 = file.gitOid && file.bytes !== null ? createHash('sha1').update(`blob ${file.bytes}\0`) : null;
  }
  update(chunk: Buffer): void {
    this.sha256.update(chunk);
    this.gitSha1?.update(chunk);
  }
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}

async function hashInto(path: string, digests: Digests): Promise<void> {
  for await (const chunk of createReadStream(path)) digests.update(chunk as Buffer);
}

/** Why `path` (of `size` bytes, hashed into `digests`) is not `file`, or null when it is. */
function mismatch(file: RemoteFile, size: number, digests: Digests): { reason: string; sha256: string } {
  const sha256 = digests.sha256.digest('hex');
  if (file.bytes !== null && size !== file.bytes) return { reason: `${size} bytes, expected ${file.bytes}`, sha256 };
  if (file.sha256 && sha256 !== file.sha256) return { reason: `sha256 ${sha256}, expected ${file.sha256}`, sha256 };
  const gitSha1 = digests.gitSha1?.digest('hex');
  if (file.gitOid && gitSha1 && gitSha1 !== file.gitOid) return { reason: `git id ${gitSha1}, expected ${file.gitOid}`, sha256 };
  return { reason: '', sha256 };
}

/** The existing final file, if it is intact; an intact-looking file with no known size or hash is trusted. */
async function checkExisting(file: RemoteFile): Promise<FetchedFile | 'missing' | 'corrupt'> {
  const size = await sizeOf(file.target);
  if (size === null) return 'missing';
  if (file.bytes !== null && size !== file.bytes) return 'corrupt';
  const digests = new Digests(file);
  await hashInto(file.target, digests);
  const { reason, sha256 } = mismatch(file, size, digests);
  return reason ? 'corrupt' : { bytes: size, sha256, skipped: true };
}

/**
 * Fetches `file` to `file.target` unless an intact copy is there. Resumes a `.part` left by an
 * earlier run or try; retries transient failures; a copy that fails the size or hash check is
 * thrown away and fetched again from scratch (a transient failure), so after the last try the
 * caller gets an error and the final path holds nothing.
 */
export async function fetchFile(file: RemoteFile, options: FetchOptions): Promise<FetchedFile> {
  const existing = await checkExisting(file);
  if (typeof existing === 'object') return existing;
  if (existing === 'corrupt') await rm(file.target, { force: true });
  await mkdir(dirname(file.target), { recursive: true });
  return withRetry(options.retry, () => attempt(file, options), options.onRetry);
}

async function attempt(file: RemoteFile, options: FetchOptions): Promise<FetchedFile> {
  const part = `${file.target}.part`;
  let offset = (await sizeOf(part)) ?? 0;
  if (file.bytes !== null && offset > file.bytes) {
    await rm(part, { force: true });
    offset = 0;
  }
  // A `.part` already as long as the file (the rename was interrupted): only the check is left.
  if (!(file.bytes !== null && offset === file.bytes && offset > 0)) {
    offset = await download(file, part, offset, options);
  }
  const digests = new Digests(file);
  await hashInto(part, digests);
  const size = (await sizeOf(part)) ?? 0;
  const { reason, sha256 } = mismatch(file, size, digests);
  if (reason) {
    await rm(part, { force: true });
    throw new DownloadError(`${file.url}: the download is corrupt (${reason}); fetching it again`, true);
  }
  await rename(part, file.target);
  return { bytes: size, sha256, skipped: false };
}

/** Appends the rest of the file to `part` from `offset` (or rewrites it when the server will not resume). */
async function download(file: RemoteFile, part: string, offset: number, options: FetchOptions): Promise<number> {
  const headers: Record<string, string> = { ...options.headers };
  if (offset > 0) headers.range = `bytes=${offset}-`;
  let response: Response;
  try {
    response = await fetch(file.url, { headers, redirect: 'follow' });
  } catch (error) {
    throw new NetworkError(error);
  }
  if (response.status === 416) {
    // Our `.part` does not fit the file the server has (it changed upstream): start over.
    await response.body?.cancel();
    await rm(part, { force: true });
    throw new DownloadError(`${file.url}: the server refused to resume; starting the file again`, true);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new DownloadError(httpError(file.url, response.status), isTransientStatus(response.status));
  }
  let start = offset;
  if (response.status === 206) {
    const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
    if (!range || Number(range[1]) !== offset) {
      await response.body.cancel();
      await rm(part, { force: true });
      throw new DownloadError(`${file.url}: the server resumed at the wrong place; starting the file again`, true);
    }
  } else if (offset > 0) {
    // 200 to a Range request: the server sends the whole file, so the `.part` is rewritten.
    start = 0;
    await truncate(part, 0);
  }
  const length = Number(response.headers.get('content-length') ?? NaN);
  const total = file.bytes ?? (Number.isFinite(length) ? start + length : null);
  let received = start;
  options.onProgress?.(received, total);
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      options.onProgress?.(received, total);
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      tap,
      createWriteStream(part, { flags: start > 0 ? 'a' : 'w' }),
    );
  } catch (error) {
    // What arrived before the drop stays in `.part`; the next try asks for the rest.
    // A full disk or a read-only folder is not a network failure and another try will not help.
    if (!isTransient(error)) throw error;
    throw new NetworkError(error);
  }
  if (total !== null && received < total) {
    throw new DownloadError(`${file.url}: the connection ended after ${received} of ${total} bytes`, true);
  }
  return received;
}

function httpError(url: string, status: number): string {
  if (status === 401 || status === 403) return `HTTP ${status} for ${url}: the repository is gated or private; set HF_TOKEN to a token with access`;
  if (status === 404) return `HTTP 404 for ${url}: the hub has no such file`;
  return `HTTP ${status} for ${url}`;
}
