import { test } from "node:test";
import assert from "node:assert/strict";
import { isNewInvitation, newVisitorToken, nextVisitor, pageOf, VISIT_GAP_MS } from "../src/widget/visitor.js";

test("a new visitor gets a random token of 22 base64url characters and its first visit", () => {
  const token = newVisitorToken((n) => new Uint8Array(n).fill(251));
  assert.match(token, /^[A-Za-z0-9_-]{22}$/);
  assert.deepEqual(nextVisitor(null, 1000, () => "t".repeat(22)), { token: "t".repeat(22), visits: 1, lastSeenAt: 1000 });
  assert.equal(nextVisitor({ token: "short" }, 1000, () => "n".repeat(22)).token, "n".repeat(22)); // a broken one is replaced
});

test("a visit goes on while reports come within the gap; after it, the next report starts a new visit", () => {
  const stored = { token: "k".repeat(22), visits: 2, lastSeenAt: 10_000 };
  assert.deepEqual(nextVisitor(stored, 10_000 + VISIT_GAP_MS - 1), { token: stored.token, visits: 2, lastSeenAt: 10_000 + VISIT_GAP_MS - 1 });
  assert.equal(nextVisitor(stored, 10_000 + VISIT_GAP_MS + 1).visits, 3);
});

test("the page is shortened to the server's limits and an empty title or referrer is left out", () => {
  assert.deepEqual(pageOf("https://shop.example.com/", "", ""), { url: "https://shop.example.com/" });
  const long = pageOf("https://x.example/" + "a".repeat(3000), "t".repeat(400), "https://r.example/" + "b".repeat(3000));
  assert.equal(long.url.length, 2000);
  assert.equal(long.title.length, 300);
  assert.equal(long.referrer.length, 2000);
});

test("an agent's chat is acted on once per conversation, and only with a contact to continue as", () => {
  const invitation = { conversation_id: 7, contact: { id: 3, source_id: "s", pubsub_token: "p" } };
  assert.equal(isNewInvitation(invitation, null), true);
  assert.equal(isNewInvitation(invitation, 7), false);
  assert.equal(isNewInvitation({ ...invitation, conversation_id: 8 }, 7), true); // a second chat
  assert.equal(isNewInvitation(null, null), false);
  assert.equal(isNewInvitation({ conversation_id: 9 }, null), false);
});
