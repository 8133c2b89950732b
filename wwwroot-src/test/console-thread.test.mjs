import assert from "node:assert/strict";
import { test } from "node:test";
import { Outbox } from "../src/protocol/outbox.js";
import { lastSeenReplyId, sameSender, threadItems } from "../src/console/thread-view.js";
import { lostAccess, replyDelivery, toMarkSeen } from "../src/console/thread.js";

const reply = (id, fields = {}) => ({ id, messageType: 1, seq: id, createdAt: 1000 + id, status: "sent", sender: { id: 1, type: "agent" }, ...fields });
const customer = (id, fields = {}) => ({ id, messageType: 0, seq: id, createdAt: 1000 + id, status: "sent", sender: { id: 7, type: "contact" }, ...fields });

test("a reply is read once the customer's marker rose after it; notes and the customer's messages have no receipt", () => {
  const t = { contactSeenSeq: 5 };
  const c = { contactLastSeenAt: 1004 };
  assert.equal(replyDelivery(reply(4), t, c), "read");
  assert.equal(replyDelivery(reply(5), t, c), "sent");
  assert.equal(replyDelivery(reply(4), null, c), "sent", "no thread open: only the server's state counts");
  assert.equal(replyDelivery(reply(4, { status: "read" }), null, undefined), "read");
  assert.equal(replyDelivery(reply(4, { private: true, status: "read" }), t, c), null);
  assert.equal(replyDelivery(customer(4), t, c), null);
});

test("the thread is marked seen for a newer customer message that is unread", () => {
  const thread = (messages, markedId = 0) => ({ messages: new Map(messages.map((m) => [m.id, m])), markedId });
  assert.equal(toMarkSeen(thread([customer(3), reply(4), customer(2)]), { unread: new Map() }).id, 3);
  assert.equal(toMarkSeen(thread([customer(3)], 3), { unread: new Map([[3, 3]]) }), null, "already marked");
  assert.equal(toMarkSeen(thread([customer(3, { status: "read" })]), { unread: new Map() }), null, "read already");
  assert.equal(toMarkSeen(thread([customer(3, { status: "read" })]), { unread: new Map([[3, 3]]) }).id, 3, "the list still counts it");
  assert.equal(toMarkSeen(thread([reply(4)]), undefined), null, "no customer message");
});

test("only a forbidden call means the agent lost the conversation", () => {
  assert.equal(lostAccess({ code: "forbidden" }), true);
  assert.equal(lostAccess({ code: "not_found" }), false);
  assert.equal(lostAccess({ retry: true }), false);
  assert.equal(lostAccess(undefined), false);
});

test("the log's items: messages by id, then the agent's own still queued, as the signed-in agent's", () => {
  const outbox = new Outbox({ send: async () => {}, newId: () => "echo-1" });
  outbox.add({ content: "on its way", private: true, createdAt: 2000 });
  const t = { messages: new Map([[9, reply(9)], [3, customer(3)]]), outbox };
  const items = threadItems(t, { id: 1, name: "Ann" });
  assert.deepEqual(items.map((m) => m.id ?? m.echoId), [3, 9, "echo-1"]);
  assert.deepEqual(items[2].sender, { id: 1, name: "Ann", type: "agent" });
  assert.equal(items[2].pending, true);
  assert.equal(items[2].private, true);
});

test("groups: one sender, and a note never groups with a reply", () => {
  assert.equal(sameSender(reply(1), reply(2)), true);
  assert.equal(sameSender(reply(1), reply(2, { sender: { id: 2 } })), false);
  assert.equal(sameSender(reply(1), reply(2, { private: true })), false);
});

test("the Seen line goes under the newest reply the customer has read", () => {
  const items = [reply(1), reply(2), reply(3), { pending: true, echoId: "x" }];
  assert.equal(lastSeenReplyId(items, (m) => (m.id <= 2 ? "read" : "sent")), 2);
  assert.equal(lastSeenReplyId(items, () => "sent"), null);
});
