import assert from "node:assert/strict";
import { test } from "node:test";
import { createNames } from "../src/console/conversations.js";
import { listRow } from "../src/console/list-view.js";

const state = { me: { id: 1 }, filters: { status: "open", assignee: "all" }, contacts: new Map(), agents: new Map([[2, "Bob"]]), selectedId: 5,
  inboxes: new Map([[3, "Support"]]) };
const names = createNames(state);
const now = 10_000;
const plainText = (markdown) => markdown.replace(/\*\*/g, ""); // stands in for the Markdown renderer (it needs a DOM)
const entry = (c, last, unread = 0) => ({
  c: { id: 5, inboxId: 3, contactId: 42, status: "open", assigneeId: null, lastActivityAt: now - 120, ...c }, last, unread: new Map(Array.from({ length: unread }, (_, i) => [i, i])), typing: null,
});

test("a row: the contact, the newest message as text, how long ago, the unread count", () => {
  const row = listRow(entry({}, { messageType: 0, content: "**Hello** there", createdAt: now - 300 }, 2), state, names, { plainText, now });
  assert.deepEqual(row, {
    id: 5, contactId: 42, name: "Visitor #42", preview: "Hello there", time: "5m", unread: 2, typing: false, status: "open",
    showStatus: false, inbox: "Support", team: null, assignee: "Unassigned", selected: true, rating: null, labels: [],
  });
});

test("the preview says who wrote: You, another agent, a note; a file without text names the file", () => {
  const preview = (last) => listRow(entry({}, { createdAt: now, ...last }), state, names, { plainText, now }).preview;
  assert.equal(preview({ messageType: 1, content: "Hi", sender: { id: 1 } }), "You: Hi");
  assert.equal(preview({ messageType: 1, content: "Hi", sender: { id: 2, name: "Bob" } }), "Bob: Hi");
  assert.equal(preview({ messageType: 1, private: true, content: "check CRM", sender: { id: 2, name: "Bob" } }), "Note: check CRM");
  assert.equal(preview({ messageType: 0, content: "", attachments: [{ fileName: "a.png" }, { fileName: "b.pdf" }] }), "Attachment: a.png, b.pdf");
  assert.equal(preview({ messageType: 0, content: "x".repeat(300) }).length, 140);
});

test("no message yet: the conversation's activity time; the status shows when it differs from the tab; the assignee and rating", () => {
  const row = listRow(entry({ status: "pending", assigneeId: 2, csatRating: 5 }, null), state, names, { plainText, now });
  assert.equal(row.preview, "");
  assert.equal(row.time, "2m");
  assert.equal(row.showStatus, true);
  assert.equal(row.assignee, "Bob");
  assert.equal(row.rating, 5);
  assert.equal(listRow(entry({ assigneeId: 1 }, null), state, names, { plainText, now }).assignee, "You");
  assert.equal(listRow(entry({}, null), { ...state, filters: { status: "all", assignee: "all" } }, names, { plainText, now }).showStatus, true);
});
