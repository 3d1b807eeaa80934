import type { ModelSource } from '../../protocol/model-set.ts';
import type { MirrorManifest } from '../../protocol/mirror-manifest.ts';
import { listingFromHubTree, listingFromManifest, nextPageUrl, type HubTreeEntry, type ModelListing } from './listing.ts';
import { absoluteModelHost } from '../../engines/model-files/model-url.ts';

/** The last listing seen per model, so an offline start still knows every file and size. */
const LISTING_CACHE = 'hearth-model-listings';
const LISTING_TIMEOUT_MS = 8000;
/** The hub pages its tree listing (a thousand entries a page); no model the app runs comes near this. */
export const MAX_LISTING_PAGES = 20;

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

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;
const globalFetch: Fetch = (input, init) => fetch(input, init);

async function fetchPage(url: string, fetchImpl: Fetch): Promise<Response> {
  const response = await fetchImpl(url, { signal: AbortSignal.timeout(LISTING_TIMEOUT_MS), cache: 'no-store' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response;
}

/**
 * Every entry of the hub's tree listing, following `Link: <...>; rel="next"` from page to page,
 * on the same origin only and at most `maxPages` pages: a longer listing is refused rather than
 * cut short (a partial list would look like missing files). models:download lists the hub with
 * it too (tools/models/hub.ts), through its own fetch that retries and explains.
 * Undefined when the first page is not a list (the source does not list this model).
 */
export async function fetchHubTree(url: string, options: { fetch?: Fetch; maxPages?: number } = {}): Promise<HubTreeEntry[] | undefined> {
  const fetchImpl = options.fetch ?? globalFetch;
  const maxPages = options.maxPages ?? MAX_LISTING_PAGES;
  const origin = new URL(url).origin;
  const entries: HubTreeEntry[] = [];
  let pageUrl: string | undefined = url;
  for (let page = 1; pageUrl; page++) {
    if (page > maxPages) throw new Error(`the file list is longer than ${maxPages} pages`);
    if (new URL(pageUrl).origin !== origin) throw new Error('the file list continues on another site');
    const response = await fetchPage(pageUrl, fetchImpl);
    const json: unknown = await response.json();
    if (!Array.isArray(json)) {
      if (page === 1) return undefined;
      throw new Error(`page ${page} of the file list is not a list`);
    }
    entries.push(...(json as HubTreeEntry[]));
    pageUrl = nextPageUrl(response.headers.get('link'), pageUrl);
  }
  return entries;
}

async function fetchListing(source: ModelSource, model: string, origin: string): Promise<ModelListing | undefined> {
  const url = listingUrl(source, model, origin);
  if (source.kind === 'mirror') {
    const manifest = (await (await fetchPage(url, globalFetch)).json()) as MirrorManifest;
    return listingFromManifest(manifest, model);
  }
  const tree = await fetchHubTree(url);
  return tree && listingFromHubTree(model, tree);
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
    const listing = await fetchListing(source, model, origin);
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
