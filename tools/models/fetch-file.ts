// Downloads one file so that the final path only ever holds a complete, verified copy: bytes go
// to `<file>.part`, a later run resumes that with a Range request (the app's own downloader,
// src/models/store/range-download.ts), and the rename happens after the size and hash match
// what the hub says.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DownloadError } from '../../src/models/store/download-errors.ts';
import { fetchRest, type PartialSink } from '../../src/models/store/range-download.ts';
import { withRetry, type RetryPolicy } from './retry.ts';

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
    throw new DownloadError(`${file.url}: the download is corrupt (${reason}); fetching it again`, 'corrupt');
  }
  await rename(part, file.target);
  return { bytes: size, sha256, skipped: false };
}

/** The `.part` file as the downloader's sink: appended to, emptied when the download starts over. */
async function partSink(part: string): Promise<{ sink: PartialSink; close: () => Promise<void> }> {
  const handle = await open(part, 'a');
  return {
    sink: {
      append: async (chunk) => {
        await handle.write(chunk);
      },
      restart: () => handle.truncate(0),
    },
    close: () => handle.close(),
  };
}

/** Appends the rest of the file to `part` from `offset` (or rewrites it when the server will not resume). */
async function download(file: RemoteFile, part: string, offset: number, options: FetchOptions): Promise<number> {
  const { sink, close } = await partSink(part);
  try {
    // What arrives before a drop stays in `.part`; the next try asks for the rest. A full disk or
    // a read-only folder is thrown as it is: not a network failure, and isTransient says so.
    return await fetchRest(file.url, file.url, sink, {
      from: offset,
      bytes: file.bytes,
      headers: { ...options.headers },
      init: { redirect: 'follow' },
      httpMessage: (status) => httpError(file.url, status),
      onBytes: options.onProgress,
    });
  } finally {
    await close();
  }
}

function httpError(url: string, status: number): string {
  if (status === 401 || status === 403) return `HTTP ${status} for ${url}: the repository is gated or private; set HF_TOKEN to a token with access`;
  if (status === 404) return `HTTP 404 for ${url}: the hub has no such file`;
  return `HTTP ${status} for ${url}`;
}
