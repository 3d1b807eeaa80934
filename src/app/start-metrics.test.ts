import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeRelay, MemoryStorage, timingRecord } from '../metrics/testing.ts';
import { QUEUE_KEY } from '../metrics/metrics-queue.ts';

// The wiring in a page-like global scope: timing store -> metric -> queue -> relay.

describe('startMetricsReporting', () => {
  let relay: FakeRelay;
  let storage: MemoryStorage;
  let page: EventTarget;
  let doc: EventTarget & { visibilityState: string };
  let net: { onLine: boolean; userAgent: string; hardwareConcurrency: number; sendBeacon: (url: string, data: string) => boolean };

  beforeEach(() => {
    vi.useFakeTimers();
    relay = new FakeRelay();
    storage = new MemoryStorage();
    // zustand's persist middleware reads window.localStorage.
    page = Object.assign(new EventTarget(), { localStorage: storage });
    doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    net = { onLine: true, userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', hardwareConcurrency: 8, sendBeacon: () => true };
    vi.stubGlobal('window', page);
    vi.stubGlobal('document', doc);
    vi.stubGlobal('navigator', net);
    vi.stubGlobal('localStorage', storage);
    vi.stubGlobal('fetch', relay.fetch);
    vi.resetModules();
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  async function start() {
    const { startMetricsReporting } = await import('./start-metrics.ts');
    const { useTimings } = await import('../stores/timing-store.ts');
    const { useSettings } = await import('../stores/settings-store.ts');
    const stop = startMetricsReporting();
    await vi.advanceTimersByTimeAsync(0); // the WebGPU probe (none here) settles
    return { stop, useTimings, useSettings };
  }

  it('sends each finished turn once, with the device class and app version, on the timer', async () => {
    const { stop, useTimings } = await start();
    const record = timingRecord();
    useTimings.getState().record({ ...record, marks: { speechEnd: 1 } });
    useTimings.getState().record(record);
    useTimings.getState().record({ ...record });
    await vi.advanceTimersByTimeAsync(15_000);
    expect(relay.requests).toHaveLength(1);
    expect(relay.requests[0]!.turns).toEqual([expect.objectContaining({ turnId: record.turnId, deviceClass: 'desktop-nowebgpu-high', appVersion: expect.stringMatching(/^\d+\.\d+\.\d+/) })]);
    stop();
  });

  it('flushes on page hide and after coming back online', async () => {
    const { stop, useTimings } = await start();
    useTimings.getState().record(timingRecord());
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(0);
    expect(relay.requests.map((r) => r.init.keepalive)).toEqual([true]);

    net.onLine = false;
    useTimings.getState().record(timingRecord());
    await vi.advanceTimersByTimeAsync(60_000);
    expect(relay.requests).toHaveLength(1);
    expect(storage.getItem(QUEUE_KEY)).not.toBeNull();
    net.onLine = true;
    page.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(relay.requests).toHaveLength(2);
    expect(relay.stored.size).toBe(2);
    expect(storage.getItem(QUEUE_KEY)).toBeNull();
    stop();
  });

  it('turning sharing off drops waiting turns and sends nothing more', async () => {
    const { stop, useTimings, useSettings } = await start();
    useTimings.getState().record(timingRecord());
    expect(storage.getItem(QUEUE_KEY)).not.toBeNull();
    useSettings.getState().set({ shareLatencyMetrics: false });
    expect(storage.getItem(QUEUE_KEY)).toBeNull();
    useTimings.getState().record(timingRecord());
    page.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(relay.requests).toHaveLength(0);
    stop();
  });
});
