// Sneak peek (issue 27): what the customer is typing goes to the agents before it is sent, so they can start on the
// answer. Throttled (at most one every SNEAK_PEEK_EVERY_MS, and always the latest text once the customer pauses:
// trailing), cut to the server's limit (Limits:MaxSneakPeekLength, 1000 by default), empty when the box is cleared.
// Nothing is sent when the inbox has it off (its public view: sneak_peek_enabled), before the conversation exists, or
// while not connected. Sending the message ends it: a pending peek is dropped (the agents' console clears the peek on
// the message itself).

export const SNEAK_PEEK_EVERY_MS = 300;
export const SNEAK_PEEK_MAX_LENGTH = 1000;

export class SneakPeekSender {
  /** @param send (text) => void: tells the server. */
  constructor({ send, now = Date.now, timers = globalThis, everyMs = SNEAK_PEEK_EVERY_MS, maxLength = SNEAK_PEEK_MAX_LENGTH }) {
    Object.assign(this, { send, now, timers, everyMs, maxLength });
    this.lastSent = "";
    this.lastAt = -Infinity;
    this.pending = null; // the text waiting for its turn, or null
    this.timer = 0;
  }

  /** The box now holds `text`. */
  typed(text) {
    this.pending = String(text || "").trim() ? String(text).slice(0, this.maxLength) : "";
    if (this.timer) return; // it goes when the timer fires, as the latest text then
    const wait = this.lastAt + this.everyMs - this.now();
    if (wait <= 0) this.flush();
    else this.timer = this.timers.setTimeout(() => { this.timer = 0; this.flush(); }, wait);
  }

  /** The message was sent: nothing pending goes any more, and the next text is new. */
  sent() {
    this.timers.clearTimeout(this.timer);
    this.timer = 0;
    this.pending = null;
    this.lastSent = "";
  }

  flush() {
    const text = this.pending;
    this.pending = null;
    if (text === null || text === this.lastSent) return;
    this.lastSent = text;
    this.lastAt = this.now();
    this.send(text);
  }
}

/** @param app {state, invoke} */
export function createSneakPeek(app) {
  const { state } = app;
  const sender = new SneakPeekSender({
    send: (text) => {
      const c = state.conversation;
      if (c && state.conn === "connected") app.invoke("SendSneakPeek", c.id, text).catch(() => {});
    },
  });

  /** The composer's text changed. */
  function peekTyped(text) {
    if (!state.inbox?.sneakPeek || !state.conversation || state.conn !== "connected") return;
    sender.typed(text);
  }

  function peekSent() {
    sender.sent();
  }

  return { peekTyped, peekSent };
}
