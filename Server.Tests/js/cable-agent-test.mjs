// An agent on ChatHub's /cable through the official @rails/actioncable client, subscribed as Chatwoot's dashboard
// and mobile app subscribe (RoomChannel with the user's pubsub_token, user_id and account_id, read from
// GET /api/v1/profile), under Node with the ws package as its WebSocket. Run by
// Server.Tests/Cable/AgentActionCableClientTests.cs; by hand:
//
//   CABLE_CUSTOMER_URL=http://127.0.0.1:5000 CABLE_AGENT_URL=http://127.0.0.1:5001 CABLE_INBOX=... CABLE_ADMIN_TOKEN=... \
//     node cable-agent-test.mjs
//
// The customers and the administrator talk to CABLE_CUSTOMER_URL, the agent's /cable socket to CABLE_AGENT_URL: two
// nodes of one deployment, or the same node twice. The administrator creates the agent (a member of CABLE_INBOX) and a
// second inbox the agent is not in, writes a private note, assigns, resolves, and finally deactivates the agent.
//
// Prints one JSON line per check, {"check": name, "ok": bool, "detail": ...}, then a summary line, and exits 0 only
// if every check passed. Nothing waits for a fixed time: that something never arrived is shown by a later event on
// the same stream arriving first (a stream is delivered in order).

import WS from "ws";
import { adapters, createConsumer } from "@rails/actioncable";
import { checkRun } from "./checks.mjs";

const DEADLINE_MS = 40_000;
const WAIT_MS = 10_000;

const customerUrl = (process.env.CABLE_CUSTOMER_URL ?? "").replace(/\/+$/, "");
const agentUrl = (process.env.CABLE_AGENT_URL ?? "").replace(/\/+$/, "");
const inbox = process.env.CABLE_INBOX;
const adminToken = process.env.CABLE_ADMIN_TOKEN;
if (!customerUrl || !agentUrl || !inbox || !adminToken) {
    console.error("needs CABLE_CUSTOMER_URL, CABLE_AGENT_URL, CABLE_INBOX, CABLE_ADMIN_TOKEN");
    process.exit(2);
}

// ---------------------------------------------------------------- results

const { report, finish } = checkRun({ client: "@rails/actioncable", deadlineMs: DEADLINE_MS });
async function check(name, body) {
    try {
        report(name, true, await body());
    } catch (error) {
        report(name, false, String(error?.stack ?? error));
    }
}

// ---------------------------------------------------------------- the client's environment

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
globalThis.addEventListener ??= () => {};
globalThis.removeEventListener ??= () => {};

// ---------------------------------------------------------------- REST

async function call(base, method, path, body, headers = {}) {
    const response = await fetch(base + path, {
        method, headers: { "content-type": "application/json", ...headers }, body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
}
const asAdmin = (method, path, body) => call(customerUrl, method, "/api/v1" + path, body, { api_access_token: adminToken });
const asCustomer = (inboxIdentifier, method, path, body) =>
    call(customerUrl, method, `/public/api/v1/inboxes/${inboxIdentifier}` + path, body);

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

function subscribe(consumer, params) {
    const sub = { received: [], confirmed: false, rejected: false, disconnects: [] };
    sub.subscription = consumer.subscriptions.create(params, {
        connected() { sub.confirmed = true; },
        rejected() { sub.rejected = true; },
        disconnected(details) { sub.disconnects.push(details ?? {}); },
        received(data) { sub.received.push(data); },
    });
    return sub;
}
const event = (sub, name, match = () => true) => until(() => sub.received.find(m => m.event === name && match(m.data)), name);

// ---------------------------------------------------------------- the run

// The administrator's setup: Sam, an agent of CABLE_INBOX, and an inbox Sam is not in.
const sam = await asAdmin("POST", "/agents", { name: "Sam (actioncable)", email: `sam-${Date.now()}@example.com`, role: "agent" });
const inboxes = await asAdmin("GET", "/inboxes");
const samsInbox = inboxes.find(i => i.identifier === inbox);
await asAdmin("POST", `/inboxes/${samsInbox.id}/members`, { agent_ids: [sam.id] });
const elsewhere = await asAdmin("POST", "/inboxes", { name: "Elsewhere (actioncable)" });

// What the dashboard does: read the profile, subscribe with its pubsub_token, id and account id.
const profile = await call(agentUrl, "GET", "/api/v1/profile", null, { api_access_token: sam.access_token });
const consumer = createConsumer(agentUrl.replace(/^http/, "ws") + "/cable");
const room = subscribe(consumer, { channel: "RoomChannel", pubsub_token: profile.pubsub_token, account_id: profile.account_id, user_id: profile.id });

await check("profile.forCable", () => {
    if (profile.id !== sam.id || profile.account_id !== 1 || typeof profile.pubsub_token !== "string" || profile.access_token !== sam.access_token)
        throw new Error(JSON.stringify(profile));
});
await check("agent.subscribe.confirmed", () => until(() => room.confirmed || room.rejected, "confirmation").then(() => {
    if (!room.confirmed) throw new Error("rejected");
}));
await check("agent.presence.onSubscribe", async () => {
    const presence = await event(room, "presence.update");
    if (presence.data.account_id !== 1 || typeof presence.data.users !== "object" || typeof presence.data.contacts !== "object")
        throw new Error(JSON.stringify(presence.data));
});

// A customer of Sam's inbox writes.
const ann = await asCustomer(inbox, "POST", "/contacts", { name: "Ann (agent cable)" });
const conversation = await asCustomer(inbox, "POST", `/contacts/${ann.source_id}/conversations`, {});
await asCustomer(inbox, "POST", `/contacts/${ann.source_id}/conversations/${conversation.id}/messages`, { content: "Hello, Sam?" });
await check("agent.conversation.created", () => event(room, "conversation.created", d => d.id === conversation.id).then(() => null));
await check("agent.message.created.customer", async () => {
    const m = await event(room, "message.created", d => d.content === "Hello, Sam?");
    if (m.data.message_type !== 0 || m.data.sender_type !== "Contact" || m.data.conversation_id !== conversation.id || m.data.account_id !== 1)
        throw new Error(JSON.stringify(m.data));
});

// The administrator: a private note, an assignment to Sam, a resolution (the application API, as a bot would).
const path = `/accounts/1/conversations/${conversation.id}`;
await asAdmin("POST", `${path}/messages`, { content: "note: VIP customer", private: true });
await check("agent.privateNote", async () => {
    const m = await event(room, "message.created", d => d.content === "note: VIP customer");
    if (m.data.private !== true || m.data.sender_type !== "User") throw new Error(JSON.stringify(m.data));
});
await asAdmin("POST", `${path}/assignments`, { assignee_id: sam.id });
await check("agent.assignee.changed", async () => {
    const c = await event(room, "assignee.changed", d => d.id === conversation.id);
    if (c.data.assignee_id !== sam.id) throw new Error(JSON.stringify(c.data));
});
await asAdmin("POST", `${path}/toggle_status`, { status: "resolved" });
await check("agent.conversation.status_changed", async () => {
    const c = await event(room, "conversation.status_changed", d => d.id === conversation.id);
    if (c.data.status !== "resolved") throw new Error(JSON.stringify(c.data));
});

// Bob writes in the inbox Sam is not in, then Ann again: once Ann's arrives, Bob's would have come before it.
const bob = await asCustomer(elsewhere.identifier, "POST", "/contacts", { name: "Bob (elsewhere)" });
const bobs = await asCustomer(elsewhere.identifier, "POST", `/contacts/${bob.source_id}/conversations`, { message: { content: "Bob elsewhere" } });
await asCustomer(inbox, "POST", `/contacts/${ann.source_id}/conversations/${conversation.id}/messages`, { content: "barrier" });
await check("agent.isolation.otherInbox", async () => {
    await event(room, "message.created", d => d.content === "barrier");
    const leaked = room.received.filter(m => m.data?.id === bobs.id && m.event?.startsWith("conversation.")
        || m.data?.conversation_id === bobs.id || JSON.stringify(m).includes("Bob elsewhere"));
    if (leaked.length) throw new Error(JSON.stringify(leaked));
});
await check("agent.contactCredentials.never", () => {
    const all = JSON.stringify(sockets.map(s => s.frames));
    if (all.includes(ann.source_id) || all.includes(ann.pubsub_token)) throw new Error("a customer's credentials reached the agent");
});

// Deactivated: the server tells the client it is no longer authorized and closes; the client does not come back.
await asAdmin("PATCH", `/agents/${sam.id}`, { active: false });
await check("agent.revoked.disconnect", async () => {
    const frame = await until(() => sockets[0].frames.find(f => f.type === "disconnect"), "disconnect");
    if (frame.reason !== "unauthorized" || frame.reconnect !== false) throw new Error(JSON.stringify(frame));
    await until(() => room.disconnects.length > 0, "the subscription's disconnected callback");
    if (room.disconnects.some(d => d.willAttemptReconnect)) throw new Error(JSON.stringify(room.disconnects));
    await until(() => sockets[0].readyState === WS.CLOSED, "the socket closed");
});
await check("agent.revoked.subscribeRejected", async () => {
    const again = createConsumer(agentUrl.replace(/^http/, "ws") + "/cable");
    const retry = subscribe(again, { channel: "RoomChannel", pubsub_token: profile.pubsub_token, account_id: 1, user_id: profile.id });
    await until(() => retry.rejected || retry.confirmed, "an answer");
    again.disconnect();
    if (!retry.rejected) throw new Error("confirmed");
});

consumer.disconnect();
finish();
