import { env } from '@huggingface/transformers';
import type { GpuDeviceLike } from '../webgpu/webgpu-types.ts';

/**
 * The GPUDevice onnxruntime-web created for this worker. Only call after a WebGPU session
 * exists: before that, reading `env.webgpu.device` makes onnxruntime create a new device.
 */
export async function ortWebGpuDevice(): Promise<GpuDeviceLike | undefined> {
  const webgpu = env.backends.onnx.webgpu;
  if (!webgpu) return undefined;
  const device: unknown = await webgpu.device;
  return typeof device === 'object' && device !== null && 'lost' in device ? (device as GpuDeviceLike) : undefined;
}
