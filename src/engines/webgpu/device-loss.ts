import type { GpuDeviceLike } from './webgpu-types.ts';
import { StageError } from '../stage-error.ts';
import type { StageName } from '../types.ts';

// Error texts onnxruntime-web, WebLLM and Chromium use when the GPU device goes away mid-run.
const DEVICE_LOST_PATTERN = /device (?:was |is |has been )?lost|GPUDevice.*lost|DeviceLost|context lost/i;

/**
 * Remembers whether this worker's GPU device was lost, and turns failures into a typed
 * `device-lost` StageError so the app can reload the stage on wasm. Once lost, every later call
 * fails fast with the same error instead of hanging on a dead device.
 */
export class DeviceLossTracker {
  private lostMessage: string | null = null;
  private readonly stage: StageName;
  /** Bumped by reset(): a loss reported for a device from before an unload is not this model's. */
  private epoch = 0;

  constructor(stage: StageName) {
    this.stage = stage;
  }

  watch(device: GpuDeviceLike): void {
    const epoch = this.epoch;
    void device.lost.then((info) => {
      // Any reason counts, `destroyed` included: we never destroy a device we still use.
      if (epoch === this.epoch) this.lostMessage = info.message || `GPU device lost (${info.reason})`;
    });
  }

  /** Marks the device lost without a device object (e.g. WebLLM reported it). */
  markLost(message: string): void {
    this.lostMessage = message;
  }

  get isLost(): boolean {
    return this.lostMessage !== null;
  }

  reset(): void {
    this.epoch += 1;
    this.lostMessage = null;
  }

  throwIfLost(): void {
    if (this.lostMessage !== null) {
      throw new StageError(this.stage, 'device-lost', `WebGPU device lost: ${this.lostMessage}`);
    }
  }

  /** The error to throw for `error`: a device-lost StageError when the device is gone, else `error` itself. */
  classify(error: unknown): unknown {
    const message = error instanceof Error ? error.message : String(error);
    if (this.lostMessage !== null || DEVICE_LOST_PATTERN.test(message)) {
      this.lostMessage ??= message;
      return new StageError(this.stage, 'device-lost', `WebGPU device lost: ${message}`, { cause: error });
    }
    return error;
  }
}
