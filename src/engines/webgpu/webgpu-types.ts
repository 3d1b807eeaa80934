// The slice of the WebGPU API this app touches. TypeScript 5.9's DOM lib has no WebGPU types and
// @webgpu/types would be a dependency for a dozen lines; these are structural, so the real objects fit.

export interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  /** Newer spec: moved here from GPUAdapter. */
  isFallbackAdapter?: boolean;
}

export interface GpuSupportedLimitsLike {
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  maxComputeWorkgroupStorageSize?: number;
}

export interface GpuDeviceLostInfoLike {
  /** `destroyed` or `unknown` today; kept open for reasons a later WebGPU adds. */
  reason: string;
  message: string;
}

export interface GpuDeviceLike {
  lost: Promise<GpuDeviceLostInfoLike>;
  destroy?: () => void;
}

export interface GpuAdapterLike {
  features: { has(name: string): boolean };
  limits: GpuSupportedLimitsLike;
  info?: GpuAdapterInfoLike;
  /** Older spec location of the flag; still present in some browsers. */
  isFallbackAdapter?: boolean;
  requestDevice(descriptor?: { requiredFeatures?: string[] }): Promise<GpuDeviceLike>;
}

export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<GpuAdapterLike | null>;
}

/** `navigator.gpu` where it exists (window or worker), without assuming WebGPU types in the lib. */
export function navigatorGpu(nav: object): GpuLike | undefined {
  const gpu = (nav as { gpu?: unknown }).gpu;
  return typeof gpu === 'object' && gpu !== null && 'requestAdapter' in gpu ? (gpu as GpuLike) : undefined;
}
