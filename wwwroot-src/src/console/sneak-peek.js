// Sneak peek (issue 27): what the customer of the open conversation is typing, before it is sent, shown greyed under
// the thread ("Ann is typing: …"). From the SneakPeek push (to the inbox's agents only); cleared by an empty peek (the
// box was emptied), by the customer's message (the peek became it), or SNEAK_PEEK_SHOWN_MS after the last peek (the
// customer left, or the connection went).

import { el } from "../render/dom.js";

export const SNEAK_PEEK_SHOWN_MS = 10000;

/** @param render () => void: draws again (an expired peek goes at the next draw). */
export function createSneakPeeks({ render, now = Date.now, timers = globalThis }) {
  const peeks = new Map(); // conversation id -> {text, until}
  const label = el("span", { class: "sneak-peek-label" });
  const text = el("span", { class: "sneak-peek-text" });
  // Not a live region: a screen reader would read every keystroke's update.
  const node = el("div", { class: "sneak-peek", hidden: true, title: "Not sent yet: what the customer is typing" }, [label, text]);
  if (typeof document !== "undefined" && !document.querySelector("link[href='sneak-peek.css']"))
    document.head.append(el("link", { rel: "stylesheet", href: "sneak-peek.css" }));

  /** The SneakPeek push {conversationId, text}. */
  function received(e) {
    if (!e.text) peeks.delete(e.conversationId);
    else {
      peeks.set(e.conversationId, { text: e.text, until: now() + SNEAK_PEEK_SHOWN_MS });
      timers.setTimeout(render, SNEAK_PEEK_SHOWN_MS + 50);
    }
  }

  /** The customer's message arrived: the peek became it. */
  function cleared(conversationId) {
    peeks.delete(conversationId);
  }

  /** Draws the open conversation's peek (none when `conversationId` is null). */
  function update(conversationId, customerName) {
    for (const [id, p] of peeks) if (p.until < now()) peeks.delete(id);
    const peek = conversationId == null ? null : peeks.get(conversationId);
    node.hidden = !peek;
    label.textContent = peek ? `${customerName || "The customer"} is typing: ` : "";
    text.textContent = peek ? peek.text : "";
  }

  /** The text shown for a conversation now, or null. */
  function peekOf(conversationId) {
    const peek = peeks.get(conversationId);
    return peek && peek.until >= now() ? peek.text : null;
  }

  return { node, received, cleared, update, peekOf };
}
