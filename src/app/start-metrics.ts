import { detectCapabilities } from '../models/capabilities.ts';
import { useSettings } from '../stores/settings-store.ts';
import { useTimings } from '../stores/timing-store.ts';
import { APP_VERSION } from '../metrics/app-version.ts';
import { deviceClass, type DeviceHints } from '../metrics/device-class.ts';
import { watchFinishedTurns } from '../metrics/finished-turns.ts';
import { MetricsQueue, type KeyValueStorage } from '../metrics/metrics-queue.ts';
import { MetricsSender } from '../metrics/metrics-sender.ts';
import { METRICS_ENDPOINT } from '../metrics/metrics-transport.ts';
import { isReportable, pageWallClock, toTurnMetric, type MetricContext } from '../metrics/turn-metric.ts';

function localStorageOrNothing(): KeyValueStorage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    // Storage blocked for this origin: the queue stays in memory.
    return undefined;
  }
}

/**
 * Sends every finished turn's metrics to the relay, unless the user turned sharing off in the
 * settings. Started once per page from main.tsx; returns a stop function.
 */
export function startMetricsReporting(): () => void {
  const sender = new MetricsSender({
    endpoint: METRICS_ENDPOINT,
    queue: new MetricsQueue(localStorageOrNothing()),
    fetch: typeof fetch === 'function' ? (url, init) => fetch(url, init) : undefined,
    sendBeacon: typeof navigator.sendBeacon === 'function' ? (url, data) => navigator.sendBeacon(url, data) : undefined,
    enabled: () => useSettings.getState().shareLatencyMetrics,
    online: () => navigator.onLine,
  });
  const context: MetricContext = { wallClock: pageWallClock, appVersion: APP_VERSION };
  // Probing takes a moment (an adapter request); the first turn is long after, once models load.
  void detectCapabilities().then(
    (caps) => (context.deviceClass = deviceClass(navigator as DeviceHints, caps.webgpu !== null && !caps.webgpu.isFallbackAdapter)),
    () => (context.deviceClass = deviceClass(navigator as DeviceHints, false)),
  );

  const stopWatching = watchFinishedTurns(useTimings, (record) => {
    if (isReportable(record)) sender.enqueue(toTurnMetric(record, context));
  });
  const stopSettings = useSettings.subscribe((now, before) => {
    if (before.shareLatencyMetrics && !now.shareLatencyMetrics) sender.disable();
  });
  const onOnline = () => sender.online();
  const onHidden = () => {
    if (document.visibilityState === 'hidden') sender.flushOnUnload();
  };
  const onPageHide = () => sender.flushOnUnload();
  window.addEventListener('online', onOnline);
  document.addEventListener('visibilitychange', onHidden);
  window.addEventListener('pagehide', onPageHide);
  sender.start();

  return () => {
    stopWatching();
    stopSettings();
    window.removeEventListener('online', onOnline);
    document.removeEventListener('visibilitychange', onHidden);
    window.removeEventListener('pagehide', onPageHide);
    sender.dispose();
  };
}
