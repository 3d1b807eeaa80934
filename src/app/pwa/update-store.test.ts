import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useAppUpdate } from './update-store.ts';

describe('useAppUpdate', () => {
  beforeEach(() => useAppUpdate.setState({ reason: null, dismissed: false, applying: false, apply: null }));

  it('applies an offered update only when accepted, and only once', () => {
    const apply = vi.fn();
    useAppUpdate.getState().offer('waiting', apply);
    expect(apply).not.toHaveBeenCalled();

    useAppUpdate.getState().accept();
    useAppUpdate.getState().accept();
    expect(apply).toHaveBeenCalledTimes(1);
    expect(useAppUpdate.getState().applying).toBe(true);
  });

  it('does nothing when accepted with nothing offered', () => {
    useAppUpdate.getState().accept();
    expect(useAppUpdate.getState().applying).toBe(false);
  });

  it('hides a dismissed offer until the next one', () => {
    useAppUpdate.getState().offer('waiting', vi.fn());
    useAppUpdate.getState().dismiss();
    expect(useAppUpdate.getState().dismissed).toBe(true);

    useAppUpdate.getState().offer('activated-elsewhere', vi.fn());
    expect(useAppUpdate.getState()).toMatchObject({ reason: 'activated-elsewhere', dismissed: false });
  });
});
