import assert from "node:assert/strict";
import { test } from "node:test";
import { isRead, seenChange } from "../src/protocol/seen.js";

const held = { seq: 10, status: "open", assigneeId: 3, agentLastSeenAt: 1000, contactLastSeenAt: 900 };

test("a marker that shows a later time rose", () => {
  assert.deepEqual(seenChange(held, { ...held, seq: 11, agentLastSeenAt: 1001 }, true), { agentRose: true, contactRose: false, ambiguous: false });
  assert.deepEqual(seenChange(held, { ...held, seq: 11, contactLastSeenAt: 950 }, true), { agentRose: false, contactRose: true, ambiguous: false });
  assert.deepEqual(seenChange({ seq: 1 }, { seq: 2, agentLastSeenAt: 5 }, true).agentRose, true); // none held yet
});

test("a pushed change that alters nothing visible, with a marker set, is ambiguous: set again within the same second", () => {
  assert.equal(seenChange(held, { ...held, seq: 11 }, true).ambiguous, true);
});

test("not ambiguous: a call's result, no newer seq, another change (status, assignee), or no marker at all", () => {
  assert.equal(seenChange(held, { ...held, seq: 11 }, false).ambiguous, false);
  assert.equal(seenChange(held, { ...held, seq: 10 }, true).ambiguous, false);
  assert.equal(seenChange(held, { ...held, seq: 11, status: "resolved" }, true).ambiguous, false);
  assert.equal(seenChange(held, { ...held, seq: 11, assigneeId: null }, true).ambiguous, false);
  const unseen = { seq: 4, status: "open", assigneeId: null };
  assert.equal(seenChange(unseen, { ...unseen, seq: 5 }, true).ambiguous, false);
});

test("a message is read when the server says so, or when the marker rose after it and its time covers it", () => {
  const m = { seq: 7, createdAt: 1000, status: "sent" };
  assert.equal(isRead({ ...m, status: "read" }, 0, 0), true);
  assert.equal(isRead(m, 8, 1000), true);
  assert.equal(isRead(m, 7, 1000), false, "a marker at the message's own seq came before it");
  assert.equal(isRead(m, 8, 999), false, "the marker's time is before the message");
  assert.equal(isRead(m, 8, undefined), false);
});
