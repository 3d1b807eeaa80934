import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// The repositories a fake hub serves: fixture folders under real hub ids, with the facts the
// hub's tree API publishes about each file (git blob id, size, LFS sha256).

export interface HubFile {
  path: string;
  body: Buffer;
  /** git blob id (the tree API's `oid`). */
  oid: string;
  sha256: string;
  /** Stored in LFS: the hub redirects it to its CDN and lists its sha256. */
  lfs: boolean;
}

/** One row of `GET /api/models/<id>/tree/main?recursive=true`, as the hub writes it. */
export type TreeRow =
  | { type: 'directory'; oid: string; size: 0; path: string }
  | { type: 'file'; oid: string; size: number; path: string; lfs?: { oid: string; size: number; pointerSize: number } };

/** Binary files live in LFS on the hub; configs, tokenizers and READMEs are plain git files. */
const isLfs = (path: string): boolean => /\.(onnx|onnx_data(_\d+)?|bin|wasm|safetensors)$/.test(path);

function walk(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name), root) : [relative(root, join(dir, entry.name)).split('\\').join('/')],
  );
}

export function hubFile(path: string, body: Buffer): HubFile {
  const oid = createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
  return { path, body, oid, sha256: createHash('sha256').update(body).digest('hex'), lfs: isLfs(path) };
}

export class HubRepos {
  private readonly repos = new Map<string, HubFile[]>();
  private readonly bySha = new Map<string, HubFile>();

  /** A fixture folder served as hub repository `id`. */
  addFolder(id: string, dir: string): void {
    this.add(id, walk(dir).map((path) => hubFile(path, readFileSync(join(dir, path)))));
  }

  /** Files given inline: a repository of their own, or files replacing those of a folder added before. */
  addFiles(id: string, files: Record<string, string | Buffer>): void {
    this.add(id, Object.entries(files).map(([path, body]) => hubFile(path, Buffer.from(body))));
  }

  private add(id: string, added: HubFile[]): void {
    const kept = (this.repos.get(id) ?? []).filter((file) => !added.some((replacement) => replacement.path === file.path));
    const files = [...kept, ...added].sort((a, b) => a.path.localeCompare(b.path));
    this.repos.set(id, files);
    for (const file of files) this.bySha.set(file.sha256, file);
  }

  has(id: string): boolean {
    return this.repos.has(id);
  }

  file(id: string, path: string): HubFile | undefined {
    return this.repos.get(id)?.find((file) => file.path === path);
  }

  /** An LFS object by its sha256 (what the CDN's signed URL names). */
  object(sha256: string): HubFile | undefined {
    return this.bySha.get(sha256);
  }

  /** The tree listing: each folder above a file, then the files, as `recursive=true` gives them. */
  tree(id: string): TreeRow[] | undefined {
    const files = this.repos.get(id);
    if (!files) return undefined;
    const folders = new Set(files.flatMap((file) => file.path.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
    return [
      ...[...folders].map((path): TreeRow => ({ type: 'directory', oid: createHash('sha1').update(path).digest('hex'), size: 0, path })),
      ...files.map(
        (file): TreeRow => ({
          type: 'file',
          oid: file.oid,
          size: file.body.length,
          path: file.path,
          ...(file.lfs ? { lfs: { oid: file.sha256, size: file.body.length, pointerSize: 134 } } : {}),
        }),
      ),
    ];
  }
}
