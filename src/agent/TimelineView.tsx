import type { TimelineItem } from './timeline.ts';

function time(at: string | undefined): string {
  return at ? new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';
}

function Message({ item }: { item: Extract<TimelineItem, { kind: 'message' }> }) {
  return (
    <li className={`timeline-message timeline-${item.speaker}${item.mine ? ' timeline-mine' : ''}`} data-testid={`timeline-${item.speaker}`}>
      <span className="timeline-who">
        {item.name} <time dateTime={item.at}>{time(item.at)}</time>
      </span>
      <p>{item.text}</p>
    </li>
  );
}

/** The conversation for the agent, as a log that screen readers announce as it grows. */
export function TimelineView({ items }: { items: TimelineItem[] }) {
  return (
    <div className="timeline-log" role="log" aria-live="polite" aria-relevant="additions" aria-label="Conversation" data-testid="timeline">
      <ol className="timeline">
        {items.map((item) => {
          if (item.kind === 'message') return <Message key={item.id} item={item} />;
          if (item.kind === 'note') {
            return (
              <li key={item.id} className="timeline-note">
                {item.text} <time dateTime={item.at}>{time(item.at)}</time>
              </li>
            );
          }
          const transcript = (
            <ol className="timeline timeline-before" aria-label="Before the handoff">
              {item.transcript.map((entry) => (entry.kind === 'message' ? <Message key={entry.id} item={entry} /> : null))}
            </ol>
          );
          return (
            <li key={item.id} className="timeline-handoff">
              <p className="timeline-note">
                {item.text} <time dateTime={item.at}>{time(item.at)}</time>
              </p>
              {item.transcript.length === 0 ? null : item.first ? (
                transcript
              ) : (
                <details>
                  <summary>Transcript sent with this request ({item.transcript.length} messages)</summary>
                  {transcript}
                </details>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
