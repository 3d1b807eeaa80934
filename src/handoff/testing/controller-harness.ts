// The handoff controller with fakes around it, for its unit tests.
import { HandoffController } from '../handoff-controller.ts';
import { DEFAULT_HANDOFF_SETTINGS, type HandoffSettings } from '../handoff-settings.ts';
import type { HandoffNotice, HandoffStatus } from '../handoff-status.ts';
import { memoryHandoffStorage, type StoredHandoff } from '../handoff-storage.ts';
import { FakeRelay, FakeStreams, FakeTurns, relayEvents } from './fakes.ts';

/** Lets the relay's answers and the effects they cause play out. */
export const settle = async () => {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
};

export function setup(options: { stored?: StoredHandoff | null; settings?: Partial<HandoffSettings>; local?: string } = {}) {
  const turns = new FakeTurns();
  const relay = new FakeRelay();
  const streams = new FakeStreams();
  const storage = memoryHandoffStorage(options.stored ?? null);
  const statuses: HandoffStatus[] = [];
  const notices: HandoffNotice[] = [];
  const opened: string[] = [];
  const settings = { ...DEFAULT_HANDOFF_SETTINGS, ...options.settings };
  const controller = new HandoffController({
    turns,
    relay,
    storage,
    settings: () => settings,
    localConversationId: () => options.local ?? 'local-1',
    openLocalConversation: (id) => opened.push(id),
    openStream: streams.open,
    onStatus: (status) => statuses.push(status),
    notify: (notice) => notices.push(notice),
    retryDelayMs: 0,
  });
  controller.start();
  const phase = () => controller.status.phase;
  return { controller, turns, relay, streams, storage, statuses, notices, opened, phase };
}

/** A handoff created and claimed by Alex. */
export async function withAgent() {
  const t = setup();
  t.turns.user('I want to talk to a human agent, please.');
  await settle();
  t.streams.deliver(relayEvents.handoff());
  t.streams.deliver(relayEvents.pending());
  t.streams.deliver(relayEvents.claim('Alex'));
  return t;
}

