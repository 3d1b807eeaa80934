import { describe, expect, it } from 'vitest';
import { fetchHubTree, MAX_LISTING_PAGES } from './listing-source.ts';
import { listingFromHubTree, nextPageUrl, type HubTreeEntry } from './listing.ts';

const FIRST = 'https://huggingface.co/api/models/org/model/tree/main?recursive=true';
const page = (cursor: number): string => `${FIRST}&cursor=${cursor}`;

function entries(from: number, count: number): HubTreeEntry[] {
  return Array.from({ length: count }, (_, i) => ({ type: 'file', path: `onnx/part_${from + i}.onnx`, size: from + i }));
}

/** A hub whose tree listing comes in `pages` pages of two entries, linked by `Link: <...>; rel="next"`. */
function pagingHub(pages: number, linkFor: (next: number) => string = (next) => `<${page(next)}>; rel="next"`) {
  const requested: string[] = [];
  const fetch = async (url: string): Promise<Response> => {
    requested.push(url);
    const index = url === FIRST ? 0 : Number(new URL(url).searchParams.get('cursor'));
    const headers = new Headers({ 'content-type': 'application/json' });
    if (index + 1 < pages) headers.set('link', linkFor(index + 1));
    return new Response(JSON.stringify(entries(index * 2, 2)), { status: 200, headers });
  };
  return { fetch, requested };
}

describe('nextPageUrl', () => {
  it('reads the rel="next" target of a Link header, resolved against the page', () => {
    expect(nextPageUrl(`<${page(1)}>; rel="next"`, FIRST)).toBe(page(1));
    expect(nextPageUrl(`<${page(0)}>; rel="prev", <${page(2)}>; rel=next`, page(1))).toBe(page(2));
    expect(nextPageUrl('</api/models/org/model/tree/main?cursor=7>; rel="next"', FIRST)).toBe('https://huggingface.co/api/models/org/model/tree/main?cursor=7');
    expect(nextPageUrl(`<${page(0)}>; rel="prev"`, FIRST)).toBeUndefined();
    expect(nextPageUrl(null, FIRST)).toBeUndefined();
    expect(nextPageUrl('', FIRST)).toBeUndefined();
  });
});

describe('fetchHubTree', () => {
  it('follows the pages of the tree listing and keeps every entry', async () => {
    const hub = pagingHub(3);
    const tree = await fetchHubTree(FIRST, { fetch: hub.fetch });
    expect(hub.requested).toEqual([FIRST, page(1), page(2)]);
    expect(tree?.map((entry) => entry.path)).toEqual(entries(0, 6).map((entry) => entry.path));
    // The last page's files are in the listing the model store downloads from.
    expect(listingFromHubTree('org/model', tree ?? []).files.at(-1)).toEqual({ path: 'onnx/part_5.onnx', bytes: 5 });
  });

  it('reads one page when the hub sends no Link header', async () => {
    const hub = pagingHub(1);
    expect(await fetchHubTree(FIRST, { fetch: hub.fetch })).toHaveLength(2);
    expect(hub.requested).toEqual([FIRST]);
  });

  it('stops at a bounded number of pages rather than returning a partial list', async () => {
    const endless = pagingHub(Number.POSITIVE_INFINITY);
    await expect(fetchHubTree(FIRST, { fetch: endless.fetch, maxPages: 4 })).rejects.toThrow('the file list is longer than 4 pages');
    expect(endless.requested).toHaveLength(4);
    expect(MAX_LISTING_PAGES).toBeGreaterThan(1);
  });

  it('does not follow a next page on another site', async () => {
    const hub = pagingHub(2, () => '<https://elsewhere.example/api/tree?cursor=1>; rel="next"');
    await expect(fetchHubTree(FIRST, { fetch: hub.fetch })).rejects.toThrow('another site');
    expect(hub.requested).toEqual([FIRST]);
  });

  it('returns nothing when the source answers something other than a list, and fails on an HTTP error', async () => {
    const notAList = async (): Promise<Response> => new Response(JSON.stringify({ error: 'Repository not found' }), { status: 200 });
    expect(await fetchHubTree(FIRST, { fetch: notAList })).toBeUndefined();
    const gone = async (): Promise<Response> => new Response('', { status: 404 });
    await expect(fetchHubTree(FIRST, { fetch: gone })).rejects.toThrow('HTTP 404');
  });
});
