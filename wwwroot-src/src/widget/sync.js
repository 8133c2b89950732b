// Keeping the shown conversation in step with the server: loading it, the pushes, and the catch-up by seq after a
// gap or a reconnect (every change after the last seq applied, in seq order: safe to repeat), older pages, and a
// newer conversation started in another tab.

import { catchUp } from "../protocol/seq.js";
import { t as translate } from "./i18n.js";
import {
  agentMessageArrived, applyConversation, markUnreadAfterSeen, mergeMessage, newerConversation, refreshReadStates,
  showConversation, showing,
} from "./conversation.js";

const PAGE_SIZE = 20;
const CATCH_UP_PAGE = 100;
const TYPING_SHOWN_MS = 8000; // an agent's typing shows this long unless "off" or a message comes first

/** @param app {state, seqs, outbox, invoke, render, markSeenSoon, isVisible, contactUpdated} */
export function createSync(app) {
  const { state, seqs, outbox } = app;
  let syncing = false;
  let syncAgain = false;
  let typingTimer = 0;

  /** Switches the view to a conversation (or to none: a new one starts with the next message). */
  function show(conversation) {
    showConversation(state, conversation);
    seqs.reset(conversation ? conversation.seq : 0);
    app.render({ toBottom: true });
  }

  /** After (re)connecting: shows the newest conversation and catches up on everything missed. */
  async function refresh() {
    try {
      const newer = newerConversation(state, await app.invoke("ListConversations", {}));
      if (newer) await loadConversation(newer.id);
      else if (state.conversation) await resync();
      outbox.flush();
      app.markSeenSoon();
    } catch (e) {
      if (!e.retry) console.warn("ChatHub:", e.message);
    }
  }

  async function loadConversation(id) {
    const r = await app.invoke("GetMessages", { conversationId: id, limit: PAGE_SIZE });
    show(r.conversation);
    for (const m of r.messages) addMessage(m, true);
    state.hasOlder = r.hasMore;
    seqs.reached(r.conversation.seq);
    markUnreadAfterSeen(state);
    app.render({ toBottom: true });
  }

  /** Every change after seqs.lastSeq, in seq order, with the conversation's current state (a gap, a reconnect). */
  async function resync() {
    const c = state.conversation;
    if (!c) return;
    if (syncing) {
      syncAgain = true;
      return;
    }
    syncing = true;
    try {
      do {
        syncAgain = false;
        await catchUp(seqs,
          (afterSeq) => app.invoke("GetMessages", { conversationId: c.id, afterSeq, limit: CATCH_UP_PAGE }),
          (r) => {
            for (const m of r.messages) addMessage(m, false);
            takeConversation(r.conversation);
          },
          () => showing(state, c.id));
      } while (syncAgain && showing(state, c.id));
    } catch (e) {
      if (!e.retry) console.warn("ChatHub:", e.message);
    } finally {
      syncing = false;
      app.render();
    }
  }

  async function loadOlder() {
    const c = state.conversation;
    if (!c || !state.hasOlder || state.loadingOlder) return;
    const oldest = Math.min(...state.messages.keys());
    state.loadingOlder = true;
    app.render();
    try {
      const r = await app.invoke("GetMessages", { conversationId: c.id, before: oldest, limit: PAGE_SIZE });
      if (!showing(state, c.id)) return;
      for (const m of r.messages) addMessage(m, true);
      state.hasOlder = r.hasMore;
    } catch (e) {
      if (!e.retry) console.warn("ChatHub:", e.message);
    } finally {
      state.loadingOlder = false;
      app.render({ keepOffsetFromBottom: true });
    }
  }

  /** A message from a page (`fromHistory`), a push, a catch-up or a call's result. Its echoId acknowledges an own
   *  message; an agent's new message arriving live is unread unless the customer is looking. */
  function addMessage(m, fromHistory) {
    if (m.private) return;
    const isNew = mergeMessage(state, m);
    outbox.acknowledge(m.echoId);
    if (fromHistory) return;
    seqs.note(m.seq);
    if (isNew && m.messageType === 1) {
      const visible = app.isVisible();
      agentMessageArrived(state, m, visible);
      if (visible) app.markSeenSoon();
      else app.playReplySound(); // while the panel is closed (sound.js)
    }
  }

  /** A conversation's newer state; an ambiguous seen marker asks for the newest page's read states. */
  function takeConversation(c, isPush = false) {
    if (applyConversation(state, c, isPush)) refreshStates(c.id);
  }

  async function refreshStates(id) {
    try {
      const r = await app.invoke("GetMessages", { conversationId: id, limit: PAGE_SIZE });
      if (!showing(state, id)) return;
      refreshReadStates(state, r.messages);
      app.render();
    } catch {
      // the next change or resync brings it
    }
  }

  // ------------------------------------------------------------------ pushes

  function onMessage(m) {
    const c = state.conversation;
    if (!c || m.conversationId !== c.id) {
      if (!c || m.conversationId > c.id) refresh(); // a newer conversation (started in another tab)
      return;
    }
    addMessage(m, false);
    app.render();
  }

  function onConversationCreated(c) {
    if (state.conversation && c.id <= state.conversation.id) return;
    show(c);
    outbox.flush();
  }

  function onConversationUpdated(c) {
    if (!showing(state, c.id)) return;
    takeConversation(c, true);
    seqs.note(c.seq);
    app.render();
  }

  function onTyping(t) {
    if (!showing(state, t.conversationId) || t.sender.type !== "agent") return;
    state.typing = t.isTyping ? { name: t.sender.name || translate("panel.agent"), until: Date.now() + TYPING_SHOWN_MS } : null;
    clearTimeout(typingTimer);
    if (state.typing) {
      typingTimer = setTimeout(() => {
        state.typing = null;
        app.render();
      }, TYPING_SHOWN_MS);
    }
    app.render();
  }

  const pushes = {
    MessageCreated: onMessage,
    MessageUpdated: onMessage,
    ConversationCreated: onConversationCreated,
    ConversationUpdated: onConversationUpdated,
    Typing: onTyping,
    ContactUpdated: (c) => app.contactUpdated(c),
    InboxAvailabilityChanged: (a) => app.inboxAvailability(a),
  };

  return {
    showConversation: show, refresh, resync, loadOlder, addMessage, takeConversation,
    onPush: (name, arg) => pushes[name]?.(arg),
  };
}
