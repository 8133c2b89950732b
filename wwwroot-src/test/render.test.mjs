import assert from "node:assert/strict";
import { test } from "node:test";
import { formatSize, tooLargeMessage, attachmentsSignature } from "../src/render/attachments.js";
import { colorFor, initials } from "../src/render/avatar.js";
import { ago, dayKey, dayLabel } from "../src/render/time.js";
import { GROUP_WINDOW_S, timeline } from "../src/render/timeline.js";

// Local times (the labels are the browser's local days), as Unix seconds.
const at = (y, mo, d, h = 12, mi = 0, s = 0) => new Date(y, mo, d, h, mi, s).getTime() / 1000;

test("initials: first and last word, letters or digits only", () => {
  assert.equal(initials("Ann Lee"), "AL");
  assert.equal(initials("ann"), "A");
  assert.equal(initials("Ann Marie van Lee"), "AL");
  assert.equal(initials("  (Support) Team"), "T");
  assert.equal(initials(""), "?");
  assert.equal(initials(null), "?");
  assert.equal(initials("Émile Zola"), "ÉZ");
});

test("a person's colour is stable and from the palette", () => {
  assert.equal(colorFor("c42"), colorFor("c42"));
  assert.match(colorFor("a7"), /^#[0-9a-f]{6}$/);
});

test("how long ago, as lists show it", () => {
  const now = at(2026, 11, 7, 15);
  assert.equal(ago(now - 30, now), "now");
  assert.equal(ago(now - 5 * 60, now), "5m");
  assert.equal(ago(now - 3 * 3600 - 59, now), "3h");
  assert.doesNotMatch(ago(now - 2 * 86400, now), /^\d/); // a weekday
  assert.equal(ago(now - 30 * 86400, now), new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" }).format(new Date((now - 30 * 86400) * 1000)));
});

test("day separators: Today, Yesterday, then the date (the widget's month short, the console's long)", () => {
  const now = new Date(2026, 11, 7, 9, 0);
  assert.equal(dayLabel(at(2026, 11, 7, 0, 0), { now }), "Today");
  assert.equal(dayLabel(at(2026, 11, 6, 23, 59), { now }), "Yesterday");
  const older = at(2026, 11, 1);
  assert.equal(dayLabel(older, { now }), new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric" }).format(new Date(older * 1000)));
  assert.equal(dayLabel(older, { now, month: "short" }), new Intl.DateTimeFormat(undefined, { weekday: "long", month: "short", day: "numeric" }).format(new Date(older * 1000)));
  assert.equal(dayKey(at(2026, 11, 7, 0, 1)), dayKey(at(2026, 11, 7, 23, 59)));
  assert.notEqual(dayKey(at(2026, 11, 7, 23, 59)), dayKey(at(2026, 11, 8, 0, 0)));
});

test("file sizes and the check before an upload", () => {
  assert.equal(formatSize(900), "900 B");
  assert.equal(formatSize(2048), "2 KB");
  assert.equal(formatSize(1.5 * 1024 * 1024), "1.5 MB");
  assert.equal(formatSize(12 * 1024 * 1024), "12 MB");
  assert.equal(tooLargeMessage({ name: "a.pdf", size: 100 }, 0), null, "no limit known");
  assert.equal(tooLargeMessage({ name: "a.pdf", size: 100 }, 100), null);
  assert.equal(tooLargeMessage({ name: "video.mp4", size: 11 * 1024 * 1024 }, 10 * 1024 * 1024),
    "“video.mp4” is too large (11 MB): files may be at most 10 MB.");
  assert.equal(attachmentsSignature({ attachments: [{ id: 3 }, { id: 4 }] }), "3,4");
  assert.equal(attachmentsSignature({}), "");
});

const msg = (id, messageType, createdAt, sender = "ann") => ({ id, messageType, createdAt, sender });
const bySender = (a, b) => a.sender === b.sender;
const shape = (rows) => rows.map((r) => (r.day ? "day" : r.activity ? `activity ${r.activity.id}` : `${r.message.id}${r.first ? " first" : ""}${r.last ? " last" : ""}`));

test("a sender's messages within five minutes of each other form one group", () => {
  const t0 = at(2026, 11, 7, 10);
  const rows = timeline([msg(1, 0, t0), msg(2, 0, t0 + 60), msg(3, 0, t0 + 60 + GROUP_WINDOW_S), msg(4, 0, t0 + 61 + 2 * GROUP_WINDOW_S)], bySender);
  assert.deepEqual(shape(rows), ["day", "1 first", "2", "3 last", "4 first last"]);
});

test("another sender, another type, an activity line or a new day starts a new group", () => {
  const t0 = at(2026, 11, 7, 23, 58);
  const rows = timeline([
    msg(1, 1, t0, "ann"), msg(2, 1, t0 + 10, "bob"), msg(3, 0, t0 + 20, "bob"), msg(4, 2, t0 + 30), msg(5, 0, t0 + 40, "bob"),
    msg(6, 0, t0 + 200, "bob"), // after midnight
  ], bySender);
  assert.deepEqual(shape(rows), ["day", "1 first last", "2 first last", "3 first last", "activity 4", "5 first last", "day", "6 first last"]);
  assert.equal(rows[0].at, t0);
  assert.equal(rows[6].at, t0 + 200);
});
