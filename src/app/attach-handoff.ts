// Wires the handoff controller to the browser and the app's stores: the relay on this origin,
// localStorage, EventSource, the settings, the conversation service and the notices.
import { conversations } from '../conversations/index.ts';
import { useSession } from '../stores/session-store.ts';
import { useSettings } from '../stores/settings-store.ts';
import type { TurnManager } from '../voice/turn-manager.ts';
import { ConversationStream } from '../net/event-stream.ts';
import { HandoffController } from '../handoff/handoff-controller.ts';
import { withHandoffDefaults } from '../handoff/handoff-settings.ts';
import { webHandoffStorage } from '../handoff/handoff-storage.ts';
import { useHandoff } from '../handoff/handoff-store.ts';
import { deviceRelay } from '../handoff/relay-client.ts';

/** Lets `turns` hand conversations to a person; returns the function that detaches it. */
export function attachHandoff(turns: TurnManager): () => void {
  const controller = new HandoffController({
    turns,
    relay: deviceRelay(),
    storage: webHandoffStorage(),
    settings: () => withHandoffDefaults(useSettings.getState().handoff),
    localConversationId: () => conversations.current().id,
    // Opens it in the list and in `turns` at once (the conversation service).
    openLocalConversation: (id) => void conversations.open(id),
    openStream: (options) => new ConversationStream(options).open(),
    onStatus: (status) => useHandoff.getState().setStatus(status),
    notify: (notice) => useSession.getState().notify(notice),
  });
  const online = () => controller.reconnect();
  window.addEventListener('online', online);
  useHandoff.getState().setActions({
    request: () => controller.request({ kind: 'explicit_request', detail: 'pressed “Talk to a person”' }),
    cancel: () => void controller.cancel(),
  });
  controller.start();
  return () => {
    window.removeEventListener('online', online);
    useHandoff.getState().setActions(null);
    controller.dispose();
  };
}
