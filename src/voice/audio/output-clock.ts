// Maps audio-context time to `performance.now()` milliseconds at the speaker, so "first audio
// audible" is when the user could hear it, comparable with every other mark of the turn.

/** The parts of an AudioContext the mapping reads (a plain object in tests). */
export interface OutputClockSource {
  readonly currentTime: number;
  readonly baseLatency?: number;
  readonly outputLatency?: number;
  getOutputTimestamp?: () => AudioTimestamp;
}

/**
 * The `performance.now()` time at which the sample rendered at `contextTime` reaches the output.
 * Prefers the context's output timestamp (which includes the device latency); falls back to the
 * render clock plus the reported latencies where the timestamp is missing or not yet valid.
 */
export function audibleAt(clock: OutputClockSource, contextTime: number, now: number = performance.now()): number {
  const stamp = clock.getOutputTimestamp?.();
  if (stamp && stamp.contextTime !== undefined && stamp.performanceTime !== undefined && stamp.performanceTime > 0) {
    return stamp.performanceTime + (contextTime - stamp.contextTime) * 1000;
  }
  const latency = (clock.outputLatency || 0) + (clock.baseLatency || 0);
  return now + (contextTime - clock.currentTime + latency) * 1000;
}
