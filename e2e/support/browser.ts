import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LaunchOptions {
  /** WAV fed to getUserMedia, played once from the start of every getUserMedia call. */
  microphoneWav?: string;
  /** Deny the microphone permission instead of granting it. */
  denyMicrophone?: boolean;
  /**
   * Expose WebGPU: SwiftShader (a CPU implementation) here, the machine's GPU when
   * `HEARTH_REAL_GPU=1` (npm run check:gpu). Off by default: the app then runs on wasm.
   */
  webgpu?: boolean;
  /** More Chromium flags (the hub rehearsal maps the hub's hosts to its fake hub). */
  extraArgs?: string[];
}

/** Flags that let headless Chromium on Linux use a real GPU through Vulkan instead of SwiftShader. */
export const REAL_GPU_FLAGS = ['--enable-features=Vulkan', '--use-angle=vulkan', '--use-vulkan=native', '--ignore-gpu-blocklist', '--disable-vulkan-surface'];

export interface LaunchedBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
}

export const chromiumPath = process.env.CHROME_PATH ?? '/usr/bin/chromium';

// Flags from docs/machine-notes.md: run as root, no network chatter, a fake microphone device.
function chromiumArgs(options: LaunchOptions): string[] {
  const args = [
    '--no-sandbox',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--autoplay-policy=no-user-gesture-required',
    '--use-fake-device-for-media-stream',
  ];
  if (!options.denyMicrophone) args.push('--use-fake-ui-for-media-stream');
  if (options.microphoneWav) args.push(`--use-file-for-fake-audio-capture=${options.microphoneWav}%noloop`);
  if (options.webgpu) args.push('--enable-unsafe-webgpu', ...(process.env.HEARTH_REAL_GPU === '1' ? REAL_GPU_FLAGS : []));
  else args.push('--disable-webgpu');
  return [...args, ...(options.extraArgs ?? [])];
}

export async function launchBrowser(baseUrl: string, options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'chromium-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs(options),
    baseURL: baseUrl,
    permissions: options.denyMicrophone ? [] : ['microphone'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const browser = context.browser();
  return {
    browser: browser as Browser,
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
