import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { contentTypeFor } from './mime.ts';

// Model files are hundreds of MB: downloads must resume (Range) and revalidate cheaply
// (ETag / Last-Modified -> 304) instead of starting over.

export async function statFile(path: string): Promise<Stats | null> {
  try {
    const stats = await stat(path);
    return stats.isFile() ? stats : null;
  } catch {
    return null;
  }
}

function etagOf(stats: Stats): string {
  return `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
}

function matchesEtag(header: string, etag: string): boolean {
  const weak = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || weak(tag) === weak(etag));
}

function notModified(req: Request, etag: string, mtime: Date): boolean {
  const ifNoneMatch = req.headers.get('if-none-match');
  if (ifNoneMatch !== null) return matchesEtag(ifNoneMatch, etag);
  const since = Date.parse(req.headers.get('if-modified-since') ?? '');
  return !Number.isNaN(since) && Math.floor(mtime.getTime() / 1000) * 1000 <= since;
}

type Range = { start: number; end: number } | 'unsatisfiable' | null;

/** One `bytes=` range; several ranges are answered with the whole file, which HTTP allows. */
function parseRange(header: string, size: number): Range {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return null;
  if (from === '') {
    const length = Number(to);
    if (length === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(size - length, 0), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** `If-Range` keeps a resumed download from stitching together two versions of a file. */
function rangeStillValid(req: Request, etag: string, mtime: Date): boolean {
  const ifRange = req.headers.get('if-range');
  if (ifRange === null) return true;
  if (ifRange.startsWith('"') || ifRange.startsWith('W/')) return ifRange.trim() === etag;
  return Date.parse(ifRange) === Math.floor(mtime.getTime() / 1000) * 1000;
}

function body(path: string, start: number, end: number): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(path, { start, end })) as ReadableStream<Uint8Array>;
}

export interface SendOptions {
  /** The type of what the bytes decode to, when `path` is an encoded copy (`app.js.br`). */
  contentType?: string;
  /** `br` or `gzip` when `path` holds the encoded bytes of the resource. */
  contentEncoding?: string;
  /** The resource has encoded variants: caches must key on `Accept-Encoding`. */
  varyOnEncoding?: boolean;
}

/** Answers a GET for a file that exists (HEAD is derived from GET by hono). */
export function sendFile(req: Request, path: string, stats: Stats, cacheControl: string, options: SendOptions = {}): Response {
  // Each encoded variant is its own file, so its size and time make its own ETag.
  const etag = etagOf(stats);
  const headers = new Headers({
    'Content-Type': options.contentType ?? contentTypeFor(path),
    'Cache-Control': cacheControl,
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': stats.mtime.toUTCString(),
  });
  if (options.contentEncoding) headers.set('Content-Encoding', options.contentEncoding);
  if (options.varyOnEncoding) headers.set('Vary', 'Accept-Encoding');
  if (notModified(req, etag, stats.mtime)) return new Response(null, { status: 304, headers });

  const size = stats.size;
  const rangeHeader = req.headers.get('range');
  const range = rangeHeader && rangeStillValid(req, etag, stats.mtime) ? parseRange(rangeHeader, size) : null;
  if (range === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  if (range) {
    headers.set('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
    headers.set('Content-Length', String(range.end - range.start + 1));
    return new Response(body(path, range.start, range.end), { status: 206, headers });
  }
  headers.set('Content-Length', String(size));
  return new Response(size === 0 ? null : body(path, 0, size - 1), { status: 200, headers });
}
