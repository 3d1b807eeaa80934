import type { ManifestOptions } from 'vite-plugin-pwa';

/** A manifest screenshot: what tools/pwa/screenshots.ts captures and the manifest lists. */
export interface ScreenshotSpec {
  /** Path under public/ (and under the site root). */
  path: string;
  viewport: { width: number; height: number };
  deviceScaleFactor: number;
  formFactor: 'wide' | 'narrow';
  label: string;
}

// Chrome's richer install dialog wants at least one of each form factor, each side 320-3840 px and
// an aspect ratio of at most 2.3.
export const SCREENSHOTS: ScreenshotSpec[] = [
  {
    path: 'screenshots/wide.png',
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    formFactor: 'wide',
    label: 'Hearth on a desktop: the conversation transcript and the talk controls',
  },
  {
    path: 'screenshots/narrow.png',
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    formFactor: 'narrow',
    label: 'Hearth on a phone: talking to the assistant',
  },
];

export function manifestScreenshots(): NonNullable<ManifestOptions['screenshots']> {
  return SCREENSHOTS.map((shot) => ({
    src: `/${shot.path}`,
    sizes: `${shot.viewport.width * shot.deviceScaleFactor}x${shot.viewport.height * shot.deviceScaleFactor}`,
    type: 'image/png',
    form_factor: shot.formFactor,
    label: shot.label,
  }));
}
