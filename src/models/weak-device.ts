/** The capabilities that decide it (DeviceCapabilities has them). */
export interface DeviceResources {
  deviceMemoryGb: number | null;
  hardwareConcurrency: number;
  webgpu: { isFallbackAdapter: boolean } | null;
}

/** The speech models with the language model beside them take about a gigabyte while they run. */
const MIN_MEMORY_GB = 2;
/** Without a GPU, a device this small and with this few cores runs the models too slowly to talk. */
const SLOW_MEMORY_GB = 4;
const SLOW_CORES = 2;

/**
 * Why this device may be too weak to run the speech models (recognition and synthesis), in words
 * for the user; null when it is not. Browsers cap `deviceMemory` at 8 and round it down, so
 * small values are real; an unknown amount counts as enough memory.
 */
export function weakDeviceReason(caps: DeviceResources): string | null {
  const memory = caps.deviceMemoryGb;
  if (memory !== null && memory < MIN_MEMORY_GB) {
    return `This device has about ${formatGb(memory)} of memory, too little to run the speech models beside the language model.`;
  }
  const usableGpu = caps.webgpu !== null && !caps.webgpu.isFallbackAdapter;
  if (!usableGpu && caps.hardwareConcurrency <= SLOW_CORES && memory !== null && memory <= SLOW_MEMORY_GB) {
    return `This device has no usable GPU, ${caps.hardwareConcurrency} processor cores and about ${formatGb(memory)} of memory: the speech models would make every reply slow.`;
  }
  return null;
}

function formatGb(gb: number): string {
  return gb < 1 ? `${Math.round(gb * 1024)} MB` : `${gb} GB`;
}
