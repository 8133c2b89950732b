import assert from "node:assert/strict";
import { test } from "node:test";
import {
  applyConversation, createNames, dropInbox, expireTyping, isNewerPreview, learn, listedEntries, matchesFilters, messageArrived,
  typingOf, unreadTotal, upsert,
} from "../src/console/conversations.js";

/** The console's state as main.js makes it, signed in as agent 1. */
function consoleState() {
  return {
    me: { id: 1, name: "Ann" }, filters: { status: "open", assignee: "all" }, convs: new Map(), contacts: new Map(), agents: new Map([[1, "Ann"]]),
    thread: null,
  };
}
const conv = (id, fields = {}) => ({ id, seq: 1, status: "open", assigneeId: null, contactId: 100 + id, lastActivityAt: 1000, inboxId: 1, ...fields });
const fromCustomer = (id, fields = {}) => ({ id, messageType: 0, seq: id, createdAt: 1000 + id, content: `m${id}`, sender: { type: "contact", id: 7, name: "Cleo" }, ...fields });
const fromAgent = (id, fields = {}) => ({ id, messageType: 1, seq: id, createdAt: 1000 + id, content: `a${id}`, sender: { type: "agent", id: 2, name: "Bob" }, ...fields });
const activity = (id) => ({ id, messageType: 2, seq: id, createdAt: 1000 + id, content: "Resolved by Ann" });

test("a conversation enters the cache without its messages; the customer's unread ones are counted, read ones not", () => {
  const state = consoleState();
  const entry = upsert(state, { ...conv(5), messages: [fromCustomer(1)] }, [fromCustomer(1), fromCustomer(2, { status: "read" }), fromAgent(3)]);
  assert.equal(state.convs.get(5), entry);
  assert.equal("messages" in entry.c, false);
  assert.deepEqual([...entry.unread.keys()], [1]);
  assert.equal(entry.last.id, 3);
  assert.equal(state.contacts.get(7).name, "Cleo");
  assert.equal(state.agents.get(2), "Bob");
});

test("an older state never replaces a newer one; a newer one keeps the later activity time", () => {
  const state = consoleState();
  const entry = upsert(state, conv(5, { seq: 4, status: "pending", lastActivityAt: 2000 }), []);
  upsert(state, conv(5, { seq: 3, status: "resolved" }), []);
  assert.equal(entry.c.status, "pending");
  upsert(state, conv(5, { seq: 6, status: "open", lastActivityAt: 1500 }), []);
  assert.equal(entry.c.status, "open");
  assert.equal(entry.c.lastActivityAt, 2000);
});

test("the agents' seen marker rising at seq S reads the customer's messages before S", () => {
  const state = consoleState();
  const entry = upsert(state, conv(5, { seq: 3 }), [fromCustomer(1, { seq: 2 }), fromCustomer(4, { seq: 4 })]);
  const ambiguous = applyConversation(state, entry, conv(5, { seq: 4, agentLastSeenAt: 1200 }), true);
  assert.equal(ambiguous, false);
  assert.deepEqual([...entry.unread.keys()], [4]);
});

test("the customer's marker rising moves the open thread's read receipts; a marker set again in the same second is ambiguous", () => {
  const state = consoleState();
  state.thread = { id: 5, contactSeenSeq: 0 };
  const entry = upsert(state, conv(5, { seq: 3 }), []);
  applyConversation(state, entry, conv(5, { seq: 7, contactLastSeenAt: 1100 }), true);
  assert.equal(state.thread.contactSeenSeq, 7);
  assert.equal(applyConversation(state, entry, conv(5, { seq: 8, contactLastSeenAt: 1100 }), true), true);
  assert.equal(state.thread.contactSeenSeq, 7);
  assert.equal(applyConversation(state, entry, conv(5, { seq: 2, contactLastSeenAt: 1100 }), true), false, "stale: ignored");
});

test("the preview is the newest message; an activity line only when there is nothing else", () => {
  assert.equal(isNewerPreview(null, activity(1)), true);
  assert.equal(isNewerPreview(fromCustomer(1), activity(9)), false);
  assert.equal(isNewerPreview(activity(1), activity(2)), true);
  assert.equal(isNewerPreview(activity(5), fromCustomer(2)), true);
  assert.equal(isNewerPreview(fromCustomer(5), fromAgent(3)), false);
  assert.equal(isNewerPreview(fromCustomer(5), fromAgent(6)), true);
});

test("a pushed message: a CSAT answer rates the conversation, activity lines do not count as activity", () => {
  const state = consoleState();
  const entry = upsert(state, conv(5, { lastActivityAt: 1000 }), []);
  messageArrived(entry, fromCustomer(10, { contentType: "input_csat", createdAt: 1500,
    contentAttributes: { submitted_values: { csat_survey_response: { rating: 4 } } } }));
  assert.equal(entry.c.csatRating, 4);
  assert.equal(entry.c.lastActivityAt, 1500);
  messageArrived(entry, { ...activity(11), createdAt: 1800 });
  assert.equal(entry.c.lastActivityAt, 1500);
  assert.equal(entry.last.id, 10);
});

test("filters: status, mine, unassigned", () => {
  const open = conv(1, { assigneeId: 1 });
  assert.equal(matchesFilters(open, { status: "open", assignee: "all" }, 1), true);
  assert.equal(matchesFilters(open, { status: "resolved", assignee: "all" }, 1), false);
  assert.equal(matchesFilters(open, { status: "all", assignee: "me" }, 1), true);
  assert.equal(matchesFilters(open, { status: "all", assignee: "me" }, 2), false);
  assert.equal(matchesFilters(open, { status: "all", assignee: "unassigned" }, 1), false);
  assert.equal(matchesFilters(conv(2), { status: "all", assignee: "unassigned" }, 1), true);
});

test("the list: matching conversations, newest activity first, then the newest conversation", () => {
  const state = consoleState();
  upsert(state, conv(1, { lastActivityAt: 3000 }), []);
  upsert(state, conv(2, { lastActivityAt: 1000 }), []);
  upsert(state, conv(3, { lastActivityAt: 3000 }), []);
  upsert(state, conv(4, { lastActivityAt: 9000, status: "resolved" }), []);
  assert.deepEqual(listedEntries(state).map((e) => e.c.id), [3, 1, 2]);
  state.filters = { status: "all", assignee: "all" };
  assert.deepEqual(listedEntries(state).map((e) => e.c.id), [4, 3, 1, 2]);
});

test("the unread total counts every conversation held, listed or not", () => {
  const state = consoleState();
  upsert(state, conv(1), [fromCustomer(1), fromCustomer(2)]);
  upsert(state, conv(2, { status: "resolved" }), [fromCustomer(3)]);
  assert.equal(unreadTotal(state), 3);
});

test("names: what the contact told, else a visitor number; agents by name, the signed-in one as You", () => {
  const state = consoleState();
  const names = createNames(state);
  assert.equal(names.contact(conv(1)), "Visitor #101");
  assert.equal(names.contact(conv(1, { customAttributes: { name: "Dora", email: "d@example.com" } })), "Dora");
  assert.equal(names.email(conv(1, { customAttributes: { email: "d@example.com" } })), "d@example.com");
  learn(state, { sender: { type: "contact", id: 101, name: "Cleo" } });
  learn(state, { sender: { type: "contact", id: 101, name: "Someone else" } });
  assert.equal(names.contact(conv(1)), "Cleo", "a contact's first known name stays");
  assert.equal(names.agent(1), "You");
  assert.equal(names.agent(9), "Agent #9");
  assert.equal(names.agent(null), null);
});

test("typing: who, and until when; stale indicators expire", () => {
  assert.deepEqual(typingOf({ isTyping: true, sender: { type: "contact" } }, 100, 50), { name: "The customer", until: 150 });
  assert.deepEqual(typingOf({ isTyping: true, sender: { type: "agent", name: "Bob" } }, 100, 50), { name: "Bob", until: 150 });
  assert.equal(typingOf({ isTyping: false, sender: { type: "agent" } }, 100, 50), null);
  const state = consoleState();
  const entry = upsert(state, conv(1), []);
  entry.typing = { name: "x", until: 99 };
  state.thread = { id: 1, typing: { name: "x", until: 101 } };
  expireTyping(state, 100);
  assert.equal(entry.typing, null);
  assert.notEqual(state.thread.typing, null);
});

test("leaving an inbox drops its conversations and says whether the open one went", () => {
  const state = consoleState();
  upsert(state, conv(1, { inboxId: 1 }), []);
  upsert(state, conv(2, { inboxId: 2 }), []);
  state.thread = { id: 2 };
  assert.equal(dropInbox(state, 1), false);
  assert.deepEqual([...state.convs.keys()], [2]);
  assert.equal(dropInbox(state, 2), true);
  assert.equal(state.convs.size, 0);
});
