import { describe, expect, it } from 'vitest';
import { isDeviceLostError, StageError, stageErrorCode } from '../stage-error.ts';
import { DeviceLossTracker } from './device-loss.ts';

function fakeDevice() {
  let lose!: (info: { reason: string; message: string }) => void;
  const lost = new Promise<{ reason: string; message: string }>((resolve) => (lose = resolve));
  return { device: { lost }, lose };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('DeviceLossTracker', () => {
  it('fails fast with a device-lost StageError once the device is lost', async () => {
    const tracker = new DeviceLossTracker('asr');
    const { device, lose } = fakeDevice();
    tracker.watch(device);
    expect(() => tracker.throwIfLost()).not.toThrow();
    lose({ reason: 'unknown', message: 'D3D12 device removed' });
    await flush();
    let error: unknown;
    try {
      tracker.throwIfLost();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StageError);
    expect(isDeviceLostError(error)).toBe(true);
    expect((error as StageError).message).toBe('asr: WebGPU device lost: D3D12 device removed');
  });

  it('classifies runtime errors that say the device was lost', () => {
    const tracker = new DeviceLossTracker('llm');
    const classified = tracker.classify(new Error('[WebGPU] Device was lost: GPU hang'));
    expect(stageErrorCode(classified)).toBe('device-lost');
    expect(tracker.isLost).toBe(true);
  });

  it('passes other errors through untouched', () => {
    const tracker = new DeviceLossTracker('tts');
    const error = new Error('input_ids has wrong shape');
    expect(tracker.classify(error)).toBe(error);
  });

  it('ignores a loss reported for a device from before a reset (an unloaded model)', async () => {
    const tracker = new DeviceLossTracker('asr');
    const { device, lose } = fakeDevice();
    tracker.watch(device);
    tracker.reset();
    lose({ reason: 'destroyed', message: '' });
    await flush();
    expect(tracker.isLost).toBe(false);
  });
});
