import { describe, expect, it } from 'vitest';
import { modelIdOf } from './model-store.ts';
import { modelFileUrl } from '../../engines/model-files/model-url.ts';
import { checkSpace, formatBytes, SPARE_BYTES, storageShortMessage } from './storage-space.ts';
import { formatTimeLeft, TransferRate } from './transfer-rate.ts';

describe('model file URLs (the keys transformers.js caches under)', () => {
  it('joins host, path template and file like transformers.js', () => {
    const hub = { kind: 'hub', host: 'https://huggingface.co/', pathTemplate: '{model}/resolve/{revision}/' } as const;
    const mirror = { kind: 'mirror', host: '/models/', pathTemplate: '{model}/' } as const;
    expect(modelFileUrl(hub, 'org/m', 'onnx/model.onnx', 'http://x')).toBe('https://huggingface.co/org/m/resolve/main/onnx/model.onnx');
    expect(modelFileUrl(mirror, 'fixtures/chat-lm', 'config.json', 'http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787/models/fixtures/chat-lm/config.json');
    expect(modelIdOf('http://127.0.0.1:8787/models/fixtures/chat-lm/onnx/model.onnx')).toBe('fixtures/chat-lm');
    expect(modelIdOf('https://huggingface.co/org/m/resolve/main/config.json')).toBe('org/m');
  });
});

describe('checkSpace', () => {
  it('refuses a download that would not fit, with the spare room counted', () => {
    expect(checkSpace({ usage: 0, quota: 100e6 }, 60e6)).toEqual({ ok: false, freeBytes: 100e6, neededBytes: 60e6 + SPARE_BYTES });
    expect(checkSpace({ usage: 10e6, quota: 1e9 }, 60e6)).toEqual({ ok: true, freeBytes: 990e6 });
    // Nothing to download never needs room; an unknown quota cannot be checked.
    expect(checkSpace({ usage: 100, quota: 100 }, 0).ok).toBe(true);
    expect(checkSpace(null, 1e12)).toEqual({ ok: true, freeBytes: null });
    expect(checkSpace({}, 1e12).ok).toBe(true);
  });

  it('tells the user the sizes in words', () => {
    expect(storageShortMessage({ freeBytes: 80e6, neededBytes: 312e6 })).toMatch(/need 312 MB, but only 80.0 MB is free.*Nothing was downloaded/);
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1_500_000)).toBe('1.5 MB');
    expect(formatBytes(2_100_000_000)).toBe('2.1 GB');
  });
});

describe('TransferRate', () => {
  it('estimates time left from a smoothed rate', () => {
    const rate = new TransferRate(0.5, 100);
    expect(rate.secondsLeft(0, 1000)).toBeUndefined();
    rate.sample(0, 0);
    rate.sample(1000, 1000); // 1000 B/s
    expect(rate.bytesPerSecond).toBe(1000);
    rate.sample(1500, 1050); // too soon: ignored
    rate.sample(4000, 2000); // 3000 B/s, smoothed halfway
    expect(rate.bytesPerSecond).toBe(2000);
    expect(rate.secondsLeft(4000, 10000)).toBe(3);
  });

  it('words the estimate', () => {
    expect(formatTimeLeft(undefined)).toBe('estimating time left');
    expect(formatTimeLeft(2)).toBe('a few seconds left');
    expect(formatTimeLeft(42.4)).toBe('about 42 s left');
    expect(formatTimeLeft(600)).toBe('about 10 min left');
  });
});
