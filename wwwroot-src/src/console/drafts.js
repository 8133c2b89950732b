// The agent's unsent writing, per conversation: the composer's text and its mode (a reply to the customer or a
// private note for agents). One composer serves every conversation, so its text and mode must never follow the
// agent into another conversation: a note typed in one conversation and sent in the next would reach a customer.
// Kept in memory for the page's life: nothing private is left in storage (signing out reloads the page).

export const REPLY = "reply";
export const NOTE = "note";

const EMPTY = Object.freeze({ text: "", mode: REPLY });

export class Drafts {
  constructor() {
    this.byConversation = new Map(); // conversationId -> {text, mode}; absent = empty reply
  }

  /** The draft of a conversation: {text, mode}; an empty reply for one never written in. */
  get(conversationId) {
    return this.byConversation.get(conversationId) ?? EMPTY;
  }

  /** The composer's text changed while it showed this conversation. */
  setText(conversationId, text) {
    this.put(conversationId, { ...this.get(conversationId), text: String(text ?? "") });
  }

  /** The agent chose "Reply" or "Private note" in this conversation. */
  setMode(conversationId, mode) {
    if (mode !== REPLY && mode !== NOTE) throw new Error(`Unknown composer mode: ${mode}`);
    this.put(conversationId, { ...this.get(conversationId), mode });
  }

  /** Sending: returns the draft as it was and empties its text; the mode stays (the next note is a note too).
   *  Other conversations' drafts are untouched. */
  take(conversationId) {
    const draft = this.get(conversationId);
    this.put(conversationId, { ...draft, text: "" });
    return draft;
  }

  put(conversationId, draft) {
    if (draft.text === "" && draft.mode === REPLY) this.byConversation.delete(conversationId);
    else this.byConversation.set(conversationId, Object.freeze(draft));
  }
}
