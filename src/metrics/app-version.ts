// Only `version` is bundled: Vite turns a named import from JSON into one constant.
import { version } from '../../package.json';

/** The app's release, sent with each turn's metrics. */
export const APP_VERSION: string = version;
