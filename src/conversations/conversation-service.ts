// The one owner of the conversations: the list the UI shows, the one open in the voice loop (the
// turn manager's history, which is what the LLM is prompted with) and the copy on the device all
// change here, each operation at once, so none can disagree with another: deleting the open
// conversation empties the voice loop in the same call, and nothing of it is written again.
import { titleFrom, type Conversation, type Message } from './conversation-types.ts';
import type { HistoryMessage } from '../voice/history.ts';
import type { ConversationStorage, StorageStatus } from './conversation-storage.ts';

export const NEW_CONVERSATION_TITLE = 'New conversation';

/** What the UI reads (a zustand store in the app). */
export interface ConversationsState {
  /**
   * The open conversation and the others, newest first. The open one may be empty (a new
   * conversation); the list shows only those with messages.
   */
  conversations: Conversation[];
  /** Always one of `conversations`. */
  currentId: string;
  /** Set while the device cannot keep the conversations (full, another tab, ...): the text stays in memory. */
  storageError: string | undefined;
  /** The saved conversations have been read (or could not be). */
  loaded: boolean;
}

/** Where the service keeps its state: zustand's store API, or a plain object in tests. */
export interface StateCell<S> {
  getState(): S;
  setState(partial: Partial<S>): void;
}

/** The voice loop's side: the turn manager, whose history is the open conversation. */
export interface HistoryHolder {
  /** Replaces the history, stopping the turn in progress (its messages are not written anywhere). */
  loadHistory(messages: readonly HistoryMessage[]): void;
}

export interface ConversationServiceOptions {
  storage: ConversationStorage;
  state: StateCell<ConversationsState>;
  now?: () => number;
  createId?: () => string;
}

type Problem = 'connection' | 'delete' | 'save' | 'read';
/** The first problem in this order is the one shown. */
const PROBLEM_ORDER: Problem[] = ['connection', 'delete', 'save', 'read'];

const STATUS_MESSAGES: Record<Exclude<StorageStatus, 'ready'>, string> = {
  blocked:
    'Hearth is open in another tab with an older version: close that tab so saved conversations can be read and saved here. This conversation stays open meanwhile.',
  outdated: 'Hearth was updated in another tab. Reload this tab to keep saving conversations; what is on screen stays until then.',
};

/**
 * Load, switch, new, delete and record are single, synchronous changes of what is open (the
 * storage catches up in the background, in order):
 *
 *   const conversations = new ConversationService({ storage, state });
 *   const turns = new TurnManager({ ..., history: conversations.connect({ loadHistory: (m) => turns.loadHistory(m) }) });
 *   turns.subscribe((e) => e.type === 'history' && conversations.record(e.messages));
 *   conversations.open(id);      // the list and the voice loop show it; a turn in progress stops
 *   await conversations.delete(id);  // gone from the list, the voice loop and the device
 */
export class ConversationService {
  private readonly storage: ConversationStorage;
  private readonly state: StateCell<ConversationsState>;
  private readonly now: () => number;
  private readonly createId: () => string;
  private holder: HistoryHolder | undefined;
  /** Deleted in this session: never shown, opened or written again (a save may still be queued, a read in flight). */
  private readonly deleted = new Set<string>();
  /** Deleted but not yet confirmed gone from the device: removed before any other write, again until it works. */
  private readonly undeleted = new Set<string>();
  /** The newest snapshot of each conversation waiting to be written (several changes, one write). */
  private readonly unsaved = new Map<string, Conversation>();
  /** The storage's writes, one at a time, in the order they were asked for. */
  private writes: Promise<void> = Promise.resolve();
  private loading: Promise<void> | undefined;
  /** Something was opened, begun or said: reading the saved conversations does not change what is open. */
  private chosen = false;
  /** Asked to open before the saved conversations were read (a handoff resumed after a reload). */
  private wanted: string | undefined;
  private readonly problems = new Map<Problem, string>();

  constructor(options: ConversationServiceOptions) {
    this.storage = options.storage;
    this.state = options.state;
    this.now = options.now ?? (() => Date.now());
    this.createId = options.createId ?? (() => crypto.randomUUID());
    const fresh = this.blank();
    this.state.setState({ conversations: [fresh], currentId: fresh.id, storageError: undefined, loaded: false });
    this.storage.onStatus?.((status) => this.storageStatus(status));
  }

  /** The open conversation (possibly empty). */
  current(): Conversation {
    const { conversations, currentId } = this.state.getState();
    const found = conversations.find((c) => c.id === currentId);
    if (found) return found;
    // Only if someone else replaced the state: start over with an empty one.
    const fresh = this.blank();
    this.state.setState({ conversations: [fresh, ...conversations], currentId: fresh.id });
    return fresh;
  }

  /**
   * Gives the voice loop's history to the service: from now on every switch loads it. Returns
   * the open conversation's messages, for the turn manager to start with.
   */
  connect(holder: HistoryHolder): readonly Message[] {
    this.holder = holder;
    this.chosen = true;
    return this.current().messages;
  }

  /** Reads the saved conversations (once; again only after a failure). Opens the newest unless something is open already. */
  load(): Promise<void> {
    this.loading ??= this.readStored();
    return this.loading;
  }

  /**
   * Opens a conversation in the list and in the voice loop (the turn in progress stops). Before
   * the saved conversations are read, one of them is opened as soon as they are. False if there
   * is no such conversation.
   */
  open(id: string): boolean {
    if (this.deleted.has(id)) return false;
    const { conversations, currentId, loaded } = this.state.getState();
    const found = conversations.find((c) => c.id === id);
    if (!found) {
      if (!loaded) this.wanted = id;
      return false;
    }
    this.chosen = true;
    this.wanted = undefined;
    if (id !== currentId) this.show(found, conversations);
    return true;
  }

  /** Opens a new, empty conversation (the turn in progress stops). */
  startNew(): Conversation {
    this.chosen = true;
    this.wanted = undefined;
    const fresh = this.blank();
    this.show(fresh, [fresh, ...this.state.getState().conversations]);
    return fresh;
  }

  /**
   * Deletes a conversation for good: from the list and, when it is open, from the voice loop at
   * once (the turn in progress stops, a new empty conversation opens, the next prompt holds none
   * of it); then from the device. Resolves when the device confirmed it (or reported why not, in
   * `storageError`; it is tried again before the next write).
   */
  delete(id: string): Promise<void> {
    this.deleted.add(id);
    this.undeleted.add(id);
    this.unsaved.delete(id);
    if (this.wanted === id) this.wanted = undefined;
    const { conversations, currentId } = this.state.getState();
    const rest = conversations.filter((c) => c.id !== id);
    if (id === currentId) {
      this.chosen = true;
      const fresh = this.blank();
      this.state.setState({ conversations: [fresh, ...rest], currentId: fresh.id });
      this.holder?.loadHistory(fresh.messages);
    } else {
      this.state.setState({ conversations: rest });
    }
    return this.write();
  }

  /**
   * The voice loop's history changed: it is the open conversation's (a switch reloads the history
   * in the same call, and the turn manager drops what turns of an earlier history still say).
   */
  record(messages: readonly Message[]): void {
    const current = this.current();
    if (sameMessages(current.messages, messages)) return;
    const firstUser = messages.find((m) => m.role === 'user');
    const next: Conversation = {
      ...current,
      title: current.title === NEW_CONVERSATION_TITLE && firstUser ? titleFrom(firstUser.content) : current.title,
      updatedAt: this.now(),
      messages: [...messages],
    };
    if (messages.length > 0) this.chosen = true;
    this.state.setState({ conversations: this.state.getState().conversations.map((c) => (c.id === next.id ? next : c)) });
    if (next.messages.length > 0) this.queueSave(next);
  }

  /** Resolves when the writes asked for so far are done (or failed and were reported). */
  whenStored(): Promise<void> {
    return this.writes;
  }

  private blank(): Conversation {
    const now = this.now();
    return { id: this.createId(), title: NEW_CONVERSATION_TITLE, createdAt: now, updatedAt: now, messages: [] };
  }

  /** Makes `conversation` the open one, in `conversations` (an empty one left behind goes) and in the voice loop. */
  private show(conversation: Conversation, conversations: Conversation[]): void {
    const { currentId } = this.state.getState();
    const kept = conversations.filter((c) => c.id === conversation.id || c.id !== currentId || c.messages.length > 0);
    // The state first: the turn manager reports the new history at once, and it must land in the new conversation.
    this.state.setState({ conversations: kept, currentId: conversation.id });
    this.holder?.loadHistory(conversation.messages);
  }

  private async readStored(): Promise<void> {
    let stored: Conversation[];
    try {
      stored = await this.storage.loadAll();
      this.problems.delete('read');
    } catch (error) {
      this.loading = undefined;
      this.problems.set('read', `Saved conversations could not be read (${describe(error)}).`);
      this.state.setState({ loaded: true });
      this.publishProblems();
      return;
    }
    const { conversations } = this.state.getState();
    // What is in memory is newer than what the device had (a save may still be on its way).
    const saved = stored.filter((c) => !this.deleted.has(c.id) && !conversations.some((m) => m.id === c.id));
    this.state.setState({ conversations: [...conversations, ...saved], loaded: true });
    const wanted = this.wanted;
    this.wanted = undefined;
    if (wanted !== undefined) this.open(wanted);
    else if (!this.chosen && saved[0]) this.open(saved[0].id);
    this.publishProblems();
  }

  private queueSave(conversation: Conversation): void {
    this.unsaved.set(conversation.id, conversation);
    void this.write(async () => {
      const latest = this.unsaved.get(conversation.id);
      // Already written with a later change, or deleted since.
      if (!latest || this.deleted.has(latest.id)) return;
      this.unsaved.delete(latest.id);
      try {
        await this.storage.save(latest);
        this.problems.delete('save');
      } catch (error) {
        this.problems.set('save', `This conversation could not be saved on the device (${describe(error)}). It stays open; free some storage to keep it.`);
      }
    });
  }

  /** Queues a write; conversations deleted but still on the device go first, always. */
  private write(op?: () => Promise<void>): Promise<void> {
    const run = this.writes.then(async () => {
      await this.removeDeleted();
      await op?.();
      this.publishProblems();
    });
    this.writes = run.catch(() => undefined);
    return this.writes;
  }

  private async removeDeleted(): Promise<void> {
    for (const id of [...this.undeleted]) {
      try {
        await this.storage.delete(id);
        this.undeleted.delete(id);
      } catch (error) {
        this.problems.set('delete', `A deleted conversation could not be removed from the device yet (${describe(error)}); it will be tried again.`);
        return;
      }
    }
    this.problems.delete('delete');
  }

  private storageStatus(status: StorageStatus): void {
    if (status === 'ready') this.problems.delete('connection');
    else this.problems.set('connection', STATUS_MESSAGES[status]);
    this.publishProblems();
  }

  private publishProblems(): void {
    const first = PROBLEM_ORDER.map((p) => this.problems.get(p)).find((m) => m !== undefined);
    if (first !== this.state.getState().storageError) this.state.setState({ storageError: first });
  }
}

function sameMessages(a: readonly Message[], b: readonly Message[]): boolean {
  return a.length === b.length && a.every((m, i) => m === b[i]);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
}
