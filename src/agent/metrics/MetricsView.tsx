import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { MetricsReport } from './MetricsReport.tsx';
import { fetchSummary, type SummaryFetch, type SummaryResult } from './summary-client.ts';
import { TIME_WINDOWS, type TimeWindow } from './time-windows.ts';
import './metrics.css';

const REFRESH_MS = 30_000;

type ViewState = { kind: 'loading' } | SummaryResult;

/**
 * The operators' latency dashboard (issue 6): how fast the assistant is across all devices,
 * from `GET /api/v1/agent/metrics/summary`. Agents only: without a session it says so.
 */
export function MetricsView({ fetchImpl = (url, init) => fetch(url, init), refreshMs = REFRESH_MS }: { fetchImpl?: SummaryFetch; refreshMs?: number }) {
  const [timeWindow, setTimeWindow] = useState<TimeWindow>(TIME_WINDOWS[1]!);
  const [state, setState] = useState<ViewState>({ kind: 'loading' });
  const [updatedAt, setUpdatedAt] = useState<Date>();
  // The latest fetchImpl, read when a load starts: the default is a new function each render, and
  // a new one must not start a load of its own. Updated before any effect below runs.
  const fetchRef = useRef(fetchImpl);
  useLayoutEffect(() => {
    fetchRef.current = fetchImpl;
  }, [fetchImpl]);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      const to = new Date();
      try {
        const result = await fetchSummary({ from: new Date(to.getTime() - timeWindow.ms), to, bucket: timeWindow.bucket }, fetchRef.current, signal);
        if (signal?.aborted) return;
        setState(result);
        if (result.kind === 'ok') setUpdatedAt(to);
      } catch {
        // aborted: a newer request replaced this one
      }
    },
    [timeWindow],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load(controller.signal);
    }, refreshMs);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [load, refreshMs]);

  return (
    <section className="metrics-view" aria-labelledby="metrics-heading" data-testid="metrics-view">
      <header className="metrics-header">
        <h2 id="metrics-heading">Latency</h2>
        <label>
          Window
          <select value={timeWindow.id} onChange={(e) => setTimeWindow(TIME_WINDOWS.find((w) => w.id === e.target.value) ?? TIME_WINDOWS[1]!)}>
            {TIME_WINDOWS.map((w) => (
              <option key={w.id} value={w.id}>
                {w.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
        <p className="metrics-updated" role="status">
          {state.kind === 'loading' ? 'Loading…' : updatedAt ? `Updated ${updatedAt.toLocaleTimeString()}` : ''}
        </p>
      </header>
      {state.kind === 'signed-out' && <p className="metrics-message">Sign in as an agent to see latency metrics.</p>}
      {state.kind === 'error' && (
        <p className="metrics-message metrics-error" role="alert">
          {state.message}
        </p>
      )}
      {state.kind === 'ok' && <MetricsReport summary={state.summary} />}
    </section>
  );
}
