// Spoken turns through the real app, one browser per pipeline mode. The fake microphone replays
// its WAV from the start at each getUserMedia, and "Resume listening" reopens it, so each
// unmute is one utterance; the microphone is muted again once the turn has ended, so the next
// utterance never barges in on a reply.
import type { Page } from '@playwright/test';
import type { TurnTimingRecord } from '../../src/metrics/turn-timing.ts';
import type {} from '../../src/app/diagnostics.ts';
import { launchBrowser, type LaunchedBrowser } from '../../e2e/support/browser.ts';
import { childPids, peakSampler, treeRss } from '../process-memory.ts';

export interface SessionOptions {
  baseUrl: string;
  path: string;
  wav: string;
  log: (line: string) => void;
  /** Stored settings the app starts with (its persisted `hearth-settings`), e.g. `{ eagerReplies: false }`. */
  settings?: Record<string, unknown>;
  /** Expose WebGPU to the page (with `HEARTH_REAL_GPU=1`, the machine's GPU). */
  webgpu?: boolean;
}

export interface SessionResult {
  turns: TurnTimingRecord[];
  /** Peak summed RSS of this browser's processes, bytes. */
  peakBrowserRss: number;
  /** Peak memory of the page and its workers (measureUserAgentSpecificMemory), bytes, if available. */
  peakUaMemory?: number;
  crossOriginIsolated: boolean;
  threads: number;
  /** Turns where no speech was heard after unmuting, so the microphone was reopened once more. */
  micRetries: number;
  /** Turns not counted: the warm-up utterance heard while loading (if any) and the warm-up turns. */
  warmUpTurns: number;
}

const isChromium = (comm: string) => /chrom/i.test(comm);

/** Ended turns (a record appears at the turn's first mark and grows until turnEnd). */
const endedTurns = (page: Page) =>
  page.evaluate(() => (window.hearthDiagnostics?.turns() ?? []).filter((turn) => turn.marks.turnEnd !== undefined));

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function uaMemory(page: Page): Promise<number | undefined> {
  return page
    .evaluate(async () => {
      const measure = (performance as { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> }).measureUserAgentSpecificMemory;
      return measure ? (await measure.call(performance)).bytes : undefined;
    })
    .catch(() => undefined);
}

/** Console lines kept per browser, printed when a turn does not end (what the app said last). */
const CONSOLE_LINES = 40;
/** A page busy loading models on a loaded machine may not take a click for a while (30 s is Playwright's default). */
const CLICK_TIMEOUT_MS = 180_000;
/** Speech starts 1.5 s into the WAV; a turn record appears when the VAD hears it. */
const HEARD_WITHIN_MS = 60_000;

export class BenchSession {
  private readonly console: string[] = [];
  private skipped = 0;
  private retries = 0;
  private done = 0;
  private peakUa = 0;
  private isolation = { isolated: false, threads: 0 };

  private constructor(
    private readonly options: SessionOptions,
    private readonly launched: LaunchedBrowser,
    private readonly rss: ReturnType<typeof peakSampler>,
  ) {}

  /** Launches the browser (not concurrently with another launch: its pid is found by difference). */
  static async launch(options: SessionOptions): Promise<BenchSession> {
    const before = childPids(process.pid, isChromium);
    const launched = await launchBrowser(options.baseUrl, { microphoneWav: options.wav, webgpu: options.webgpu });
    if (options.settings) {
      // Before any page script: the settings store reads localStorage when it is created.
      const stored = JSON.stringify({ state: options.settings, version: 2 });
      await launched.context.addInitScript((value) => {
        if (localStorage.getItem('hearth-settings') === null) localStorage.setItem('hearth-settings', value);
      }, stored);
    }
    const roots = [...childPids(process.pid, isChromium)].filter((pid) => !before.has(pid));
    const rss = peakSampler(() => roots.reduce((sum, pid) => sum + treeRss(pid), 0));
    const { page } = launched;
    page.on('pageerror', (error) => options.log(`[page error] ${error.message}`));
    const session = new BenchSession(options, launched, rss);
    page.on('console', (message) => {
      if (message.type() === 'error') options.log(`[browser error] ${message.text()}`);
      session.console.push(`${new Date().toISOString().slice(11, 23)} ${message.type()}: ${message.text()}`);
      if (session.console.length > CONSOLE_LINES) session.console.shift();
    });
    return session;
  }

  /** Loads the app and its models. The utterance heard while loading is a warm-up turn, not counted. */
  async open(): Promise<void> {
    const { page } = this.launched;
    await page.goto(this.options.path);
    // A fresh profile: the app first offers the model download, with its size.
    await page.getByRole('button', { name: /^Download / }).click({ timeout: 120_000 });
    await page.getByTestId('pipeline-state').and(page.locator('[data-state="listening"]')).waitFor({ timeout: 600_000 });
    await page.getByRole('button', { name: 'Pause listening' }).click({ timeout: CLICK_TIMEOUT_MS });
    this.isolation = await page.evaluate(() => ({ isolated: crossOriginIsolated, threads: navigator.hardwareConcurrency }));
    await page.waitForTimeout(3000);
    // The utterance heard while loading may have started a turn that is still being answered:
    // let it end first, or it runs during the first measured turn (slowing it and the other
    // browsers' turns) and may even be counted as that turn.
    await waitFor('the warm-up turn to end', 600_000, async () => {
      const all = await page.evaluate(() => window.hearthDiagnostics?.turns() ?? []);
      return all.every((turn) => turn.marks.turnEnd !== undefined) ? true : undefined;
    });
    this.skipped = (await endedTurns(page)).length;
    this.done = this.skipped;
  }

  /**
   * One spoken turn: unmute (the WAV restarts), wait until the turn has ended, mute. If no speech
   * is heard within HEARD_WITHIN_MS of unmuting (no new turn record), the page's state is dumped
   * and the microphone muted and unmuted once more; such retries are counted in the result.
   */
  async turn(timeoutMs: number): Promise<number> {
    const { page } = this.launched;
    const started = Date.now();
    const recorded = async () => (await page.evaluate(() => window.hearthDiagnostics?.turns().length ?? 0));
    const before = await recorded();
    await page.getByRole('button', { name: 'Resume listening' }).click({ timeout: CLICK_TIMEOUT_MS });
    try {
      const heard = await waitFor('speech to be heard', HEARD_WITHIN_MS, async () => ((await recorded()) > before ? true : undefined)).catch(() => false);
      if (!heard) {
        this.options.log(`no speech heard ${HEARD_WITHIN_MS / 1000} s after unmuting: muting and unmuting again`);
        await this.dump('no speech heard');
        this.retries += 1;
        await page.getByRole('button', { name: 'Pause listening' }).click({ timeout: CLICK_TIMEOUT_MS });
        await page.waitForTimeout(1000);
        await page.getByRole('button', { name: 'Resume listening' }).click({ timeout: CLICK_TIMEOUT_MS });
      }
      this.done = await waitFor('a turn to end', timeoutMs, async () => {
        const count = (await endedTurns(page)).length;
        return count > this.done ? count : undefined;
      });
    } catch (error) {
      await this.dump('the turn did not end');
      throw error;
    }
    await page.getByRole('button', { name: 'Pause listening' }).click({ timeout: CLICK_TIMEOUT_MS });
    this.peakUa = Math.max(this.peakUa, (await uaMemory(page)) ?? 0);
    return Date.now() - started;
  }

  /**
   * One spoken turn that is not counted: the first turn after loading runs while the page still
   * finishes background work (service worker precache, first kernels compiled), and came out
   * several times slower than the next ones in every run.
   */
  async warmUp(timeoutMs: number): Promise<number> {
    const ms = await this.turn(timeoutMs);
    this.skipped = this.done;
    return ms;
  }

  /** What the page shows and recorded, and its last console lines: why a turn did not end. */
  async dump(why: string): Promise<void> {
    const { page } = this.launched;
    const { log, path } = this.options;
    const state = await page
      .evaluate(() => ({
        status: document.querySelector('[data-testid="pipeline-state"]')?.getAttribute('data-state'),
        statusText: document.querySelector('[data-testid="pipeline-state"]')?.textContent,
        buttons: Array.from(document.querySelectorAll('button')).map((b) => b.getAttribute('aria-label') ?? b.textContent).slice(0, 12),
        notices: Array.from(document.querySelectorAll('[role="alert"], [role="status"], .notice')).map((n) => n.textContent).slice(0, 8),
        turns: window.hearthDiagnostics?.turns() ?? [],
        events: window.hearthDiagnostics?.turnEvents() ?? [],
      }))
      .catch((error: unknown) => ({ error: String(error) }));
    log(`--- ${path}: ${why} ---`);
    log(JSON.stringify(state, null, 1).slice(0, 6000));
    for (const line of this.console) log(`  ${line}`);
  }

  async finish(): Promise<SessionResult> {
    const turns = (await endedTurns(this.launched.page)).slice(this.skipped);
    const result = {
      turns,
      peakBrowserRss: this.rss.stop(),
      peakUaMemory: this.peakUa > 0 ? this.peakUa : undefined,
      crossOriginIsolated: this.isolation.isolated,
      threads: this.isolation.threads,
      micRetries: this.retries,
      warmUpTurns: this.skipped,
    };
    await this.launched.close();
    return result;
  }

  async close(): Promise<void> {
    this.rss.stop();
    await this.launched.close().catch(() => undefined);
  }
}
