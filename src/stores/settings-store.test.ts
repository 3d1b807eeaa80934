import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStorage } from '../metrics/testing.ts';
import { migrateSettings, SETTINGS_VERSION } from './settings-store.ts';

describe('migrateSettings', () => {
  it('gives version 2 settings the input clean-up on, keeping the rest', () => {
    const migrated = migrateSettings({ inputMode: 'push-to-talk', halfDuplex: true }, 2);
    expect(migrated).toEqual({ inputMode: 'push-to-talk', halfDuplex: true, inputHighPass: true, inputNoiseGate: true });
  });

  it('keeps a clean-up choice already stored, and leaves current settings as they are', () => {
    expect(migrateSettings({ inputHighPass: false }, 1)).toMatchObject({ inputHighPass: false, inputNoiseGate: true });
    expect(migrateSettings({ inputNoiseGate: false }, SETTINGS_VERSION)).toEqual({ inputNoiseGate: false });
  });
});

describe('stored settings', () => {
  let storage: MemoryStorage;

  beforeEach(() => {
    storage = new MemoryStorage();
    // zustand's persist middleware reads window.localStorage when the store is created.
    vi.stubGlobal('window', { localStorage: storage });
    vi.stubGlobal('localStorage', storage);
    vi.resetModules();
  });

  afterEach(() => vi.unstubAllGlobals());

  it('a returning user of version 2 gets the clean-up on and their own choices kept', async () => {
    storage.setItem('hearth-settings', JSON.stringify({ state: { inputMode: 'push-to-talk', vad: { minSpeechMs: 400 } }, version: 2 }));
    const { useSettings } = await import('./settings-store.ts');
    const settings = useSettings.getState();
    expect(settings).toMatchObject({ inputMode: 'push-to-talk', inputHighPass: true, inputNoiseGate: true });
    expect(settings.vad.minSpeechMs).toBe(400);
    settings.set({ inputNoiseGate: false });
    const saved = JSON.parse(storage.getItem('hearth-settings')!) as { state: { inputNoiseGate: boolean }; version: number };
    expect(saved.version).toBe(SETTINGS_VERSION);
    expect(saved.state.inputNoiseGate).toBe(false);
  });

  it('a new user has both on', async () => {
    const { useSettings } = await import('./settings-store.ts');
    expect(useSettings.getState()).toMatchObject({ inputHighPass: true, inputNoiseGate: true });
  });
});
