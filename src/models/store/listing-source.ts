import type { ModelSource } from '../../engines/types.ts';
import { listingFromHubTree, listingFromManifest, type HubTreeEntry, type MirrorManifest, type ModelListing } from './listing.ts';
import { absoluteModelHost } from './model-url.ts';

/** The last listing seen per model, so an offline start still knows every file and size. */
const LISTING_CACHE = 'hearth-model-listings';
const LISTING_TIMEOUT_MS = 8000;

export class ListingUnavailableError extends Error {
  constructor(model: string, cause: string) {
    super(`Could not get the file list of ${model} from the model source (${cause}). Check the connection, then retry.`);
    this.name = 'ListingUnavailableError';
  }
}

function savedKey(source: ModelSource, model: string, origin: string): string {
  return `${origin}/__hearth/listings/${encodeURIComponent(`${source.kind}:${source.host}:${model}`)}`;
}

/** Where the source publishes the list of a model's files. */
function listingUrl(source: ModelSource, model: string, origin: string): string {
  const host = absoluteModelHost(source.host, origin);
  return source.kind === 'mirror' ? `${host}manifest.json` : `${host}api/models/${model}/tree/main?recursive=true`;
}

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(LISTING_TIMEOUT_MS), cache: 'no-store' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

function parseListing(source: ModelSource, model: string, json: unknown): ModelListing | undefined {
  if (source.kind === 'mirror') return listingFromManifest(json as MirrorManifest, model);
  return Array.isArray(json) ? listingFromHubTree(model, json as HubTreeEntry[]) : undefined;
}

/**
 * A model's files, network first (a mirror may have been updated), else the copy saved the
 * last time: offline, the app still knows what a complete model looks like.
 */
export async function loadListing(source: ModelSource, model: string, origin: string): Promise<ModelListing> {
  const key = savedKey(source, model, origin);
  const saved = await caches.open(LISTING_CACHE);
  let failure: string;
  try {
    const listing = parseListing(source, model, await fetchJson(listingUrl(source, model, origin)));
    if (listing) {
      await saved.put(key, new Response(JSON.stringify(listing), { headers: { 'content-type': 'application/json' } }));
      return listing;
    }
    failure = 'the source does not list this model';
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  const previous = await saved.match(key);
  if (previous) return (await previous.json()) as ModelListing;
  throw new ListingUnavailableError(model, failure);
}

/** Forgets the saved listing (the model was deleted from the device). */
export async function forgetListing(source: ModelSource, model: string, origin: string): Promise<void> {
  await (await caches.open(LISTING_CACHE)).delete(savedKey(source, model, origin));
}
