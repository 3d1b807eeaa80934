/**
 * A Float32Array safe to put in a transfer list: it must own its whole buffer (transferring a
 * view would detach the rest of the buffer too) and the buffer must not be shared (a
 * SharedArrayBuffer cannot be transferred). Otherwise a copy is made, which is cheap next to
 * model compute.
 */
export function ownedSamples(samples: Float32Array): Float32Array<ArrayBuffer> {
  const owns =
    samples.buffer instanceof ArrayBuffer && samples.byteOffset === 0 && samples.byteLength === samples.buffer.byteLength;
  return owns ? (samples as Float32Array<ArrayBuffer>) : new Float32Array(samples);
}
