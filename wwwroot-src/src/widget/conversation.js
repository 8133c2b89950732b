// The widget's state and the conversation it shows, as plain state transitions: no calls, no timers, no DOM
// (sync.js and outgoing.js do those around them), so node tests drive them directly.
// messageType: 0 the customer's own, 1 an agent's, 2 an activity line.

import { isRead, seenChange } from "../protocol/seen.js";

const OWN = 0;
const AGENT = 1;

/** Everything the widget shows; `identity` is the stored contact ({sourceId, pubsubToken, contactId, name, email}). */
export function createState(identity, online = true) {
  return {
    inbox: null,                        // the inbox as the widget shows it (inbox.js)
    identity,
    fatal: null,                        // a message when the chat cannot work (unknown inbox, refused identity)
    conversation: null,                 // the conversation shown (camelCase, as the hub sends it), without messages
    fresh: false,                       // "start a new conversation" clicked: the next message starts one
    messages: new Map(),                // id -> message
    hasOlder: false,
    loadingOlder: false,
    agentSeenSeq: 0,                    // seq of the latest rise of the agents' seen marker
    typing: null,                       // {name, until}
    open: false,
    unread: new Set(),                  // agent message ids the customer has not seen
    preview: null,                      // the newest unseen agent message, shown beside the closed launcher
    conn: "idle",                       // idle | connecting | connected | reconnecting
    online,
    prechat: { name: "", email: "" },
    uploads: [],                        // files being uploaded: {name, size, progress}
    attachError: null,                  // why the last file was refused (too large...)
    answering: {},                      // interactive message id -> {busy} while its answer is sent, or {error}
    maxAttachmentBytes: 0,              // the server's limit per file (the public inbox tells)
    campaign: null,                     // the campaign shown (campaigns.js): {id, message, sender, accepted}
    postChat: null,                     // the post-chat form (post-chat.js): {questions, sent: {conversationId: true}}
  };
}

export function withoutMessages(c) {
  const { messages, ...rest } = c;
  return rest;
}

/** Whether the view still shows conversation `id` (its state object is replaced by every update). */
export function showing(state, id) {
  return !!state.conversation && state.conversation.id === id;
}

/** Switches to a conversation (or to none: a new one starts with the next message); what was shown goes. */
export function showConversation(state, conversation) {
  state.conversation = conversation ? withoutMessages(conversation) : null;
  state.messages = new Map();
  state.hasOlder = false;
  state.agentSeenSeq = 0;
  state.typing = null;
  state.unread = new Set();
  state.preview = null;
  if (conversation) state.fresh = false;
}

/** Takes a message in; returns whether it was new to the view (false also for a private note, which the
 *  customer never sees: the caller then ignores it altogether). An update may overtake an older copy of the
 *  message (a page loaded meanwhile): the higher seq wins. */
export function mergeMessage(state, m) {
  if (m.private) return false;
  const held = state.messages.get(m.id);
  if (!held || !(held.seq > m.seq)) state.messages.set(m.id, m);
  return !held;
}

/** An agent's message arrived live: it ends the agent's typing and, unless the customer is looking (`visible`),
 *  counts as unread and becomes the launcher's preview. */
export function agentMessageArrived(state, m, visible) {
  state.typing = null;
  if (visible) return;
  state.unread.add(m.id);
  state.preview = m;
}

/** A loaded page: agent messages after the customer's seen marker are unread (one second's precision, as the
 *  API's times). */
export function markUnreadAfterSeen(state) {
  const seen = state.conversation?.contactLastSeenAt || 0;
  for (const m of state.messages.values()) if (m.messageType === AGENT && m.createdAt > seen) state.unread.add(m.id);
}

/** Takes a conversation's state (status, seen markers) unless a newer one is held. Returns whether the change was
 *  ambiguous (protocol/seen.js: the caller then asks the server for the newest page's read states). */
export function applyConversation(state, c, isPush = false) {
  const mine = state.conversation;
  if (!mine || c.seq < (mine.seq || 0)) return false;
  const { agentRose, ambiguous } = seenChange(mine, c, isPush);
  if (agentRose) state.agentSeenSeq = Math.max(state.agentSeenSeq, c.seq);
  const seen = c.contactLastSeenAt || 0;
  for (const id of state.unread) {
    const m = state.messages.get(id);
    if (!m || m.createdAt <= seen) state.unread.delete(id);
  }
  if (!state.unread.size) state.preview = null;
  state.conversation = withoutMessages(c);
  return ambiguous;
}

/** The newest page's messages from the server update those held (their read states), never older copies. */
export function refreshReadStates(state, messages) {
  for (const m of messages) {
    const known = state.messages.get(m.id);
    if (known && known.seq <= m.seq) state.messages.set(m.id, m);
  }
}

/** The customer saw everything: nothing unread, no preview. Returns the newest agent message's id (0: none),
 *  which the seen marker needs to cover. */
export function markAllSeen(state) {
  let newest = 0;
  for (const m of state.messages.values()) if (m.messageType === AGENT && m.id > newest) newest = m.id;
  state.unread.clear();
  state.preview = null;
  return newest;
}

/** What an own message shows: "read" once an agent saw it, else "sent" (null for others' messages). */
export function deliveryOf(state, m) {
  if (m.messageType !== OWN) return null;
  return isRead(m, state.agentSeenSeq, state.conversation?.agentLastSeenAt) ? "read" : "sent";
}

/** Which conversation to show after (re)connecting, from the list (newest first): the newest if it is newer than
 *  the one shown - unless the customer asked for a fresh start and the newest is resolved. */
export function newerConversation(state, list) {
  const newest = list[0] || null;
  const current = state.conversation;
  return newest && (!current || newest.id > current.id) && !(state.fresh && newest.status === "resolved") ? newest : null;
}
