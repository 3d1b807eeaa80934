import { useSyncExternalStore } from 'react';
import { useSession } from '../../stores/session-store.ts';

function subscribeOnline(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

/** Conditions that last (no GPU, no network) as small chips beside the status, not as toasts. */
export function StatusChips() {
  const online = useSyncExternalStore(subscribeOnline, () => navigator.onLine);
  const cpuOnly = useSession((s) => {
    const backends = Object.values(s.stages).flatMap((stage) => (stage?.backend ? [stage.backend] : []));
    return backends.length > 0 && backends.every((backend) => backend === 'wasm');
  });
  return (
    <>
      {cpuOnly && (
        <span className="chip" data-testid="chip-cpu" title="No GPU (WebGPU) in use: every model runs on the CPU, so replies take longer.">
          CPU only
        </span>
      )}
      {!online && (
        <span className="chip chip-warning" data-testid="chip-offline" title="No network: everything still works on this device; a person cannot be reached.">
          Offline
        </span>
      )}
    </>
  );
}
