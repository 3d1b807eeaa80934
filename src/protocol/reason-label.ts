import type { HandoffReason } from './conversation.ts';

// How a handoff reason reads to people: in the summary the agent gets, and in the dashboard.
const LABELS: Record<HandoffReason['kind'], string> = {
  explicit_request: 'Asked for a person',
  keyword: 'Keyword',
  negative_sentiment: 'Caller upset',
  repeated_failure: 'Assistant kept failing',
  tool_call: 'Assistant transferred',
  other: 'Other',
};

export function reasonLabel(reason: Pick<HandoffReason, 'kind'>): string {
  return LABELS[reason.kind];
}

export function describeReason(reason: HandoffReason): string {
  return reason.detail ? `${reasonLabel(reason)}: ${reason.detail}` : reasonLabel(reason);
}
