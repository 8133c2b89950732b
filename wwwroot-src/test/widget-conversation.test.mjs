import assert from "node:assert/strict";
import { test } from "node:test";
import {
  agentMessageArrived, applyConversation, createState, deliveryOf, markAllSeen, markUnreadAfterSeen, mergeMessage, newerConversation,
  refreshReadStates, showConversation, showing,
} from "../src/widget/conversation.js";

const conversation = (id, fields = {}) => ({ id, seq: 1, status: "open", assigneeId: null, ...fields });
const own = (id, fields = {}) => ({ id, messageType: 0, seq: id, createdAt: 1000 + id, status: "sent", ...fields });
const agent = (id, fields = {}) => ({ id, messageType: 1, seq: id, createdAt: 1000 + id, sender: { name: "Bob" }, ...fields });

function showingConversation(fields) {
  const state = createState(null);
  showConversation(state, { ...conversation(7, fields), messages: [own(1)] });
  return state;
}

test("showing a conversation starts over: no messages, unread, typing or preview from the one before", () => {
  const state = showingConversation();
  mergeMessage(state, agent(2));
  state.unread.add(2);
  state.typing = { name: "Bob" };
  state.fresh = true;
  showConversation(state, conversation(8));
  assert.equal(state.conversation.id, 8);
  assert.equal(state.messages.size, 0);
  assert.equal(state.unread.size, 0);
  assert.equal(state.typing, null);
  assert.equal(state.fresh, false);
  assert.equal(showing(state, 8), true);
  showConversation(state, null);
  assert.equal(showing(state, 8), false);
});

test("the conversation is held without its messages", () => {
  assert.equal("messages" in showingConversation().conversation, false);
});

test("a message is new once; an update with a higher seq replaces it, an older copy does not; notes never show", () => {
  const state = showingConversation();
  assert.equal(mergeMessage(state, own(3, { content: "v1", seq: 3 })), true);
  assert.equal(mergeMessage(state, own(3, { content: "v2", seq: 5 })), false);
  assert.equal(mergeMessage(state, own(3, { content: "old", seq: 4 })), false);
  assert.equal(state.messages.get(3).content, "v2");
  assert.equal(mergeMessage(state, agent(4, { private: true })), false);
  assert.equal(state.messages.has(4), false);
});

test("an agent's message arriving unseen is unread and the launcher's preview; seen, it only ends the typing", () => {
  const state = showingConversation();
  state.typing = { name: "Bob" };
  agentMessageArrived(state, agent(5), false);
  assert.deepEqual([...state.unread], [5]);
  assert.equal(state.preview.id, 5);
  assert.equal(state.typing, null);
  agentMessageArrived(state, agent(6), true);
  assert.deepEqual([...state.unread], [5]);
});

test("a loaded page: agent messages after the customer's seen marker are unread", () => {
  const state = showingConversation({ contactLastSeenAt: 1005 });
  for (const m of [agent(4), agent(5), agent(6), own(7)]) mergeMessage(state, m);
  markUnreadAfterSeen(state);
  assert.deepEqual([...state.unread], [6]);
});

test("a newer conversation state: older ones ignored, the customer's marker clears unread, the agents' marks own messages read", () => {
  const state = showingConversation({ seq: 5 });
  for (const m of [own(2), agent(3), agent(4)]) mergeMessage(state, m);
  state.unread = new Set([3, 4]);
  state.preview = agent(4);

  assert.equal(applyConversation(state, conversation(7, { seq: 4, status: "resolved" })), false);
  assert.equal(state.conversation.status, "open");

  applyConversation(state, conversation(7, { seq: 6, contactLastSeenAt: 1003 }));
  assert.deepEqual([...state.unread], [4]);
  assert.notEqual(state.preview, null);
  applyConversation(state, conversation(7, { seq: 7, contactLastSeenAt: 1004 }));
  assert.equal(state.unread.size, 0);
  assert.equal(state.preview, null);

  assert.equal(deliveryOf(state, own(2)), "sent");
  applyConversation(state, conversation(7, { seq: 8, contactLastSeenAt: 1004, agentLastSeenAt: 1002 }), true);
  assert.equal(state.agentSeenSeq, 8);
  assert.equal(deliveryOf(state, own(2)), "read");
  assert.equal(deliveryOf(state, agent(3)), null);
  assert.equal(applyConversation(state, conversation(7, { seq: 9, contactLastSeenAt: 1004, agentLastSeenAt: 1002 }), true), true, "ambiguous");
});

test("the newest page's read states update the messages held, never with older copies", () => {
  const state = showingConversation();
  mergeMessage(state, own(2, { seq: 5 }));
  refreshReadStates(state, [own(2, { seq: 5, status: "read" }), own(3)]);
  assert.equal(state.messages.get(2).status, "read");
  assert.equal(state.messages.has(3), false);
  refreshReadStates(state, [own(2, { seq: 4, status: "sent" })]);
  assert.equal(state.messages.get(2).status, "read");
});

test("seeing everything clears unread and the preview, and names the newest agent message", () => {
  const state = showingConversation();
  for (const m of [agent(3), own(9), agent(5)]) mergeMessage(state, m);
  state.unread = new Set([3, 5]);
  state.preview = agent(5);
  assert.equal(markAllSeen(state), 5);
  assert.equal(state.unread.size, 0);
  assert.equal(state.preview, null);
});

test("after a reconnect the newest conversation is shown if newer, unless a fresh start was asked and it is resolved", () => {
  const state = showingConversation();
  assert.equal(newerConversation(state, []), null);
  assert.equal(newerConversation(state, [conversation(7)]), null);
  assert.equal(newerConversation(state, [conversation(9), conversation(7)]).id, 9);
  state.fresh = true;
  assert.equal(newerConversation(state, [conversation(9, { status: "resolved" })]), null);
  assert.equal(newerConversation(createState(null), [conversation(1)]).id, 1);
});
