// Runs an AudioWorkletProcessor in node: stands in for the audio thread's globals so a worklet's
// logic (queueing, framing, reports) can be unit tested without a browser.

export interface FakeProcessorPort {
  onmessage: ((event: { data: unknown }) => void) | null;
  readonly posted: unknown[];
  postMessage(message: unknown, transfer?: unknown[]): void;
}

export interface ProcessorInstance {
  port: FakeProcessorPort;
  process(inputs: Float32Array[][], outputs: Float32Array[][], parameters?: Record<string, Float32Array>): boolean;
}

type ProcessorClass = new (options?: unknown) => ProcessorInstance;

function fakePort(): FakeProcessorPort {
  return {
    onmessage: null,
    posted: [],
    postMessage(message: unknown) {
      this.posted.push(message);
    },
  };
}

const registered = new Map<string, ProcessorClass>();
const scope = globalThis as Record<string, unknown>;
scope.AudioWorkletProcessor = class {
  readonly port = fakePort();
};
scope.registerProcessor = (name: string, processor: ProcessorClass) => registered.set(name, processor);
scope.currentFrame = 0;
scope.sampleRate = 48000;

/** Loads the worklet module at `url` (once) and creates its processor. */
export async function createProcessor(url: string, name: string, options?: unknown, rate = 48000): Promise<ProcessorInstance> {
  scope.sampleRate = rate;
  scope.currentFrame = 0;
  await import(/* @vite-ignore */ url);
  const Processor = registered.get(name);
  if (!Processor) throw new Error(`${name} was not registered by ${url}`);
  return new Processor(options);
}

/** Sends a message to the processor as its node would. */
export function send(processor: ProcessorInstance, data: unknown): void {
  processor.port.onmessage?.({ data });
}

/** Renders one 128-frame quantum and advances the audio clock. */
export function renderQuantum(processor: ProcessorInstance, input?: Float32Array, channels = 1): Float32Array[] {
  const outputs = [Array.from({ length: channels }, () => new Float32Array(128))];
  processor.process(input ? [[input]] : [[]], outputs, {});
  scope.currentFrame = (scope.currentFrame as number) + 128;
  return outputs[0] as Float32Array[];
}
