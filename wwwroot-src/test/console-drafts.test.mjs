import assert from "node:assert/strict";
import { test } from "node:test";
import { Drafts, NOTE, REPLY } from "../src/console/drafts.js";

test("a conversation never written in has an empty reply", () => {
  const drafts = new Drafts();
  assert.deepEqual(drafts.get(7), { text: "", mode: REPLY });
});

test("text and mode belong to their conversation: a note in A leaves B an empty reply", () => {
  const drafts = new Drafts();
  drafts.setMode(1, NOTE);
  drafts.setText(1, "Internal: check the CRM");
  assert.deepEqual(drafts.get(2), { text: "", mode: REPLY });
  drafts.setText(2, "Hello B");
  assert.deepEqual(drafts.get(1), { text: "Internal: check the CRM", mode: NOTE });
  assert.deepEqual(drafts.get(2), { text: "Hello B", mode: REPLY });
});

test("the mode can be chosen before any text, and text typed after keeps it", () => {
  const drafts = new Drafts();
  drafts.setMode(3, NOTE);
  drafts.setText(3, "a");
  drafts.setText(3, "ab");
  assert.deepEqual(drafts.get(3), { text: "ab", mode: NOTE });
  drafts.setMode(3, REPLY);
  assert.deepEqual(drafts.get(3), { text: "ab", mode: REPLY });
});

test("take returns the draft, empties that conversation's text only and keeps its mode", () => {
  const drafts = new Drafts();
  drafts.setMode(1, NOTE);
  drafts.setText(1, "note for agents");
  drafts.setText(2, "reply for B");
  assert.deepEqual(drafts.take(1), { text: "note for agents", mode: NOTE });
  assert.deepEqual(drafts.get(1), { text: "", mode: NOTE });
  assert.deepEqual(drafts.get(2), { text: "reply for B", mode: REPLY });
  assert.deepEqual(drafts.take(2), { text: "reply for B", mode: REPLY });
  assert.deepEqual(drafts.get(2), { text: "", mode: REPLY });
});

test("an unknown mode is refused and changes nothing", () => {
  const drafts = new Drafts();
  drafts.setMode(1, NOTE);
  assert.throws(() => drafts.setMode(1, "public"), /Unknown composer mode/);
  assert.equal(drafts.get(1).mode, NOTE);
});

test("a returned draft is a snapshot: later typing does not change it", () => {
  const drafts = new Drafts();
  drafts.setText(1, "first");
  const before = drafts.get(1);
  drafts.setText(1, "second");
  assert.equal(before.text, "first");
  assert.throws(() => { before.mode = NOTE; }, TypeError); // frozen (modules are strict)
});

test("empty replies are not kept (the map holds only conversations with something to keep)", () => {
  const drafts = new Drafts();
  drafts.setText(1, "x");
  drafts.setMode(2, NOTE);
  drafts.setText(1, "");
  drafts.setMode(2, REPLY);
  assert.equal(drafts.byConversation.size, 0);
  drafts.setText(3, null);
  assert.deepEqual(drafts.get(3), { text: "", mode: REPLY });
});
