import { describe, expect, it } from 'vitest';
import { audibleAt } from './output-clock.ts';

describe('audibleAt', () => {
  it('maps through the output timestamp', () => {
    const clock = { currentTime: 10.2, getOutputTimestamp: () => ({ contextTime: 10, performanceTime: 5000 }) };
    expect(audibleAt(clock, 10.5, 0)).toBeCloseTo(5500);
  });

  it('falls back to the render clock and the latencies before the timestamp is valid', () => {
    const clock = { currentTime: 2, baseLatency: 0.01, outputLatency: 0.04, getOutputTimestamp: () => ({ contextTime: 0, performanceTime: 0 }) };
    expect(audibleAt(clock, 2.1, 1000)).toBeCloseTo(1000 + 100 + 50);
  });

  it('works without getOutputTimestamp or latencies', () => {
    expect(audibleAt({ currentTime: 1 }, 1, 300)).toBe(300);
  });
});
