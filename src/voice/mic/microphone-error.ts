// Why the microphone could not be used, in terms the UI can act on (offer text mode, pick another
// device, close the other app), rather than the browser's DOMException names.

export type MicrophoneErrorReason =
  /** The user or a policy refused access. */
  | 'permission-denied'
  /** No microphone, or the chosen one is gone. */
  | 'no-device'
  /** The device exists but cannot be opened (another app holds it, a hardware fault). */
  | 'device-busy'
  /** Capture needs https (or localhost). */
  | 'insecure-context'
  /** This browser has no getUserMedia or AudioWorklet. */
  | 'unsupported'
  /** The device stopped delivering audio (unplugged, revoked). */
  | 'ended'
  /** The audio graph could not be built. */
  | 'audio-setup'
  | 'unknown';

const MESSAGES: Record<MicrophoneErrorReason, string> = {
  'permission-denied': 'Microphone access was denied. Allow it in the browser, or type instead.',
  'no-device': 'No microphone was found. Connect one, or type instead.',
  'device-busy': 'The microphone is in use by another application or could not be started.',
  'insecure-context': 'The microphone needs a secure (https) page.',
  unsupported: 'This browser cannot capture audio here.',
  ended: 'The microphone stopped (disconnected or access revoked).',
  'audio-setup': 'Audio processing could not be started.',
  unknown: 'The microphone could not be opened.',
};

export class MicrophoneError extends Error {
  override readonly name = 'MicrophoneError';

  constructor(
    readonly reason: MicrophoneErrorReason,
    options: { cause?: unknown; message?: string } = {},
  ) {
    super(options.message ?? MESSAGES[reason], { cause: options.cause });
  }
}

function errorName(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string') return error.name;
  return undefined;
}

/** Translates what getUserMedia threw (current and legacy Chromium names included). */
export function toMicrophoneError(error: unknown): MicrophoneError {
  if (error instanceof MicrophoneError) return error;
  switch (errorName(error)) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return new MicrophoneError('permission-denied', { cause: error });
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return new MicrophoneError('no-device', { cause: error });
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return new MicrophoneError('device-busy', { cause: error });
    case 'TypeError':
      return new MicrophoneError('unsupported', { cause: error });
    default:
      return new MicrophoneError('unknown', { cause: error });
  }
}
