// The agent dashboard's state and what changes it: the queue, the open conversation, and the
// live events that keep both current. Free of React and the DOM, so it runs in unit tests; the
// components read it with `useStore`.
import { createStore, type StoreApi } from 'zustand';
import type { Agent, QueueResponse } from '../protocol/agent-api.ts';
import type { ConversationWithEvents } from '../protocol/device-api.ts';
import type { RelayEvent } from '../protocol/events.ts';
import { compareEventIds, isNewer } from '../net/event-ids.ts';
import { RelayError } from '../net/relay-error.ts';
import type { AgentApi } from './agent-api.ts';

export interface DashboardNotice {
  level: 'info' | 'error';
  text: string;
}

export interface DashboardState {
  me: Agent;
  queue: QueueResponse | null;
  /** `Date.now()` when the queue arrived: wait times tick on from there. */
  queueReceivedAt: number;
  openId: string | null;
  open: ConversationWithEvents | null;
  /** Conversations of mine with caller messages not yet seen. */
  unread: readonly string[];
  notice: DashboardNotice | null;
  /** The session ended (expired, or logged out elsewhere): back to the login form. */
  signedOut: boolean;
  /** The live event stream is connected: new handoffs will be announced as they arrive. */
  live: boolean;
}

export interface DashboardActions {
  refreshQueue(): Promise<void>;
  select(id: string | null): Promise<void>;
  claim(id: string): Promise<void>;
  reply(text: string): Promise<boolean>;
  resolve(): Promise<void>;
  returnToBot(): Promise<void>;
  /** A live event from the dashboard stream. */
  receive(event: RelayEvent): void;
  /** The stream (re)connected and replayed: catch up on anything it could not replay. */
  resync(): void;
  /** The stream dropped; it reconnects by itself, and resync follows. */
  streamBroken(): void;
  dismissNotice(): void;
}

export type DashboardStore = StoreApi<DashboardState & DashboardActions>;

export interface DashboardDeps {
  api: AgentApi;
  me: Agent;
  /** A caller is waiting for a person (a new handoff, or one asked again). */
  onNewHandoff?: (event: Extract<RelayEvent, { type: 'handoff' }>) => void;
  createId?: () => string;
}

function lastId(events: readonly RelayEvent[]): string | null {
  return events.at(-1)?.id ?? null;
}

export function createDashboardStore({ api, me, onNewHandoff, createId = () => crypto.randomUUID() }: DashboardDeps): DashboardStore {
  let refreshing: Promise<void> | null = null;
  let refreshAgain = false;
  /** Events of the conversation being opened that arrive before it has loaded. */
  let early: RelayEvent[] = [];

  return createStore<DashboardState & DashboardActions>()((set, get) => {
    const fail = (error: unknown, what: string): void => {
      if (error instanceof RelayError && error.status === 401) return set({ signedOut: true });
      set({ notice: { level: 'error', text: `${what}: ${error instanceof Error ? error.message : String(error)}` } });
    };

    const reloadOpen = async (): Promise<void> => {
      const id = get().openId;
      if (!id) return;
      try {
        const loaded = await api.conversation(id);
        if (get().openId !== id) return;
        // Events the stream delivered while this request was under way stay.
        const current = get().open;
        const streamed = [...(current?.conversation.id === id ? current.events : []), ...early.filter((e) => e.conversationId === id)];
        early = [];
        const newer = streamed.filter((e) => isNewer(e.id, lastId(loaded.events))).sort((a, b) => compareEventIds(a.id, b.id));
        const unique = newer.filter((e, i) => i === 0 || e.id !== newer[i - 1]?.id);
        set({ open: { ...loaded, events: [...loaded.events, ...unique] } });
      } catch (error) {
        fail(error, 'Could not load the conversation');
      }
    };

    /** Applies a conversation the relay returned after an action, and the queue it changed. */
    const acted = async (action: () => Promise<unknown>, what: string): Promise<void> => {
      try {
        await action();
      } catch (error) {
        fail(error, what);
      }
      await Promise.all([reloadOpen(), get().refreshQueue()]);
    };

    return {
      me,
      queue: null,
      queueReceivedAt: 0,
      openId: null,
      open: null,
      unread: [],
      notice: null,
      live: false,
      signedOut: false,

      refreshQueue() {
        // One request at a time; a burst of events while it runs costs one more, not one each.
        if (refreshing) {
          refreshAgain = true;
          return refreshing;
        }
        refreshing = (async () => {
          do {
            refreshAgain = false;
            const queue = await api.queue();
            set({ queue, queueReceivedAt: Date.now() });
          } while (refreshAgain);
        })()
          .catch((error: unknown) => fail(error, 'Could not load the queue'))
          .finally(() => (refreshing = null));
        return refreshing;
      },

      async select(id) {
        const same = id === get().openId;
        if (!same) early = [];
        set({ openId: id, open: same ? get().open : null, unread: get().unread.filter((u) => u !== id) });
        await reloadOpen();
      },

      async claim(id) {
        if (get().openId !== id) await get().select(id);
        await acted(() => api.claim(id), 'Could not claim the conversation');
      },

      async reply(text) {
        const id = get().openId;
        if (!id || text.trim() === '') return false;
        try {
          await api.reply(id, text.trim(), createId());
        } catch (error) {
          fail(error, 'The reply was not sent');
          return false;
        }
        // The stream delivers the message; reading the conversation covers a slow stream.
        void reloadOpen();
        return true;
      },

      async resolve() {
        const id = get().openId;
        if (id) await acted(() => api.resolve(id), 'Could not resolve the conversation');
      },

      async returnToBot() {
        const id = get().openId;
        if (id) await acted(() => api.returnToBot(id), 'Could not return the conversation to the assistant');
      },

      receive(event) {
        if (event.type === 'handoff') onNewHandoff?.(event);
        const { open, openId, queue } = get();
        if (!open && event.conversationId === openId) early.push(event);
        if (open && event.conversationId === openId && isNewer(event.id, lastId(open.events))) {
          set({ open: { ...open, events: [...open.events, event] } });
          // The conversation's own fields (state, agent, deadlines) come from the relay.
          if (event.type === 'state') void reloadOpen();
        }
        if (event.type === 'message') {
          const mine = queue?.mine.some((c) => c.id === event.conversationId);
          if (event.data.author === 'user' && mine && event.conversationId !== openId && !get().unread.includes(event.conversationId)) {
            set({ unread: [...get().unread, event.conversationId] });
          }
          return;
        }
        void get().refreshQueue();
      },

      resync() {
        set({ live: true });
        void get().refreshQueue();
        void reloadOpen();
      },

      streamBroken() {
        set({ live: false });
      },

      dismissNotice() {
        set({ notice: null });
      },
    };
  });
}
