// The thresholds of the on-device handoff triggers; kept in the settings store, read at the
// moment a trigger is evaluated, so a change applies from the next message on.

export interface HandoffSettings {
  /** Whether the app offers a person at all: when the caller asks, or when a trigger fires. */
  enabled: boolean;
  /** Words or phrases that hand the conversation to a person as soon as the caller says one. */
  keywords: string[];
  /** How many of the caller's latest messages the sentiment trigger adds up. */
  sentimentWindow: number;
  /** Hand off when those messages' scores (each -1…+1) add up to minus this or lower. */
  sentimentThreshold: number;
  /** Hand off after this many failures in a row (the assistant could not help, nothing was heard). */
  failureLimit: number;
}

export const DEFAULT_HANDOFF_SETTINGS: HandoffSettings = {
  enabled: true,
  keywords: ['complaint'],
  sentimentWindow: 3,
  sentimentThreshold: 1.5,
  failureLimit: 3,
};

/** Keywords typed as one comma-separated line in the settings panel. */
export function parseKeywords(line: string): string[] {
  const seen = new Set<string>();
  for (const part of line.split(',')) {
    const keyword = part.trim().replace(/\s+/gu, ' ');
    if (keyword !== '' && keyword.length <= 60) seen.add(keyword.toLowerCase());
  }
  return [...seen].slice(0, 50);
}

/** Settings stored by an older version of the app may lack the newer fields. */
export function withHandoffDefaults(settings: Partial<HandoffSettings> | undefined): HandoffSettings {
  return { ...DEFAULT_HANDOFF_SETTINGS, ...settings };
}
