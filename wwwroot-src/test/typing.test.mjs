import assert from "node:assert/strict";
import { test } from "node:test";
import { TYPING_IDLE_MS, TYPING_SEND_EVERY_MS, TypingSignal } from "../src/protocol/typing.js";

function setup() {
  let clock = 0;
  const pending = new Map();
  let next = 1;
  const sent = [];
  const signal = new TypingSignal({
    send: (on) => sent.push(on),
    now: () => clock,
    timers: { setTimeout: (fn, ms) => { pending.set(next, { fn, at: clock + ms }); return next++; }, clearTimeout: (id) => pending.delete(id) },
  });
  const advance = (ms) => {
    clock += ms;
    for (const [id, t] of [...pending]) if (t.at <= clock) { pending.delete(id); t.fn(); }
  };
  return { signal, sent, advance };
}

test("on once while typing, again only after the resend interval", () => {
  const { signal, sent, advance } = setup();
  signal.typed(true);
  advance(100);
  signal.typed(true);
  assert.deepEqual(sent, [true]);
  advance(TYPING_SEND_EVERY_MS);
  signal.typed(true);
  assert.deepEqual(sent, [true, true]);
});

test("off after the idle time, and when the text is cleared", () => {
  const { signal, sent, advance } = setup();
  signal.typed(true);
  advance(TYPING_IDLE_MS);
  assert.deepEqual(sent, [true, false]);
  signal.typed(true);
  signal.typed(false);
  assert.deepEqual(sent, [true, false, true, false]);
  signal.stop(); // already off: nothing more
  assert.deepEqual(sent, [true, false, true, false]);
});
