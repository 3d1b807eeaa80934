import { describe, expect, it } from 'vitest';
import { MicrophoneError, toMicrophoneError } from './microphone-error.ts';

describe('toMicrophoneError', () => {
  it.each([
    ['NotAllowedError', 'permission-denied'],
    ['PermissionDeniedError', 'permission-denied'],
    ['SecurityError', 'permission-denied'],
    ['NotFoundError', 'no-device'],
    ['DevicesNotFoundError', 'no-device'],
    ['OverconstrainedError', 'no-device'],
    ['NotReadableError', 'device-busy'],
    ['TrackStartError', 'device-busy'],
    ['AbortError', 'device-busy'],
    ['TypeError', 'unsupported'],
    ['SomethingElse', 'unknown'],
  ])('%s -> %s', (name, reason) => {
    const cause = new DOMException('browser message', name);
    const error = toMicrophoneError(cause);
    expect(error).toBeInstanceOf(MicrophoneError);
    expect(error.reason).toBe(reason);
    expect(error.cause).toBe(cause);
    expect(error.message).not.toBe('');
  });

  it('handles non-errors and passes its own errors through', () => {
    expect(toMicrophoneError('nope').reason).toBe('unknown');
    const own = new MicrophoneError('ended');
    expect(toMicrophoneError(own)).toBe(own);
  });
});
