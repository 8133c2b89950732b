import assert from "node:assert/strict";
import { test } from "node:test";
import { Hub, PUSHES, reconnectDelayMs, restartDelayMs } from "../src/protocol/connection.js";

/** A stand-in for window.signalR: connections whose start() and invoke() answer as the test says. */
function fakeSignalR({ starts = [], invoke = async () => "ok" } = {}) {
  const made = [];
  class FakeConnection {
    constructor(url, options, retry) {
      Object.assign(this, { url, options, retry, state: "Disconnected", handlers: {}, startCalls: 0 });
      made.push(this);
    }
    on(name, fn) { this.handlers[name] = fn; }
    onreconnecting(fn) { this.reconnecting = fn; }
    onreconnected(fn) { this.reconnected = fn; }
    onclose(fn) { this.closed = fn; }
    async start() {
      this.startCalls++;
      const outcome = starts.shift();
      if (outcome) throw outcome;
      this.state = "Connected";
    }
    async stop() { this.state = "Disconnected"; }
    invoke(...args) { return invoke(...args); }
  }
  class Builder {
    withUrl(url, options) { this.url = url; this.options = options; return this; }
    withAutomaticReconnect(retry) { this.retry = retry; return this; }
    configureLogging() { return this; }
    build() { return new FakeConnection(this.url, this.options, this.retry); }
  }
  return { signalR: { HubConnectionBuilder: Builder, LogLevel: { None: 6, Warning: 3 } }, made };
}

function recorder() {
  const events = [];
  return {
    events,
    handlers: {
      onPush: (name, arg) => events.push(["push", name, arg]),
      onState: (s) => events.push(["state", s]),
      onReconnected: () => events.push(["reconnected"]),
      onUnauthorized: () => events.push(["unauthorized"]),
    },
  };
}

const noWait = async () => {};

test("back-off: SignalR's reconnect and our restarts grow and stop at 10 s", () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 9].map(reconnectDelayMs), [500, 1000, 2000, 4000, 8000, 10000, 10000]);
  assert.deepEqual([0, 1, 2, 3, 4, 9].map(restartDelayMs), [1000, 2000, 4000, 8000, 10000, 10000]);
});

test("start retries a failed start until it connects; the token goes with every attempt", async () => {
  const { signalR, made } = fakeSignalR({ starts: [new Error("Failed to fetch"), new Error("Failed to fetch")] });
  const waits = [];
  const r = recorder();
  const hub = new Hub({ signalR, url: "/hubs/chat", token: "secret", handlers: r.handlers, wait: async (ms) => { waits.push(ms); } });
  await hub.start();
  assert.equal(made[0].startCalls, 3);
  assert.deepEqual(waits, [1000, 2000]);
  assert.equal(made[0].options.accessTokenFactory(), "secret");
  assert.deepEqual(r.events.map((e) => e[1]), ["connecting", "reconnecting", "reconnecting", "connected"]);
  assert.equal(hub.connected, true);
});

test("a refused token stops for good and says so once", async () => {
  const { signalR, made } = fakeSignalR({ starts: [new Error("Failed to complete negotiation with the server: Error: Unauthorized: Status code '401'")] });
  const r = recorder();
  const hub = new Hub({ signalR, url: "/hubs/chat", token: "revoked", handlers: r.handlers, wait: noWait });
  await assert.rejects(hub.start());
  assert.equal(made[0].startCalls, 1);
  assert.deepEqual(r.events.filter((e) => e[0] === "unauthorized").length, 1);
  assert.equal(hub.stopped, true);
});

test("every push is handed over by name", async () => {
  const { signalR, made } = fakeSignalR();
  const r = recorder();
  new Hub({ signalR, url: "/hubs/chat", token: "t", handlers: r.handlers, wait: noWait });
  for (const name of PUSHES) made[0].handlers[name]({ seq: 1 });
  assert.deepEqual(r.events.map((e) => e[1]), PUSHES);
});

test("after SignalR reconnects, and after a close and our own restart, the client is told to catch up", async () => {
  const { signalR, made } = fakeSignalR();
  const r = recorder();
  const hub = new Hub({ signalR, url: "/hubs/chat", token: "t", handlers: r.handlers, wait: noWait });
  await hub.start();
  made[0].reconnecting();
  made[0].reconnected();
  made[0].state = "Disconnected";
  made[0].closed();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(r.events.map((e) => e[1] ?? e[0]),
    ["connecting", "connected", "reconnecting", "connected", "reconnected", "reconnecting", "connecting", "connected", "reconnected"]);
  hub.stop();
  made[0].closed(); // a close after stop() is ours: no restart
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(made[0].startCalls, 2);
});

test("calls fail fast while disconnected and map the server's coded errors", async () => {
  const { signalR } = fakeSignalR({ invoke: async () => { throw new Error("rate_limited: slow down"); } });
  const hub = new Hub({ signalR, url: "/hubs/chat", token: "t", handlers: recorder().handlers, wait: noWait });
  await assert.rejects(hub.invoke("SendMessage", {}), (e) => e.retry === true);
  await hub.start();
  await assert.rejects(hub.invoke("SendMessage", {}), (e) => e.code === "rate_limited" && e.message === "slow down");
});
