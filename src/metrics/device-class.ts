/**
 * The few navigator hints a device class is made from. Deliberately coarse: enough to tell a
 * phone from a gaming PC in the dashboard, too little to single out one device.
 */
export interface DeviceHints {
  userAgent?: string;
  userAgentData?: { mobile?: boolean };
  maxTouchPoints?: number;
  /** GiB, rounded down by the browser (Chromium caps it at 8); absent elsewhere. */
  deviceMemory?: number;
  hardwareConcurrency?: number;
}

export type FormFactor = 'mobile' | 'tablet' | 'desktop';
export type PerformanceTier = 'low' | 'mid' | 'high';

export function formFactor(hints: DeviceHints): FormFactor {
  const ua = hints.userAgent ?? '';
  if (/iPad|Tablet/i.test(ua) || (/Android/i.test(ua) && !/Mobile/i.test(ua))) return 'tablet';
  // iPadOS reports a Mac user agent; only the touch screen gives it away.
  if (/Macintosh/i.test(ua) && (hints.maxTouchPoints ?? 0) > 1) return 'tablet';
  if (hints.userAgentData?.mobile === true || /Mobi|iPhone|Android/i.test(ua)) return 'mobile';
  return 'desktop';
}

export function performanceTier(hints: DeviceHints): PerformanceTier {
  const cores = hints.hardwareConcurrency ?? 0;
  const memory = hints.deviceMemory;
  if (cores < 4 || (memory !== undefined && memory < 4)) return 'low';
  if (cores >= 8 && (memory === undefined || memory >= 8)) return 'high';
  return 'mid';
}

/**
 * E.g. `desktop-webgpu-high`, `mobile-nowebgpu-low` (fits the protocol's `deviceClass`).
 * `webgpu` means a hardware adapter: the API alone, or a software adapter, runs the models on
 * the CPU like any device without one.
 */
export function deviceClass(hints: DeviceHints, hardwareWebGpu: boolean): string {
  return `${formFactor(hints)}-${hardwareWebGpu ? 'webgpu' : 'nowebgpu'}-${performanceTier(hints)}`;
}
