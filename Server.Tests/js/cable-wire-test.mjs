// Wire-compatibility test of ChatHub's /cable against the official @rails/actioncable client (the one Chatwoot's
// widget uses), under Node with the ws package as its WebSocket. Run by Server.Tests/Cable/ActionCableClientTests.cs;
// by hand:
//
//   CABLE_CONTACT_URL=http://127.0.0.1:5000 CABLE_AGENT_URL=http://127.0.0.1:5001 CABLE_INBOX=... CABLE_AGENT_TOKEN=... \
//     node cable-wire-test.mjs
//
// The customer side (REST client API and /cable) talks to CABLE_CONTACT_URL, the agent (REST agent API) to
// CABLE_AGENT_URL: two nodes of one deployment, or the same node twice. Follows Chatwoot's client-api-demo: create
// a contact over REST, subscribe to RoomChannel with its pubsub_token, send messages over REST.
//
// Prints one JSON line per check, {"check": name, "ok": bool, "detail": ...}, then a summary line, and exits 0 only
// if every check passed. Nothing here waits for a fixed time: that something never arrived is shown by a later
// event on the same stream arriving first (a stream is delivered in order).

import WS from "ws";
import { adapters, createConsumer, INTERNAL } from "@rails/actioncable";
import { checkRun } from "./checks.mjs";

const DEADLINE_MS = 40_000;
const WAIT_MS = 10_000;

const contactUrl = (process.env.CABLE_CONTACT_URL ?? "").replace(/\/+$/, "");
const agentUrl = (process.env.CABLE_AGENT_URL ?? "").replace(/\/+$/, "");
const inbox = process.env.CABLE_INBOX;
const agentToken = process.env.CABLE_AGENT_TOKEN;
if (!contactUrl || !agentUrl || !inbox || !agentToken) {
    console.error("needs CABLE_CONTACT_URL, CABLE_AGENT_URL, CABLE_INBOX, CABLE_AGENT_TOKEN");
    process.exit(2);
}

// ---------------------------------------------------------------- results

const { report, finish } = checkRun({ client: "@rails/actioncable", deadlineMs: DEADLINE_MS });

// ---------------------------------------------------------------- the client's environment

// Every frame each socket receives, to check what the ActionCable client does not expose (pings, subprotocol).
const sockets = [];
class RecordingWebSocket extends WS {
    constructor(url, protocols) {
        super(url, protocols);
        this.frames = [];
        this.on("message", data => this.frames.push(JSON.parse(data.toString())));
        sockets.push(this);
    }
}
adapters.WebSocket = RecordingWebSocket;
adapters.logger = { log: () => {} };
// ConnectionMonitor listens for the page's visibility; Node has no page.
globalThis.addEventListener ??= () => {};
globalThis.removeEventListener ??= () => {};

// ---------------------------------------------------------------- REST (as the client-api-demo and an agent do)

async function call(base, method, path, body, headers = {}) {
    const response = await fetch(base + path, {
        method, headers: { "content-type": "application/json", ...headers }, body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
}
const clientApi = `/public/api/v1/inboxes/${inbox}`;
const asContact = (method, path, body) => call(contactUrl, method, clientApi + path, body);
const asAgent = (method, path, body) => call(agentUrl, method, "/api/v1" + path, body, { api_access_token: agentToken });

// ---------------------------------------------------------------- subscriptions

function until(predicate, what) {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = () => {
            const found = predicate();
            if (found) return resolve(found);
            if (Date.now() - started > WAIT_MS) return reject(new Error(`timed out waiting for ${what}`));
            setTimeout(poll, 20);
        };
        poll();
    });
}

function subscribe(consumer, pubsubToken) {
    const sub = { received: [], confirmed: false, rejected: false };
    sub.subscription = consumer.subscriptions.create({ channel: "RoomChannel", pubsub_token: pubsubToken }, {
        connected() { sub.confirmed = true; },
        rejected() { sub.rejected = true; },
        received(data) { sub.received.push(data); },
    });
    return sub;
}
const event = (sub, name, match = () => true) =>
    until(() => sub.received.find(m => m.event === name && match(m.data)), `${name}`);

async function check(name, body) {
    try {
        const detail = await body();
        report(name, true, detail);
    } catch (error) {
        report(name, false, String(error?.stack ?? error));
    }
}

// ---------------------------------------------------------------- the run

const contact = await asContact("POST", "/contacts", { name: "Ann (actioncable)" });
const other = await asContact("POST", "/contacts", { name: "Bob (actioncable)" });
const profile = await asAgent("GET", "/profile");

const consumer = createConsumer(contactUrl.replace(/^http/, "ws") + "/cable");
const ann = subscribe(consumer, contact.pubsub_token);
const otherConsumer = createConsumer(contactUrl.replace(/^http/, "ws") + "/cable");
const bob = subscribe(otherConsumer, other.pubsub_token);
const stranger = subscribe(otherConsumer, "not-a-pubsub-token-of-anyone");

await check("subscribe.confirmed", async () => {
    await until(() => ann.confirmed && bob.confirmed, "confirm_subscription");
    return { protocol: sockets[0].protocol };
});
await check("subscribe.subprotocol", () => {
    if (sockets[0].protocol !== INTERNAL.protocols[0]) throw new Error(`selected '${sockets[0].protocol}'`);
});
await check("subscribe.unknownTokenRejected", async () => {
    await until(() => stranger.rejected, "reject_subscription");
    if (stranger.confirmed) throw new Error("confirmed");
});
await check("presence.onSubscribe", async () => {
    const presence = await event(ann, "presence.update");
    if (presence.data.account_id !== 1 || typeof presence.data.users !== "object") throw new Error(JSON.stringify(presence));
    return presence.data;
});
await check("presence.updatePresence", async () => {
    const before = ann.received.filter(m => m.event === "presence.update").length;
    ann.subscription.perform("update_presence");
    await until(() => ann.received.filter(m => m.event === "presence.update").length > before, "a second presence.update");
});

const conversation = await asContact("POST", `/contacts/${contact.source_id}/conversations`, {});
await check("conversation.created", async () => {
    const created = await event(ann, "conversation.created", d => d.id === conversation.id);
    if (created.data.status !== "open" || created.data.inbox_id !== conversation.inbox_id) throw new Error(JSON.stringify(created.data));
});

await asContact("POST", `/contacts/${contact.source_id}/conversations/${conversation.id}/messages`,
    { content: "Hello from Ann", echo_id: "echo-ann-1" });
await check("message.created.own", async () => {
    const m = await event(ann, "message.created", d => d.echo_id === "echo-ann-1");
    const d = m.data;
    const problems = [];
    if (d.message_type !== 0) problems.push("message_type");
    if (d.content !== "Hello from Ann") problems.push("content");
    if (d.conversation_id !== conversation.id) problems.push("conversation_id");
    if (d.sender_type !== "Contact" || d.sender?.type !== "contact" || d.sender?.name !== "Ann (actioncable)") problems.push("sender");
    if (!Number.isInteger(d.created_at) || d.created_at < 1_600_000_000 || d.created_at > 4_000_000_000) problems.push("created_at");
    if (d.private !== false || d.account_id !== 1 || !Number.isInteger(d.inbox_id) || !Number.isInteger(d.seq)) problems.push("fields");
    if (problems.length) throw new Error(`${problems.join(", ")}: ${JSON.stringify(d)}`);
});

// Agent side: assignment and resolution write activity lines, a private note, typing, a reply.
await asAgent("POST", `/conversations/${conversation.id}/assignments`, { assignee_id: profile.id });
await asAgent("POST", `/conversations/${conversation.id}/messages`, { content: "note: VIP customer", private: true });
await asAgent("POST", `/conversations/${conversation.id}/toggle_typing`, { typing_status: "on" });
await check("typing.on", async () => {
    const t = await event(ann, "conversation.typing_on");
    if (t.data.conversation?.id !== conversation.id || t.data.is_private !== false || t.data.user?.type !== "user") throw new Error(JSON.stringify(t.data));
});
await asAgent("POST", `/conversations/${conversation.id}/toggle_typing`, { typing_status: "off" });
await check("typing.off", () => event(ann, "conversation.typing_off", d => d.conversation?.id === conversation.id).then(() => null));
await asAgent("POST", `/conversations/${conversation.id}/messages`, { content: "Hi Ann, how can I help?" });
await check("message.created.agentReply", async () => {
    const m = await event(ann, "message.created", d => d.content === "Hi Ann, how can I help?");
    const d = m.data;
    if (d.message_type !== 1 || d.sender?.type !== "user" || d.sender?.name !== profile.name || d.sender_type !== "User")
        throw new Error(JSON.stringify(d));
});
await asAgent("POST", `/conversations/${conversation.id}/toggle_status`, { status: "resolved" });
await check("conversation.status_changed", async () => {
    const s = await event(ann, "conversation.status_changed", d => d.id === conversation.id);
    if (s.data.status !== "resolved") throw new Error(JSON.stringify(s.data));
});
// The last event of the run on Ann's stream: everything before it has been delivered.
await asContact("POST", `/contacts/${contact.source_id}/conversations/${conversation.id}/messages`,
    { content: "Thanks, bye", echo_id: "echo-ann-last" });
await check("stream.end", () => event(ann, "message.created", d => d.echo_id === "echo-ann-last").then(() => null));

await check("privateNote.never", () => {
    const leaked = ann.received.filter(m => m.data?.private === true || JSON.stringify(m).includes("VIP"));
    if (leaked.length) throw new Error(JSON.stringify(leaked));
});
await check("activity.never", () => {
    const leaked = ann.received.filter(m => m.data?.message_type === 2);
    if (leaked.length) throw new Error(JSON.stringify(leaked));
});
await check("contactCredentials.neverToOthers", () => {
    const onBobsSocket = JSON.stringify(sockets[1].frames);
    if (onBobsSocket.includes(contact.source_id) || onBobsSocket.includes(contact.pubsub_token)) throw new Error("Ann's credentials on Bob's socket");
    if (JSON.stringify(ann.received).includes(contact.pubsub_token)) throw new Error("a pubsub_token inside a broadcast");
});

// Bob's own event comes last on his socket: nothing of Ann's came before it, nor to the rejected subscription.
const bobConversation = await asContact("POST", `/contacts/${other.source_id}/conversations`, {});
await asContact("POST", `/contacts/${other.source_id}/conversations/${bobConversation.id}/messages`, { content: "Bob here", echo_id: "echo-bob" });
await check("isolation.otherContact", async () => {
    await event(bob, "message.created", d => d.echo_id === "echo-bob");
    const leaked = bob.received.filter(m => m.data?.conversation_id === conversation.id || m.data?.id === conversation.id
        || m.data?.conversation?.id === conversation.id);
    if (leaked.length) throw new Error(JSON.stringify(leaked));
});
await check("unknownToken.receivesNothing", () => {
    if (stranger.received.length) throw new Error(JSON.stringify(stranger.received));
    const strangerFrames = sockets[1].frames.filter(f => f.identifier && f.identifier.includes("not-a-pubsub-token"));
    if (strangerFrames.some(f => f.type !== "reject_subscription")) throw new Error(JSON.stringify(strangerFrames));
});

await check("ping.every3s", async () => {
    await until(() => sockets[0].frames.filter(f => f.type === "ping").length >= 2, "two pings");
    const pings = sockets[0].frames.filter(f => f.type === "ping").map(f => f.message);
    if (!pings.every(Number.isInteger)) throw new Error(JSON.stringify(pings));
    // Stamped by the server every 3 s. The bound checked is the client's own: ActionCable reconnects after 6 s without
    // a ping (a busy machine may stretch one gap, never to that), so no gap may reach it and no socket was reopened.
    const gaps = pings.slice(1).map((p, i) => p - pings[i]);
    if (!gaps.every(g => g >= 1 && g < 6)) throw new Error(`gaps ${JSON.stringify(gaps)}`);
    if (sockets.length !== 2) throw new Error(`${sockets.length} sockets were opened: the client reconnected`);
    return { pings: pings.length, gaps };
});
await check("welcome.first", () => {
    if (sockets[0].frames[0]?.type !== "welcome") throw new Error(JSON.stringify(sockets[0].frames[0]));
});

consumer.disconnect();
otherConsumer.disconnect();
finish();
