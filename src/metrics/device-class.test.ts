import { describe, expect, it } from 'vitest';
import { deviceClass } from './device-class.ts';

const DESKTOP = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const PHONE = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36';
const ANDROID_TABLET = 'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const IPAD = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15';

describe('deviceClass', () => {
  it('combines form factor, WebGPU and a coarse performance tier', () => {
    expect(deviceClass({ userAgent: DESKTOP, hardwareConcurrency: 16, deviceMemory: 8 }, true)).toBe('desktop-webgpu-high');
    expect(deviceClass({ userAgent: DESKTOP, hardwareConcurrency: 2 }, false)).toBe('desktop-nowebgpu-low');
    expect(deviceClass({ userAgent: PHONE, userAgentData: { mobile: true }, hardwareConcurrency: 8, deviceMemory: 4 }, true)).toBe('mobile-webgpu-mid');
    expect(deviceClass({ userAgent: ANDROID_TABLET, hardwareConcurrency: 8, deviceMemory: 8 }, false)).toBe('tablet-nowebgpu-high');
    expect(deviceClass({ userAgent: IPAD, maxTouchPoints: 5, hardwareConcurrency: 6 }, false)).toBe('tablet-nowebgpu-mid');
    expect(deviceClass({ userAgent: IPAD, maxTouchPoints: 0, hardwareConcurrency: 8 }, false)).toBe('desktop-nowebgpu-high');
  });

  it('fits the protocol field', () => {
    expect(deviceClass({}, true)).toMatch(/^[a-z0-9_-]{1,32}$/);
  });
});
