import assert from "node:assert/strict";
import { test } from "node:test";
import { assigneeChoices, listRequest, snoozeUntil } from "../src/console/assignment.js";
import { matchesFilters } from "../src/console/conversations.js";

test("a list call asks for the inbox and a specific agent as the hub takes them", () => {
  assert.deepEqual(listRequest({ status: "open", assignee: "me", inboxId: null }, 1), { status: "open", assignee: "me", page: 1 });
  assert.deepEqual(listRequest({ status: "all", assignee: "agent:7", inboxId: 3 }, 2),
    { status: "all", assignee: "all", assigneeId: 7, inboxId: 3, page: 2 });
});

test("the filters keep a conversation of the chosen inbox and agent only", () => {
  const c = { status: "open", inboxId: 3, assigneeId: 7 };
  assert.equal(matchesFilters(c, { status: "open", assignee: "all", inboxId: 3 }, 1), true);
  assert.equal(matchesFilters(c, { status: "open", assignee: "all", inboxId: 4 }, 1), false);
  assert.equal(matchesFilters(c, { status: "open", assignee: "agent:7", inboxId: null }, 1), true);
  assert.equal(matchesFilters(c, { status: "open", assignee: "agent:8", inboxId: null }, 1), false);
});

test("the assignee choices name every other agent", () => {
  const state = { me: { id: 1 }, directory: new Map([[1, { id: 1, name: "Me" }], [2, { id: 2, name: "Bob" }]]) };
  assert.deepEqual(assigneeChoices(state), [["all", "All"], ["me", "Mine"], ["unassigned", "Unassigned"], ["agent:2", "Bob"]]);
});

test("snooze choices end an hour, a week, or tomorrow at 9:00 later; until the customer replies is no time", () => {
  const now = new Date(2026, 0, 10, 15, 30, 0);
  const seconds = now.getTime() / 1000;
  assert.equal(snoozeUntil("hour", now), seconds + 3600);
  assert.equal(snoozeUntil("week", now), seconds + 7 * 86400);
  assert.equal(snoozeUntil("tomorrow", now), new Date(2026, 0, 11, 9, 0, 0).getTime() / 1000);
  assert.equal(snoozeUntil("reply", now), null);
});
