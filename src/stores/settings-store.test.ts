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

/**
 * A fresh in-memory localStorage for each test of the enclosing block, and a fresh settings
 * module to read it (zustand's persist middleware reads window.localStorage when the store is
 * created): import the store inside the test.
 */
function useMemoryStorage(): () => MemoryStorage {
  let storage = new MemoryStorage();
  beforeEach(() => {
    storage = new MemoryStorage();
    vi.stubGlobal('window', { localStorage: storage });
    vi.stubGlobal('localStorage', storage);
    vi.resetModules();
  });
  afterEach(() => vi.unstubAllGlobals());
  return () => storage;
}

describe('stored settings', () => {
  const memory = useMemoryStorage();

  it('a returning user of version 2 gets the clean-up on and their own choices kept', async () => {
    memory().setItem('hearth-settings', JSON.stringify({ state: { inputMode: 'push-to-talk', vad: { minSpeechMs: 400 } }, version: 2 }));
    const { useSettings } = await import('./settings-store.ts');
    const settings = useSettings.getState();
    expect(settings).toMatchObject({ inputMode: 'push-to-talk', inputHighPass: true, inputNoiseGate: true });
    expect(settings.vad.minSpeechMs).toBe(400);
    settings.set({ inputNoiseGate: false });
    const saved = JSON.parse(memory().getItem('hearth-settings')!) as { state: { inputNoiseGate: boolean }; version: number };
    expect(saved.version).toBe(SETTINGS_VERSION);
    expect(saved.state.inputNoiseGate).toBe(false);
  });

  it('a new user has both on', async () => {
    const { useSettings } = await import('./settings-store.ts');
    expect(useSettings.getState()).toMatchObject({ inputHighPass: true, inputNoiseGate: true });
  });
});

describe('custom voices', () => {
  const memory = useMemoryStorage();

  const stored = () => (JSON.parse(memory().getItem('hearth-settings')!) as { state: { voice: string; customVoices: unknown[] } }).state;

  it('settings stored before custom voices have none, and keep their voice', async () => {
    memory().setItem('hearth-settings', JSON.stringify({ state: { voice: 'bf_emma' }, version: 3 }));
    const { useSettings } = await import('./settings-store.ts');
    expect(useSettings.getState()).toMatchObject({ voice: 'bf_emma', customVoices: [] });
  });

  it('a saved blend is kept on the device under its name and chosen; the same blend again is renamed, not doubled', async () => {
    const { useSettings } = await import('./settings-store.ts');
    const id = useSettings.getState().saveCustomVoice('  Warm mix ', [{ voice: 'am_michael', weight: 40 }, { voice: 'af_heart', weight: 60 }]);
    expect(id).toBe('blend-af_heart-600-am_michael-400');
    const kept = { id, name: 'Warm mix', parts: [{ voice: 'af_heart', weight: 600 }, { voice: 'am_michael', weight: 400 }] };
    expect(stored()).toMatchObject({ voice: id, customVoices: [kept] });
    useSettings.getState().saveCustomVoice('Cosy', [{ voice: 'af_heart', weight: 3 }, { voice: 'am_michael', weight: 2 }]);
    expect(stored().customVoices).toEqual([{ ...kept, name: 'Cosy' }]);
    expect(() => useSettings.getState().saveCustomVoice(' ', kept.parts)).toThrow(/name/);
    expect(() => useSettings.getState().saveCustomVoice('Solo', [{ voice: 'af_heart', weight: 1 }])).toThrow(/two voices/);
  });

  it('deleting the voice in use goes back to the default voice; restoring defaults keeps the voices made', async () => {
    const { useSettings } = await import('./settings-store.ts');
    const { saveCustomVoice, deleteCustomVoice, reset } = useSettings.getState();
    const first = saveCustomVoice('One', [{ voice: 'af_heart', weight: 1 }, { voice: 'bf_emma', weight: 1 }]);
    const second = saveCustomVoice('Two', [{ voice: 'af_bella', weight: 1 }, { voice: 'am_michael', weight: 1 }]);
    deleteCustomVoice(first);
    expect(useSettings.getState()).toMatchObject({ voice: second, customVoices: [{ id: second }] });
    reset();
    expect(useSettings.getState()).toMatchObject({ voice: 'af_heart', customVoices: [{ id: second }] });
    deleteCustomVoice(second);
    expect(stored()).toMatchObject({ voice: 'af_heart', customVoices: [] });
  });
});
