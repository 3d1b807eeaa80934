import { afterEach, describe, expect, it, vi } from 'vitest';
import { isDeviceLostError } from '../stage-error.ts';
import { DeviceLossTracker } from '../webgpu/device-loss.ts';
import { warmUp } from './warm-up.ts';

afterEach(() => vi.restoreAllMocks());

describe('warmUp', () => {
  it('runs the inference once and reports its time', async () => {
    const inference = vi.fn(() => new Promise((resolve) => setTimeout(resolve, 20)));
    const report = await warmUp('llm', inference);
    expect(inference).toHaveBeenCalledTimes(1);
    expect(report.warmupMs).toBeGreaterThanOrEqual(15);
    expect(report.warmupError).toBeUndefined();
  });

  it('turns a failure into a report and a warning, not a thrown error', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const report = await warmUp('tts', () => Promise.reject(new Error('voice missing')), new DeviceLossTracker('tts'));
    expect(report.warmupError).toBe('voice missing');
    expect(report.warmupMs).toBeGreaterThanOrEqual(0);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/^tts: warm-up inference failed \(voice missing\)/);
  });

  it('reports a thrown non-Error by its text', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a non-Error rejection is the case under test
    expect((await warmUp('asr', () => Promise.reject('odd'))).warmupError).toBe('odd');
  });

  it('throws device-lost when the GPU device is gone, and marks the tracker', async () => {
    const gpu = new DeviceLossTracker('asr');
    const failure = await warmUp('asr', () => Promise.reject(new Error('GPUDevice was lost')), gpu).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isDeviceLostError(failure)).toBe(true);
    expect(gpu.isLost).toBe(true);
  });

  it('throws device-lost for any failure once the tracker knows the device is lost', async () => {
    const gpu = new DeviceLossTracker('llm');
    gpu.markLost('lost earlier');
    await expect(warmUp('llm', () => Promise.reject(new Error('buffer mapping failed')), gpu)).rejects.toMatchObject({ code: 'device-lost' });
  });
});
