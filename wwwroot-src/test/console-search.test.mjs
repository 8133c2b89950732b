import assert from "node:assert/strict";
import { test } from "node:test";
import { snippetParts } from "../src/console/search.js";

test("a snippet is cut into text and marked parts along its highlights, in order", () => {
  assert.deepEqual(snippetParts("the refund was refunded", [{ start: 15, length: 8 }, { start: 4, length: 6 }]), [
    { text: "the ", marked: false }, { text: "refund", marked: true }, { text: " was ", marked: false }, { text: "refunded", marked: true },
  ]);
});

test("markup in a snippet stays text; ranges that overlap or reach past the end are left out", () => {
  assert.deepEqual(snippetParts("<b>x</b> refund", [{ start: 9, length: 6 }, { start: 10, length: 2 }, { start: 12, length: 10 }]), [
    { text: "<b>x</b> ", marked: false }, { text: "refund", marked: true },
  ]);
  assert.deepEqual(snippetParts("plain", undefined), [{ text: "plain", marked: false }]);
  assert.deepEqual(snippetParts("", []), []);
});
