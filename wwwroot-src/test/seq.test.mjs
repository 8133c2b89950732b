import assert from "node:assert/strict";
import { test } from "node:test";
import { SeqTracker, catchUp } from "../src/protocol/seq.js";

/** Timers the test fires by hand: no clock, no sleeps. */
function manualTimers() {
  const pending = new Map();
  let next = 1;
  return {
    setTimeout: (fn) => { pending.set(next, fn); return next++; },
    clearTimeout: (id) => { pending.delete(id); },
    fireAll: () => { const fns = [...pending.values()]; pending.clear(); fns.forEach((f) => f()); },
    get count() { return pending.size; },
  };
}

test("consecutive seqs advance lastSeq and ask for nothing", () => {
  const timers = manualTimers();
  const gaps = [];
  const t = new SeqTracker({ onGap: (from) => gaps.push(from), timers });
  t.reset(3);
  for (const s of [4, 5, 6]) assert.equal(t.note(s), true);
  assert.equal(t.lastSeq, 6);
  assert.equal(t.hasGap, false);
  timers.fireAll();
  assert.deepEqual(gaps, []);
});

test("a seq already covered is ignored", () => {
  const t = new SeqTracker({ timers: manualTimers() });
  t.reset(5);
  assert.equal(t.note(5), false);
  assert.equal(t.note(2), false);
  assert.equal(t.lastSeq, 5);
});

test("a gap asks for a fill from lastSeq once the wait is over", () => {
  const timers = manualTimers();
  const gaps = [];
  const t = new SeqTracker({ onGap: (from) => gaps.push(from), timers });
  t.reset(1);
  t.note(2);
  t.note(4); // 3 missing
  assert.equal(t.lastSeq, 2);
  assert.equal(t.hasGap, true);
  timers.fireAll();
  assert.deepEqual(gaps, [2]);
});

test("a change still on its way closes the gap before the wait ends: no fill", () => {
  const timers = manualTimers();
  const gaps = [];
  const t = new SeqTracker({ onGap: (from) => gaps.push(from), timers });
  t.note(1);
  t.note(3);
  t.note(2); // arrives late
  assert.equal(t.lastSeq, 3);
  assert.equal(t.hasGap, false);
  timers.fireAll();
  assert.deepEqual(gaps, []);
});

test("a later seq restarts the wait (one fill request, not one per push)", () => {
  const timers = manualTimers();
  const gaps = [];
  const t = new SeqTracker({ onGap: (from) => gaps.push(from), timers });
  t.note(1);
  t.note(3);
  t.note(4);
  assert.equal(timers.count, 1);
  timers.fireAll();
  assert.deepEqual(gaps, [1]);
});

test("reached() after a fill takes in the seqs held beyond the gap", () => {
  const t = new SeqTracker({ timers: manualTimers() });
  t.note(1);
  t.note(4);
  t.note(5);
  t.reached(3); // the fill brought 2 and 3
  assert.equal(t.lastSeq, 5);
  assert.equal(t.hasGap, false);
});

test("catchUp pages through GetMessages {afterSeq} until the conversation's seq", async () => {
  const t = new SeqTracker({ timers: manualTimers() });
  t.reset(10);
  const asked = [];
  const pages = {
    10: { conversation: { seq: 15 }, messages: [{ seq: 11 }, { seq: 12 }], hasMore: true },
    12: { conversation: { seq: 15 }, messages: [{ seq: 14 }], hasMore: false },
  };
  const applied = [];
  await catchUp(t, async (afterSeq) => { asked.push(afterSeq); return pages[afterSeq]; }, (r) => applied.push(...r.messages.map((m) => m.seq)));
  assert.deepEqual(asked, [10, 12]);
  assert.deepEqual(applied, [11, 12, 14]);
  assert.equal(t.lastSeq, 15); // seq 13 and 15 were changes without a message (a status, a seen marker)
});

test("catchUp stops when the view moved on", async () => {
  const t = new SeqTracker({ timers: manualTimers() });
  let wanted = true;
  let applied = 0;
  await catchUp(t, async () => { wanted = false; return { conversation: { seq: 9 }, messages: [], hasMore: false }; },
    () => applied++, () => wanted);
  assert.equal(applied, 0);
  assert.equal(t.lastSeq, 0);
});
