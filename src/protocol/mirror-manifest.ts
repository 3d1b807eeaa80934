/**
 * A mirror's `manifest.json`: written by `npm run fixtures` and `npm run models:download`,
 * served (or built) by the relay, read by the app's model store to list a model's files.
 */
export interface MirrorManifest {
  models: { id: string; files: { path: string; bytes: number; sha256?: string }[] }[];
}
