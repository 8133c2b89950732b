import assert from "node:assert/strict";
import { test } from "node:test";
import { SNEAK_PEEK_EVERY_MS, SNEAK_PEEK_MAX_LENGTH, SneakPeekSender } from "../src/widget/sneak-peek.js";

function setup() {
  let clock = 1000;
  const pending = new Map();
  let next = 1;
  const sent = [];
  const sender = new SneakPeekSender({
    send: (text) => sent.push(text),
    now: () => clock,
    timers: { setTimeout: (fn, ms) => { pending.set(next, { fn, at: clock + ms }); return next++; }, clearTimeout: (id) => pending.delete(id) },
  });
  const advance = (ms) => {
    clock += ms;
    for (const [id, t] of [...pending]) if (t.at <= clock) { pending.delete(id); t.fn(); }
  };
  return { sender, sent, advance };
}

test("the first text goes at once, then at most one per interval, the latest text last (trailing)", () => {
  const { sender, sent, advance } = setup();
  sender.typed("H");
  assert.deepEqual(sent, ["H"]);
  advance(50);
  sender.typed("He");
  advance(50);
  sender.typed("Hel");
  assert.deepEqual(sent, ["H"]);
  advance(SNEAK_PEEK_EVERY_MS);
  assert.deepEqual(sent, ["H", "Hel"]);
  advance(SNEAK_PEEK_EVERY_MS * 3);
  assert.deepEqual(sent, ["H", "Hel"], "nothing more while nothing changes");
});

test("a cleared box sends an empty peek once; the same text is not sent twice", () => {
  const { sender, sent, advance } = setup();
  sender.typed("Hi");
  advance(SNEAK_PEEK_EVERY_MS);
  sender.typed("Hi");
  advance(SNEAK_PEEK_EVERY_MS);
  sender.typed("   ");
  advance(SNEAK_PEEK_EVERY_MS);
  sender.typed("");
  advance(SNEAK_PEEK_EVERY_MS);
  assert.deepEqual(sent, ["Hi", ""]);
});

test("sending the message drops what is pending, and the next text is new", () => {
  const { sender, sent, advance } = setup();
  sender.typed("Hello");
  sender.typed("Hello there");
  sender.sent();
  advance(SNEAK_PEEK_EVERY_MS * 2);
  assert.deepEqual(sent, ["Hello"]);
  sender.typed("Hello");
  assert.deepEqual(sent, ["Hello", "Hello"]);
});

test("a long text is cut to the server's limit", () => {
  const { sender, sent } = setup();
  sender.typed("x".repeat(SNEAK_PEEK_MAX_LENGTH + 50));
  assert.equal(sent[0].length, SNEAK_PEEK_MAX_LENGTH);
});

test("the widget sends nothing when the inbox has sneak peek off, before a conversation, or while not connected", async () => {
  const { createSneakPeek } = await import("../src/widget/sneak-peek.js");
  const calls = [];
  const state = { inbox: { sneakPeek: false }, conversation: { id: 7 }, conn: "connected" };
  const peek = createSneakPeek({ state, invoke: (...args) => { calls.push(args); return Promise.resolve(); } });
  peek.peekTyped("secret draft");
  state.inbox.sneakPeek = true;
  state.conn = "reconnecting";
  peek.peekTyped("still nothing");
  state.conn = "connected";
  state.conversation = null;
  peek.peekTyped("no conversation yet");
  assert.deepEqual(calls, []);
  state.conversation = { id: 7 };
  peek.peekTyped("now it goes");
  assert.deepEqual(calls, [["SendSneakPeek", 7, "now it goes"]]);
  peek.peekSent();
});
