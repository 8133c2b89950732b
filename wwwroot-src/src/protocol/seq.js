// Gap-free seq tracking: every change to a conversation carries the conversation's next seq. Changes are applied
// as they come; a seq beyond lastSeq + 1 means one is missing (still on its way, or lost), and after a short
// wait the tracker asks for a fill (GetMessages {afterSeq: lastSeq}).

export const GAP_WAIT_MS = 300;

export class SeqTracker {
  /** @param onGap called (once per wait) when a gap is still open after `gapWaitMs`: fill from `lastSeq`. */
  constructor({ onGap, gapWaitMs = GAP_WAIT_MS, timers = globalThis } = {}) {
    this.onGap = onGap;
    this.gapWaitMs = gapWaitMs;
    this.timers = timers;
    this.lastSeq = 0;
    this.ahead = new Set();
    this.timer = 0;
  }

  /** Starts over at a known point (a conversation loaded with its current seq). */
  reset(seq = 0) {
    this.timers.clearTimeout(this.timer);
    this.lastSeq = seq;
    this.ahead = new Set();
  }

  get hasGap() {
    return this.ahead.size > 0;
  }

  /** A change with this seq arrived; returns false when it was already covered. */
  note(seq) {
    if (seq <= this.lastSeq) return false;
    this.ahead.add(seq);
    this.advance();
    if (this.ahead.size) {
      // Results and pushes travel separately: a short wait lets a change that is on its way arrive.
      this.timers.clearTimeout(this.timer);
      this.timer = this.timers.setTimeout(() => { if (this.ahead.size) this.onGap?.(this.lastSeq); }, this.gapWaitMs);
    }
    return true;
  }

  /** Everything up to `seq` is applied (a fill or a loaded page reached it). */
  reached(seq) {
    if (seq > this.lastSeq) this.lastSeq = seq;
    this.advance();
  }

  advance() {
    for (const s of this.ahead) if (s <= this.lastSeq) this.ahead.delete(s);
    while (this.ahead.has(this.lastSeq + 1)) this.ahead.delete(++this.lastSeq);
  }
}

/** Fetches every change after tracker.lastSeq, page by page, until the conversation's seq is reached.
 *  fetchAfter(afterSeq) -> {conversation, messages, hasMore}; apply(result) takes it in; stillWanted() stops
 *  when the view moved on. Safe to repeat. */
export async function catchUp(tracker, fetchAfter, apply, stillWanted = () => true) {
  for (let more = true; more && stillWanted();) {
    const r = await fetchAfter(tracker.lastSeq);
    if (!stillWanted()) return;
    apply(r);
    more = r.hasMore && r.messages.length > 0;
    tracker.reached(more ? r.messages[r.messages.length - 1].seq : r.conversation.seq);
  }
}
