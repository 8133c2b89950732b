// The open conversation: its history (loaded, caught up by seq, older pages), the agent's replies and notes (the
// protocol's outbox), typing, and the seen marker. agent.js owns the state and hands over what this needs.
// Whatever the agent writes or attaches is bound to the conversation it was written in: the composer's draft and
// mode live in state.drafts (drafts.js), and every send names its conversation, so nothing written in one
// conversation can be sent into the one opened next.

import { uploadFile } from "../protocol/http.js";
import { Outbox } from "../protocol/outbox.js";
import { isRead } from "../protocol/seen.js";
import { SeqTracker, catchUp } from "../protocol/seq.js";
import { TypingSignal } from "../protocol/typing.js";
import { nowSeconds } from "../render/time.js";
import { isNewerPreview } from "./conversations.js";
import { NOTE } from "./drafts.js";

const PAGE_SIZE = 30;
const REVEAL_PAGE_SIZE = 100; // the server's Limits:MaxPageSize by default
const REVEAL_PAGES = 50;

/** The server refuses the agent a conversation it had: no longer a member of its inbox (an administrator removed
 *  it). The server has stopped sending that inbox's events already; the console lets the conversation go. */
export const lostAccess = (e) => e?.code === "forbidden";

/** What an agent's reply shows: "read" once the customer saw it, else "sent"; null for the customer's messages and
 *  for private notes (the customer never sees those). `t` is the open thread (its contactSeenSeq), `c` the
 *  conversation (its contactLastSeenAt). */
export function replyDelivery(m, t, c) {
  if (m.messageType !== 1 || m.private) return null;
  return isRead(m, t ? t.contactSeenSeq : 0, c?.contactLastSeenAt) ? "read" : "sent";
}

/** Whether the open thread needs marking seen: a customer message is unread (the list counts one, or the newest
 *  is not read yet) and newer than the last one marked. Returns that newest customer message, or null. */
export function toMarkSeen(t, entry) {
  let newest = null;
  for (const m of t.messages.values()) if (m.messageType === 0 && (!newest || m.id > newest.id)) newest = m;
  const unread = entry?.unread.size > 0 || (newest && newest.status !== "read");
  return newest && unread && newest.id > t.markedId ? newest : null;
}

/** @param app {state, hub: () => the current Hub or null, render(options), upsert(c, messages), learn(m),
 *  lost(id): the server refused the conversation (see lostAccess)} */
export function createThreads(app) {
  const { state, hub, render, upsert, learn, lost } = app;

  // Per conversation, what the agent sent or attached that the server has not acknowledged yet (the outbox) and
  // the files still uploading. It outlives a switch to another conversation and is sent, to its own conversation,
  // when that conversation is open again (a reply queued offline, a file that finished uploading meanwhile).
  const pendingByConversation = new Map();

  function pendingOf(id) {
    let pending = pendingByConversation.get(id);
    if (!pending) {
      pending = { uploads: [], attachError: null };
      pending.outbox = new Outbox({
        send: (item) => sendQueued(id, item),
        canSend: () => !!hub()?.connected && state.thread?.id === id,
        onChange: () => render(),
      });
      pendingByConversation.set(id, pending);
    }
    return pending;
  }

  function forgetIfIdle(id) {
    const pending = pendingByConversation.get(id);
    if (pending && !pending.outbox.items.length && !pending.uploads.length) pendingByConversation.delete(id);
  }

  function newThread(id) {
    const pending = pendingOf(id);
    const t = { id, loaded: false, messages: new Map(), hasOlder: false, loadingOlder: false,
      contactSeenSeq: 0, syncing: false, syncAgain: false, typing: null, markedId: 0, pending, outbox: pending.outbox };
    t.seqs = new SeqTracker({ onGap: () => resync(t) });
    t.typingSignal = new TypingSignal({ send: (on) => hub()?.invoke("SetTyping", t.id, on).catch(() => {}) });
    return t;
  }

  function select(id) {
    if (state.thread?.id === id) return;
    stopTyping();
    const previous = state.thread;
    state.selectedId = id;
    state.thread = newThread(id);
    if (previous) forgetIfIdle(previous.id);
    if (location.hash !== `#/conversations/${id}`) history.replaceState(null, "", `#/conversations/${id}`);
    render({ toBottom: true, focusComposer: true });
    state.thread.ready = loadThread(state.thread).catch((e) => { if (!e.retry) console.warn("ChatHub console:", e.message); });
  }

  /** Opens a conversation with `messageId` in its history (a search result): older pages of the largest size are
   *  loaded down to it, so the history shown has no gap (at most REVEAL_PAGES of them). Resolves to whether it is there. */
  async function reveal(id, messageId) {
    select(id);
    const t = state.thread;
    await t.ready;
    for (let pages = 0; state.thread === t && t.loaded && !t.messages.has(messageId) && t.hasOlder && pages < REVEAL_PAGES; pages++) {
      const before = Math.min(...t.messages.keys());
      if (before <= messageId) break;
      const r = await hub().invoke("GetMessages", { conversationId: t.id, before, limit: REVEAL_PAGE_SIZE });
      if (state.thread !== t) return false;
      for (const m of r.messages) {
        learn(m);
        if (!t.messages.has(m.id)) t.messages.set(m.id, m);
      }
      t.hasOlder = r.hasMore;
    }
    render();
    return state.thread === t && t.messages.has(messageId);
  }

  /** No conversation open (the one open was lost): the empty view, and no hash to come back to it. */
  function close() {
    stopTyping();
    state.thread = null;
    state.selectedId = null;
    if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  }

  async function loadThread(t) {
    let r;
    try {
      r = await hub().invoke("GetMessages", { conversationId: t.id, limit: PAGE_SIZE });
    } catch (e) {
      if (!lostAccess(e)) throw e;
      lost(t.id);
      return;
    }
    if (state.thread !== t) return;
    upsert(r.conversation, r.messages);
    for (const m of r.messages) t.messages.set(m.id, m);
    t.hasOlder = r.hasMore;
    t.seqs.reached(r.conversation.seq);
    t.loaded = true;
    render({ toBottom: true });
    markSeenSoon();
    t.outbox.flush(); // anything left queued when the agent last switched away
  }

  function addToThread(t, m) {
    t.messages.set(m.id, m);
    t.outbox.acknowledge(m.echoId);
  }

  /** Every change after lastSeq in seq order, plus the conversation's current state; safe to repeat. */
  async function resync(t) {
    if (t.syncing) { t.syncAgain = true; return; }
    t.syncing = true;
    try {
      do {
        t.syncAgain = false;
        await catchUp(t.seqs,
          (afterSeq) => hub().invoke("GetMessages", { conversationId: t.id, afterSeq, limit: 100 }),
          (r) => {
            for (const m of r.messages) {
              learn(m);
              addToThread(t, m);
            }
            upsert(r.conversation, r.messages);
          },
          () => state.thread === t);
      } while (t.syncAgain && state.thread === t);
    } catch (e) {
      if (lostAccess(e)) lost(t.id);
      else if (!e.retry) console.warn("ChatHub console:", e.message);
    } finally {
      t.syncing = false;
      render();
    }
  }

  /** The newest page's read states from the server (after an ambiguous seen marker). */
  async function refreshThreadStates(id) {
    const t = state.thread;
    if (!t || t.id !== id || !t.loaded) return;
    const r = await hub().invoke("GetMessages", { conversationId: id, limit: PAGE_SIZE });
    if (state.thread !== t) return;
    for (const m of r.messages) {
      const known = t.messages.get(m.id);
      if (known && known.seq <= m.seq) t.messages.set(m.id, m);
    }
    render();
  }

  async function loadOlder() {
    const t = state.thread;
    if (!t || !t.loaded || !t.hasOlder || t.loadingOlder) return;
    t.loadingOlder = true;
    render();
    try {
      const before = Math.min(...t.messages.keys());
      const r = await hub().invoke("GetMessages", { conversationId: t.id, before, limit: PAGE_SIZE });
      if (state.thread !== t) return;
      for (const m of r.messages) {
        learn(m);
        if (!t.messages.has(m.id)) t.messages.set(m.id, m);
      }
      t.hasOlder = r.hasMore;
    } catch (e) {
      if (lostAccess(e)) lost(t.id);
      else if (!e.retry) console.warn("ChatHub console:", e.message);
    } finally {
      t.loadingOlder = false;
      render({ keepOffsetFromBottom: true });
    }
  }

  function deliveryOf(m) {
    return replyDelivery(m, state.thread, state.convs.get(m.conversationId)?.c);
  }

  function isVisible() {
    return document.visibilityState === "visible";
  }

  let seenTimer = 0;
  /** Marks the open conversation seen when it shows a customer message newer than the last one marked. */
  function markSeenSoon() {
    clearTimeout(seenTimer);
    seenTimer = setTimeout(() => {
      const t = state.thread;
      if (!t || !t.loaded || !isVisible() || !hub()?.connected) return;
      const entry = state.convs.get(t.id);
      const newest = toMarkSeen(t, entry);
      if (entry) entry.unread.clear();
      render();
      if (!newest) return;
      t.markedId = newest.id;
      hub().invoke("MarkSeen", t.id).catch(() => { t.markedId = 0; });
    }, 200);
  }

  /** Sends the composer's text written in conversation `conversationId`, as that conversation's draft mode says
   *  (reply or private note), and empties that draft. Refused (false: the composer keeps the text) unless that
   *  conversation is the open one: the composer may still show the previous conversation for a frame after a switch. */
  function send(conversationId, text) {
    const t = state.thread;
    if (!t || t.id !== conversationId) return false;
    const { mode } = state.drafts.take(conversationId);
    t.pending.attachError = null; // a refused file's message belongs to that attempt, not to the messages after it
    t.outbox.add({ content: text.trim(), private: mode === NOTE, createdAt: nowSeconds() });
    stopTyping();
    render({ toBottom: true });
    t.outbox.flush();
    return true;
  }

  /** Files attached by the agent in conversation `conversationId`: each uploaded (with progress) to
   *  POST /api/v1/uploads, then sent by id as a reply or a note of its own (the mode when picked), through that
   *  conversation's outbox. A refusal (the server's 413 message) shows in that conversation's composer. */
  function attach(conversationId, files) {
    const t = state.thread;
    if (!t || t.id !== conversationId) return;
    const pending = t.pending;
    const isPrivate = state.drafts.get(conversationId).mode === NOTE;
    pending.attachError = null;
    for (const file of files) {
      const upload = { name: file.name || "pasted image", size: file.size, progress: 0 };
      pending.uploads.push(upload);
      uploadFile("/api/v1/uploads", state.headers, file, (p) => { upload.progress = p; render(); })
        .then((attachment) => {
          pending.outbox.add({ content: "", private: isPrivate, attachmentIds: [attachment.id], attachments: [attachment], createdAt: nowSeconds() });
          render({ toBottom: true });
          return pending.outbox.flush();
        })
        .catch((e) => { pending.attachError = e?.detail || e?.message || "The file could not be sent."; })
        .then(() => {
          pending.uploads = pending.uploads.filter((u) => u !== upload);
          render();
        });
    }
    render();
  }

  /** Sends one queued message of conversation `conversationId` (the outbox keeps order, retries with the same
   *  echoId and drops it on the ack); the open thread shows it if it is that conversation. */
  async function sendQueued(conversationId, item) {
    let m;
    try {
      m = await hub().invoke("SendMessage", { conversationId, content: item.content, echoId: item.echoId, private: item.private,
        attachmentIds: item.attachmentIds ?? null });
    } catch (e) {
      if (lostAccess(e)) lost(conversationId);
      throw e;
    }
    const t = state.thread?.id === conversationId ? state.thread : null;
    if (t) {
      addToThread(t, m);
      t.seqs.note(m.seq);
    }
    const entry = state.convs.get(conversationId);
    if (entry) {
      if (isNewerPreview(entry.last, m)) entry.last = m;
      entry.c = { ...entry.c, lastActivityAt: Math.max(entry.c.lastActivityAt, m.createdAt) };
    }
    render({ toBottom: true });
  }

  function retry(echoId) {
    state.thread?.outbox.retry(echoId);
  }

  /** Agent typing reaches the customer only for replies (a private note is no one's business but the agents'). */
  function typed(conversationId, text) {
    const t = state.thread;
    if (!t || t.id !== conversationId || !hub()?.connected) return;
    t.typingSignal.typed(!!text.trim() && state.drafts.get(conversationId).mode !== NOTE);
  }

  function stopTyping() {
    state.thread?.typingSignal.stop();
  }

  return { select, reveal, close, loadThread, addToThread, resync, refreshThreadStates, loadOlder, deliveryOf, isVisible, markSeenSoon, send, attach, retry, typed, stopTyping };
}
