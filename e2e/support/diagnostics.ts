import type { Page } from '@playwright/test';
// The app's own declaration of `window.hearthDiagnostics`, so tests read it typed.
import type {} from '../../src/app/diagnostics.ts';

export function renderedSeconds(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const diagnostics = window.hearthDiagnostics!;
    return (await diagnostics.renderedFrames()) / diagnostics.outputSampleRate()!;
  });
}

export function turnTimings(page: Page) {
  return page.evaluate(() => window.hearthDiagnostics!.turns());
}

export function bargeIns(page: Page) {
  return page.evaluate(() => window.hearthDiagnostics!.bargeIns());
}

export function turnEvents(page: Page) {
  return page.evaluate(() => window.hearthDiagnostics!.turnEvents());
}

export function ttsCalls(page: Page) {
  return page.evaluate(() => window.hearthDiagnostics!.ttsCalls());
}
