import assert from "node:assert/strict";
import { test } from "node:test";
import { createNames, matchesFilters } from "../src/console/conversations.js";
import {
  addableLabels, createLabelEditor, labelChips, labelIndex, labelRequest, matchesLabel, textColorOn, unknownTitles, withLabel, withoutLabel,
} from "../src/console/labels.js";
import { listRow } from "../src/console/list-view.js";

const index = labelIndex([
  { id: 1, title: "vip", color: "#ffd700", description: "Pays well" },
  { id: 2, title: "billing", color: "#1f2d80" },
  { id: 3, title: "bad-colour", color: "red;background:url(x)" },
]);

test("the account's labels by title", () => {
  assert.deepEqual([...index.keys()], ["vip", "billing", "bad-colour"]);
  assert.deepEqual(index.get("vip"), { id: 1, title: "vip", color: "#ffd700", description: "Pays well" });
  assert.equal(index.get("billing").description, null);
  assert.equal(labelIndex(undefined).size, 0);
});

test("the chip's text is dark on a light colour and white on a dark one", () => {
  assert.equal(textColorOn("#ffd700"), "#1c2433");
  assert.equal(textColorOn("#fff"), "#1c2433");
  assert.equal(textColorOn("#1f2d80"), "#ffffff");
  assert.equal(textColorOn("#000"), "#ffffff");
  assert.equal(textColorOn("not a colour"), "#ffffff");
});

test("chips: the label's colour, in the conversation's order; an unknown title or a colour that is not hex is grey", () => {
  assert.deepEqual(labelChips(["vip", "billing", "gone", "bad-colour"], index), [
    { title: "vip", color: "#ffd700", text: "#1c2433" },
    { title: "billing", color: "#1f2d80", text: "#ffffff" },
    { title: "gone", color: "#9aa1b1", text: "#1c2433" },
    { title: "bad-colour", color: "#9aa1b1", text: "#1c2433" },
  ]);
  assert.deepEqual(labelChips(undefined, index), []);
  assert.deepEqual(labelChips(["vip"], null), [{ title: "vip", color: "#9aa1b1", text: "#1c2433" }]);
});

test("the picker offers the labels the conversation does not carry, by title", () => {
  assert.deepEqual(addableLabels(["vip"], index).map((l) => l.title), ["bad-colour", "billing"]);
  assert.deepEqual(addableLabels(undefined, index).map((l) => l.title), ["bad-colour", "billing", "vip"]);
  assert.deepEqual(addableLabels([], null), []);
});

test("adding keeps each title once, sorted; removing drops it", () => {
  assert.deepEqual(withLabel(["vip"], "billing"), ["billing", "vip"]);
  assert.deepEqual(withLabel(["vip"], "vip"), ["vip"]);
  assert.deepEqual(withLabel(undefined, "vip"), ["vip"]);
  assert.deepEqual(withoutLabel(["billing", "vip"], "vip"), ["billing"]);
  assert.deepEqual(withoutLabel(undefined, "vip"), []);
});

test("the label filter: on the list call, and on conversations the console holds (a pushed change moves one in or out)", () => {
  assert.deepEqual(labelRequest({ label: "vip" }), { labels: ["vip"] });
  assert.deepEqual(labelRequest({ label: null }), {});
  assert.equal(matchesLabel({ labels: ["vip"] }, "vip"), true);
  assert.equal(matchesLabel({ labels: [] }, "vip"), false);
  assert.equal(matchesLabel({}, null), true);
  const filters = { status: "open", assignee: "all", inboxId: null, label: "vip" };
  const c = { status: "open", inboxId: 1, assigneeId: null, labels: ["vip"] };
  assert.equal(matchesFilters(c, filters, 1), true);
  assert.equal(matchesFilters({ ...c, labels: [] }, filters, 1), false);
  assert.equal(matchesFilters({ ...c, labels: [] }, { ...filters, label: null }, 1), true);
  assert.equal(matchesFilters({ ...c, labels: ["vip"], status: "resolved" }, filters, 1), false);
});

test("titles a conversation carries that the console does not know yet", () => {
  assert.deepEqual(unknownTitles([["vip", "new-one"], undefined, ["new-one", "other"]], index), ["new-one", "other"]);
  assert.deepEqual(unknownTitles([["vip"]], index), []);
});

test("a list row carries its labels as chips", () => {
  const state = { me: { id: 1 }, filters: { status: "open", assignee: "all" }, contacts: new Map(), agents: new Map(), selectedId: null,
    inboxes: new Map(), labels: index };
  const entry = { c: { id: 5, inboxId: 3, contactId: 42, status: "open", assigneeId: null, lastActivityAt: 0, labels: ["billing", "vip"] },
    last: null, unread: new Map(), typing: null };
  const row = listRow(entry, state, createNames(state), { plainText: (t) => t, now: 0 });
  assert.deepEqual(row.labels.map((l) => [l.title, l.color]), [["billing", "#1f2d80"], ["vip", "#ffd700"]]);
});

test("label changes of a conversation go one at a time, each on the titles the previous one left", async () => {
  const held = new Map([[7, ["billing"]]]);
  const sent = [];
  let release;
  const firstAnswered = new Promise((resolve) => { release = resolve; });
  const api = {
    async post(path, body) {
      sent.push([path, body.labels]);
      if (sent.length === 1) await firstAnswered; // the first answer is slow
      return { payload: [...body.labels].sort() };
    },
  };
  const errors = [];
  const change = createLabelEditor({
    api,
    current: (id) => held.get(id),
    applied: (id, titles) => held.set(id, titles),
    run: async (action, id) => { try { return await action(); } catch (e) { errors.push([id, e.message]); } },
  });
  const first = change(7, (t) => withLabel(t, "vip"));
  const second = change(7, (t) => withoutLabel(t, "billing"));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(sent.length, 1); // the second waits for the first's answer
  release();
  await Promise.all([first, second]);
  assert.deepEqual(sent, [["/api/v1/accounts/1/conversations/7/labels", ["billing", "vip"]], ["/api/v1/accounts/1/conversations/7/labels", ["vip"]]]);
  assert.deepEqual(held.get(7), ["vip"]);

  // A refused change is reported, and the next one still goes.
  const failing = createLabelEditor({
    api: { post: async () => { throw new Error("forbidden"); } }, current: () => [], applied: () => assert.fail("nothing applied"),
    run: async (action, id) => { try { return await action(); } catch (e) { errors.push([id, e.message]); } },
  });
  await failing(8, (t) => withLabel(t, "vip"));
  await failing(8, (t) => withLabel(t, "vip"));
  assert.deepEqual(errors, [[8, "forbidden"], [8, "forbidden"]]);
});

test("a label form's payload: the title trimmed; an empty description is none on create and cleared on edit", async () => {
  const { labelPayload } = await import("../src/console/admin/labels-tab.js");
  assert.deepEqual(labelPayload({ title: " VIP ", color: "#d93025", description: "  " }), { title: "VIP", color: "#d93025", description: undefined });
  assert.deepEqual(labelPayload({ title: "vip", color: "#d93025", description: "" }, true), { title: "vip", color: "#d93025", description: "" });
  assert.deepEqual(labelPayload({ title: "vip", color: "#000000", description: " Pays " }), { title: "vip", color: "#000000", description: "Pays" });
});
