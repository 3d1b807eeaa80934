import type { ModelSource } from '../../protocol/model-set.ts';

/** A model host made absolute against `origin` (workers have no document base to resolve `/models/`). */
export function absoluteModelHost(host: string, origin: string): string {
  const url = new URL(host, origin).href;
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * Where the source serves `path` of `model`, exactly as transformers.js builds it
 * (`remoteHost` + `remotePathTemplate` + file, revision `main`). It is also the key under which
 * transformers.js looks the file up in its cache, so a file stored under it is never fetched twice.
 */
export function modelFileUrl(source: ModelSource, model: string, path: string, origin: string): string {
  const folder = source.pathTemplate.replaceAll('{model}', model).replaceAll('{revision}', 'main');
  return `${absoluteModelHost(source.host, origin)}${folder}${folder.endsWith('/') ? '' : '/'}${path}`;
}
