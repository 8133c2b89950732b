import assert from "node:assert/strict";
import { test } from "node:test";
import { Outbox } from "../src/protocol/outbox.js";

const lost = () => Object.assign(new Error("connection lost"), { retry: true });
const coded = (code) => Object.assign(new Error("refused"), { code });

function ids() {
  let n = 0;
  return () => `echo-${++n}`;
}

test("sends in order and drops each item on its acknowledgement", async () => {
  const sent = [];
  const box = new Outbox({ send: async (item) => { sent.push([item.echoId, item.content]); }, newId: ids() });
  box.add({ content: "one" });
  box.add({ content: "two" });
  await box.flush();
  assert.deepEqual(sent, [["echo-1", "one"], ["echo-2", "two"]]);
  assert.equal(box.items.length, 0);
});

test("a lost connection keeps the item; the retry sends it with the same echoId", async () => {
  const attempts = [];
  let connected = false;
  const box = new Outbox({
    send: async (item) => { attempts.push(item.echoId); if (!connected) throw lost(); },
    newId: ids(),
  });
  box.add({ content: "hello" });
  await box.flush();
  assert.equal(box.items.length, 1);
  assert.equal(box.items[0].failed, false);
  connected = true;
  await box.flush(); // after the reconnect
  assert.deepEqual(attempts, ["echo-1", "echo-1"]);
  assert.equal(box.items.length, 0);
});

test("a push carrying the echoId drops the item before the call's result", () => {
  const box = new Outbox({ send: async () => {}, newId: ids() });
  box.add({ content: "a" });
  box.add({ content: "b" });
  box.acknowledge("echo-1");
  assert.deepEqual(box.items.map((o) => o.content), ["b"]);
  box.acknowledge(undefined); // a message without an echoId changes nothing
  assert.equal(box.items.length, 1);
});

test("nothing is sent while sending is not possible", async () => {
  let sends = 0;
  const box = new Outbox({ send: async () => { sends++; }, canSend: () => false, newId: ids() });
  box.add({ content: "queued" });
  await box.flush();
  assert.equal(sends, 0);
  assert.equal(box.items.length, 1);
});

test("rate_limited waits and tries again with the same echoId", async () => {
  const attempts = [];
  const waits = [];
  const box = new Outbox({
    send: async (item) => { attempts.push(item.echoId); if (attempts.length === 1) throw coded("rate_limited"); },
    wait: async (ms) => { waits.push(ms); },
    newId: ids(),
  });
  box.add({ content: "x" });
  await box.flush();
  assert.deepEqual(attempts, ["echo-1", "echo-1"]);
  assert.equal(waits.length, 1);
  assert.equal(box.items.length, 0);
});

test("a refusal marks the item failed with its reason, the next one still goes; retry sends it again", async () => {
  const sent = [];
  let refuse = true;
  const box = new Outbox({
    send: async (item) => { if (item.content === "too long" && refuse) throw coded("too_large"); sent.push(item.echoId); },
    newId: ids(),
  });
  box.add({ content: "too long" });
  box.add({ content: "fine" });
  await box.flush();
  assert.deepEqual(sent, ["echo-2"]);
  assert.equal(box.items.length, 1);
  assert.equal(box.items[0].failed, true);
  assert.equal(box.items[0].error, "Too long to send");
  refuse = false;
  await box.retry("echo-1");
  assert.deepEqual(sent, ["echo-2", "echo-1"]);
  assert.equal(box.items.length, 0);
});

test("flush is not re-entered while a send is in flight", async () => {
  let release;
  let sends = 0;
  const box = new Outbox({ send: () => { sends++; return new Promise((r) => { release = r; }); }, newId: ids() });
  box.add({ content: "one" });
  const first = box.flush();
  await box.flush(); // returns at once: the first flush owns the queue
  assert.equal(sends, 1);
  release();
  await first;
  assert.equal(box.items.length, 0);
});
