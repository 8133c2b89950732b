// Own messages not acknowledged yet, sent one at a time and in order. A lost connection leaves them queued and
// they are sent again with the same echoId (the server stores a repeated echoId once); an acknowledgement - the
// call's result, or the server's push carrying the echoId - drops them.

import { sendFailureText } from "./errors.js";
import { uuid } from "./ids.js";

export const RATE_LIMIT_WAIT_MS = 3000;

export class Outbox {
  /** @param send async (item) => void: sends one item (throws a hubError on failure).
   *  @param canSend () => boolean: whether sending is possible now (connected, view still open...).
   *  @param onChange () => void: the queue or an item's state changed. */
  constructor({ send, canSend = () => true, onChange = () => {}, wait = (ms) => new Promise((r) => setTimeout(r, ms)), newId = uuid }) {
    Object.assign(this, { send, canSend, onChange, wait, newId });
    this.items = [];
    this.flushing = false;
  }

  /** Queues a message; `fields` travel with it (content, private...). */
  add(fields) {
    const item = { ...fields, echoId: this.newId(), failed: false, error: null };
    this.items.push(item);
    this.onChange();
    return item;
  }

  /** The server has it (a result or a push with this echoId). */
  acknowledge(echoId) {
    if (!echoId) return;
    const before = this.items.length;
    this.items = this.items.filter((o) => o.echoId !== echoId);
    if (this.items.length !== before) this.onChange();
  }

  /** A failed item is tried again, with the same echoId. */
  retry(echoId) {
    for (const o of this.items) if (o.echoId === echoId) Object.assign(o, { failed: false, error: null });
    this.onChange();
    return this.flush();
  }

  /** Marks every queued item failed (a refusal that no retry will change). */
  failAll(error = "Not sent") {
    for (const o of this.items) Object.assign(o, { failed: true, error });
    this.onChange();
  }

  /** Sends queued items until none is left or sending stops being possible; safe to call at any time. */
  async flush() {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (;;) {
        const item = this.items.find((o) => !o.failed);
        if (!item || !this.canSend()) return;
        try {
          await this.send(item);
          this.acknowledge(item.echoId);
        } catch (e) {
          if (e.retry) return; // kept: sent again (same echoId) after the reconnect
          if (e.code === "rate_limited") { await this.wait(RATE_LIMIT_WAIT_MS); continue; }
          Object.assign(item, { failed: true, error: sendFailureText(e.code) });
          this.onChange();
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
