import { useEffect, useState, type ReactNode } from 'react';
import { useConversations } from '../../conversations/index.ts';
import { useSession, type Notice } from '../../stores/session-store.ts';

/**
 * How long a notice stays by itself. One that offers an action, and any error, stays until the
 * user deals with it; the others go away, but not while the pointer or focus is on them (time to
 * read them is the user's, WCAG 2.2.1).
 */
function lifetimeMs(notice: Notice): number | undefined {
  if (notice.action || notice.level === 'error') return undefined;
  return notice.level === 'warning' ? 10_000 : 6_000;
}

function Toast({ notice, onRetry }: { notice: Notice; onRetry: () => void }) {
  const dismiss = useSession((s) => s.dismiss);
  const [held, setHeld] = useState(false);
  const lifetime = lifetimeMs(notice);
  useEffect(() => {
    if (lifetime === undefined || held) return;
    const timer = setTimeout(() => dismiss(notice.id), lifetime);
    return () => clearTimeout(timer);
  }, [dismiss, notice.id, lifetime, held]);

  return (
    <div
      className={`toast toast-${notice.level}`}
      role={notice.level === 'error' ? 'alert' : 'status'}
      data-testid={`notice-${notice.level}`}
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={() => setHeld(false)}
    >
      <span className="toast-text">{notice.text}</span>
      {notice.action === 'retry-load' && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
      <button type="button" className="ghost icon-button" aria-label="Dismiss message" onClick={() => dismiss(notice.id)}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}

/**
 * Notices as toasts in a place of their own, newest last; CSS shows only the last few.
 * `children` (the update offer) comes first and stays.
 */
export function Toasts({ onRetry, children }: { onRetry: () => void; children?: ReactNode }) {
  const notices = useSession((s) => s.notices);
  const storageError = useConversations((s) => s.storageError);
  return (
    <div className="toasts" data-testid="notices" aria-label="Notifications" role="region">
      {children}
      {storageError && (
        <div className="toast toast-error" role="alert">
          <span className="toast-text">{storageError}</span>
        </div>
      )}
      {notices.map((notice) => (
        <Toast key={notice.id} notice={notice} onRetry={onRetry} />
      ))}
    </div>
  );
}
