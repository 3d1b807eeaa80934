import { useSession } from '../../stores/session-store.ts';
import { useConversations } from '../../stores/conversation-store.ts';

export function Notices({ onRetry }: { onRetry: () => void }) {
  const notices = useSession((s) => s.notices);
  const dismiss = useSession((s) => s.dismiss);
  const storageError = useConversations((s) => s.storageError);
  return (
    <div className="notices" data-testid="notices">
      {storageError && (
        <div className="notice notice-error" role="alert">
          {storageError}
        </div>
      )}
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.level}`} role={notice.level === 'error' ? 'alert' : 'status'} data-testid={`notice-${notice.level}`}>
          <span>{notice.text}</span>
          {notice.action === 'retry-load' && (
            <button type="button" onClick={onRetry}>
              Retry
            </button>
          )}
          <button type="button" className="dismiss" aria-label="Dismiss message" onClick={() => dismiss(notice.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
