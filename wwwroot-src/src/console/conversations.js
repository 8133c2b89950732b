// The console's conversations as state transitions: the cache behind the list (state.convs: id -> entry {c, last,
// unread: Map(message id -> seq), typing}), the names it has learnt, which conversations the list shows and in which
// order. No calls, no timers, no DOM (main.js does those around them), so node tests drive them directly.
// messageType: 0 from the customer, 1 from an agent, 2 an activity line.

import { seenChange } from "../protocol/seen.js";
import { matchesLabel } from "./labels.js";

const CUSTOMER = 0;
const ACTIVITY = 2;

export function withoutMessages(c) {
  const { messages, ...rest } = c;
  return rest;
}

/** Names as the console shows them: a contact's (what it told, else "Visitor #id"), its e-mail, an agent's ("You"
 *  for the signed-in agent). */
export function createNames(state) {
  return {
    contact(c) {
      return state.contacts.get(c.contactId)?.name || c.contact?.name || c.customAttributes?.name || `Visitor #${c.contactId}`;
    },
    email(c) {
      return state.contacts.get(c.contactId)?.email || c.customAttributes?.email || null;
    },
    inbox(id) {
      return state.inboxes?.get(id) ?? `Inbox #${id}`;
    },
    agent(id) {
      if (id == null) return null;
      if (state.me && id === state.me.id) return "You";
      return state.agents.get(id) || `Agent #${id}`;
    },
  };
}

/** Learns the names a message's sender carries (an agent's always; a contact's only if none is known yet). */
export function learn(state, m) {
  if (!m.sender) return;
  if (m.sender.type === "agent" && m.sender.name) state.agents.set(m.sender.id, m.sender.name);
  if (m.sender.type === "contact" && m.sender.name) {
    const known = state.contacts.get(m.sender.id) || {};
    if (!known.name) state.contacts.set(m.sender.id, { ...known, name: m.sender.name });
  }
}

/** The list previews the newest message; an activity line ("resolved by ...") only when there is nothing else. */
export function isNewerPreview(last, m) {
  if (!last) return true;
  if (m.messageType === ACTIVITY) return last.messageType === ACTIVITY && m.id > last.id;
  return last.messageType === ACTIVITY || m.id > last.id;
}

/** Takes a conversation (and optionally its newest messages) into the cache, unless a newer state is held;
 *  returns its entry. The customer's messages count as unread until the server says they are read. */
export function upsert(state, c, messages) {
  let entry = state.convs.get(c.id);
  if (!entry) {
    entry = { c: withoutMessages(c), last: null, unread: new Map(), typing: null };
    state.convs.set(c.id, entry);
  } else if (c.seq >= entry.c.seq) {
    applyConversation(state, entry, c, false);
  }
  for (const m of messages || []) {
    learn(state, m);
    if (isNewerPreview(entry.last, m)) entry.last = m;
    if (m.messageType === CUSTOMER && m.status !== "read") entry.unread.set(m.id, m.seq);
    if (m.messageType === CUSTOMER && m.status === "read") entry.unread.delete(m.id);
  }
  return entry;
}

/** A newer conversation state (older ones are ignored). Seen markers (protocol/seen.js): the agents' marker rising
 *  at seq S reads every customer message before S; the customer's moves the open thread's read receipts. Returns
 *  whether the change was ambiguous (the caller then asks the server for the newest page's read states). */
export function applyConversation(state, entry, c, isPush) {
  const prev = entry.c;
  if (c.seq < prev.seq) return false;
  const { agentRose, contactRose, ambiguous } = seenChange(prev, c, isPush);
  entry.c = { ...withoutMessages(c), lastActivityAt: Math.max(c.lastActivityAt, prev.lastActivityAt) };
  if (agentRose) for (const [id, seq] of entry.unread) if (seq < c.seq) entry.unread.delete(id);
  const t = state.thread;
  if (t && t.id === c.id && contactRose) t.contactSeenSeq = Math.max(t.contactSeenSeq, c.seq);
  return ambiguous;
}

/** A message pushed for a listed conversation: a customer's CSAT answer rates the conversation, the newest message
 *  becomes the preview, and anything but an activity line counts as activity (the list's order). */
export function messageArrived(entry, m) {
  const rating = m.contentType === "input_csat" ? m.contentAttributes?.submitted_values?.csat_survey_response?.rating : null;
  if (rating) entry.c = { ...entry.c, csatRating: rating };
  if (isNewerPreview(entry.last, m)) entry.last = m;
  if (m.messageType !== ACTIVITY) entry.c = { ...entry.c, lastActivityAt: Math.max(entry.c.lastActivityAt, m.createdAt) };
}

/** Whether a conversation belongs in the list under the filters ({status, assignee: all | me | unassigned |
 *  agent:ID, inboxId: null for every inbox, teamId: null for any team, label: null for any}). */
export function matchesFilters(c, filters, meId) {
  if (filters.status !== "all" && c.status !== filters.status) return false;
  if (filters.inboxId != null && c.inboxId !== filters.inboxId) return false;
  if (filters.teamId != null && c.teamId !== filters.teamId) return false;
  if (filters.assignee?.startsWith("agent:") && c.assigneeId !== Number(filters.assignee.slice(6))) return false;
  if (filters.assignee === "me" && c.assigneeId !== meId) return false;
  if (filters.assignee === "unassigned" && c.assigneeId != null) return false;
  return matchesLabel(c, filters.label);
}

/** The entries the list shows: those matching the filters, newest activity first (then the newest conversation). */
export function listedEntries(state) {
  return [...state.convs.values()]
    .filter((e) => matchesFilters(e.c, state.filters, state.me.id))
    .sort((a, b) => (b.c.lastActivityAt - a.c.lastActivityAt) || (b.c.id - a.c.id));
}

/** Unread customer messages over every conversation held (the tab's title shows it). */
export function unreadTotal(state) {
  return [...state.convs.values()].reduce((n, e) => n + e.unread.size, 0);
}

/** Typing indicators whose "off" never came end at their `until`. */
export function expireTyping(state, now) {
  for (const entry of state.convs.values()) if (entry.typing && entry.typing.until < now) entry.typing = null;
  if (state.thread?.typing && state.thread.typing.until < now) state.thread.typing = null;
}

/** A Typing push as the console shows it: who ("The customer" / "An agent" when nameless) and until when. */
export function typingOf(e, now, shownMs) {
  return e.isTyping ? { name: e.sender.name || (e.sender.type === "contact" ? "The customer" : "An agent"), until: now + shownMs } : null;
}

/** Conversations of an inbox the agent left (an administrator removed itself): they leave the cache; returns
 *  whether the open one was among them. */
export function dropInbox(state, inboxId) {
  let openDropped = false;
  for (const [id, entry] of state.convs) {
    if (entry.c.inboxId !== inboxId) continue;
    state.convs.delete(id);
    if (state.thread?.id === id) openDropped = true;
  }
  return openDropped;
}
