import { absoluteModelHost } from './model-files/model-url.ts';

/** Absolute URL of a file under the app's base (workers have no document to resolve against). */
export function appUrl(relativePath: string): string {
  return new URL(relativePath, new URL(import.meta.env.BASE_URL, self.location.origin)).href;
}

/** A model host made absolute: transformers.js joins it as a string, so `/models/` would break in a worker. */
export function absoluteHost(host: string): string {
  return absoluteModelHost(host, self.location.origin);
}
