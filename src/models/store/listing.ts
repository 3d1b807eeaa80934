import type { MirrorManifest } from '../../protocol/mirror-manifest.ts';

/** One file a model source offers: as listed by the mirror's manifest or the hub's tree API. */
export interface ListedFile {
  path: string;
  bytes: number;
  /** Hex sha256 where the source publishes one (mirror manifests, hub LFS files). */
  sha256?: string;
}

/** A model as its source lists it. */
export interface ModelListing {
  id: string;
  files: ListedFile[];
}


/** One row of `GET /api/models/{id}/tree/main?recursive=true` on the hub. */
export interface HubTreeEntry {
  type: string;
  path: string;
  size: number;
  lfs?: { oid: string; size: number };
}

export function listingFromManifest(manifest: MirrorManifest, id: string): ModelListing | undefined {
  const model = manifest.models.find((m) => m.id === id);
  if (!model) return undefined;
  return { id, files: model.files.map(({ path, bytes, sha256 }) => ({ path, bytes, ...(sha256 ? { sha256 } : {}) })) };
}

export function listingFromHubTree(id: string, tree: HubTreeEntry[]): ModelListing {
  return {
    id,
    files: tree
      .filter((entry) => entry.type === 'file')
      // Only LFS files carry a sha256 (`lfs.oid`); small git files carry a git blob id instead.
      .map((entry) => ({ path: entry.path, bytes: entry.lfs?.size ?? entry.size, ...(entry.lfs ? { sha256: entry.lfs.oid } : {}) })),
  };
}

/**
 * The `rel="next"` target of a `Link` header (the hub's tree API pages large repositories:
 * `Link: <https://huggingface.co/api/models/x/tree/main?recursive=true&cursor=...>; rel="next"`),
 * resolved against the page's own URL; undefined on the last page.
 */
export function nextPageUrl(link: string | null, pageUrl: string): string | undefined {
  if (!link) return undefined;
  for (const [, target = '', params = ''] of link.matchAll(/<([^>]*)>([^<]*)/g)) {
    const rel = /(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]*))/i.exec(params);
    const values = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (!values.includes('next')) continue;
    try {
      return new URL(target, pageUrl).href;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
