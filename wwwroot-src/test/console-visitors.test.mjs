import { test } from "node:test";
import assert from "node:assert/strict";
import { durationText, fromPush, hostOf, onSite, upsertVisitor, visitorName } from "../src/console/visitors.js";

test("a pushed visitor reads as the list's: camelCase keys to snake_case, pages included", () => {
  const v = fromPush({ id: "ab", inboxId: 1, lastSeenAt: 5, currentPage: { url: "https://x/", at: 4 }, pages: [{ url: "https://x/", at: 4 }] });
  assert.deepEqual(v, { id: "ab", inbox_id: 1, last_seen_at: 5, current_page: { url: "https://x/", at: 4 }, pages: [{ url: "https://x/", at: 4 }] });
});

test("the newer report wins, and visitors not heard from within the window leave", () => {
  const visitors = new Map();
  upsertVisitor(visitors, { id: "a", last_seen_at: 100, pages_this_visit: 2 });
  upsertVisitor(visitors, { id: "a", last_seen_at: 90, pages_this_visit: 1 }); // an older list crossing a push
  upsertVisitor(visitors, { id: "b", last_seen_at: 120 });
  assert.equal(visitors.get("a").pages_this_visit, 2);
  assert.deepEqual(onSite(visitors, 130, 45).map((v) => v.id), ["b", "a"]);
  assert.deepEqual(onSite(visitors, 150, 45).map((v) => v.id), ["b"]);
  assert.equal(visitors.has("a"), false);
});

test("names, hosts and durations as the view shows them", () => {
  assert.equal(visitorName({ id: "3f2a9c11", name: null }), "Visitor 3f2a9c");
  assert.equal(visitorName({ id: "3f2a9c11", name: "Carla" }), "Carla");
  assert.equal(hostOf("https://search.example.com/?q=1"), "search.example.com");
  assert.equal(hostOf("not a url"), "not a url");
  assert.deepEqual([durationText(45.9), durationText(180), durationText(3900), durationText(7200)], ["45 s", "3 min", "1 h 5 min", "2 h"]);
});
