// ChatHub driven by a Chatwoot SDK from npm that nobody here wrote (@figuro/chatwoot-sdk, axios underneath), as an
// integrator would use it: only its basePath points at ChatHub, no header is forced on it and nothing of it is patched.
// /cable is @rails/actioncable, as Chatwoot's widget and dashboard use it, with the tokens the SDK's calls returned
// (the contact's pubsub_token from the client API, the agent's from GET /api/v1/profile). Webhooks go to a real
// receiver on loopback started here, which verifies each delivery's signature as a Chatwoot receiver does.
// Run by Server.Tests/Chatwoot/ChatwootSdkTests.cs; by hand:
//
//   SDK_URL=http://127.0.0.1:5000 SDK_INBOX=... SDK_ADMIN_TOKEN=... node chatwoot-sdk-test.mjs
//
// (the server must allow webhooks to private networks: Webhooks:AllowPrivateNetworks=true).
//
// The flow: the administrator's integration (a bot) registers a webhook; Sam, an agent of the inbox, opens the
// dashboard (profile, /cable); Ann, a customer, writes through the client API; the bot answers and writes a private
// note through the application API; the conversation is listed with every assignee_type, assigned to Sam, labelled
// and resolved; the webhook is updated and deleted. Every expected shape is Chatwoot's (its jbuilder views and
// models, see docs/chatwoot.md and /work/shared/CHATWOOT.md).
//
// Prints one JSON line per check, {"check": name, "ok": bool, "detail": ...}, stops at the first failed check, and
// exits 0 only if every check passed. Nothing waits for a fixed time: that something never arrived is shown by a
// later event on the same stream arriving first (a stream is delivered in order).

import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import WS from "ws";
import { adapters, createConsumer } from "@rails/actioncable";
import sdk from "@figuro/chatwoot-sdk";
import { checkRun } from "./checks.mjs";

const ChatwootClient = sdk.default;
const DEADLINE_MS = 60_000;
const WAIT_MS = 15_000;

const baseUrl = (process.env.SDK_URL ?? "").replace(/\/+$/, "");
const inboxIdentifier = process.env.SDK_INBOX;
const adminToken = process.env.SDK_ADMIN_TOKEN;
if (!baseUrl || !inboxIdentifier || !adminToken) {
    console.error("needs SDK_URL, SDK_INBOX, SDK_ADMIN_TOKEN");
    process.exit(2);
}

// ---------------------------------------------------------------- results

const { report, finish } = checkRun({ client: "@figuro/chatwoot-sdk", deadlineMs: DEADLINE_MS, onFinish: () => receiver?.close() });

/** Runs one check; the first failure ends the run (later checks build on earlier ones). */
async function check(name, body) {
    try {
        report(name, true, (await body()) ?? null);
    } catch (error) {
        const detail = error?.body !== undefined ? `${error.status} ${JSON.stringify(error.body)} ${error.stack}` : String(error?.stack ?? error);
        report(name, false, detail);
        finish();
    }
}
function expect(condition, what, value) {
    if (!condition) throw new Error(`${what}: ${JSON.stringify(value)}`);
}
/** Exactly these keys, at least: each must be present (the value may be null where Chatwoot allows it). */
function hasKeys(object, keys, what) {
    expect(object && typeof object === "object", `${what} is an object`, object);
    const missing = keys.filter(k => !(k in object));
    expect(missing.length === 0, `${what} lacks ${missing.join(", ")}`, object);
}
const isInt = v => Number.isInteger(v);
const isDateTime = v => typeof v === "string" && !Number.isNaN(Date.parse(v));

function until(predicate, what) {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = () => {
            let found;
            try { found = predicate(); } catch (error) { return reject(error); }
            if (found) return resolve(found);
            if (Date.now() - started > WAIT_MS) return reject(new Error(`timed out waiting for ${what}`));
            setTimeout(poll, 20);
        };
        poll();
    });
}

// ---------------------------------------------------------------- the SDK, as an integrator configures it

// The customer's side (the client API needs no token) and the bot's side (the administrator's access token).
const customer = new ChatwootClient({ config: { basePath: baseUrl } });
const bot = new ChatwootClient({ config: { basePath: baseUrl, token: adminToken } });
const ACCOUNT = 1;
// Names unique to this run, so the script can run again against the same server.
const RUN = Date.now().toString(36);
const ANN_EMAIL = `ann.${RUN}@example.com`;
const LABEL = `sdk-vip-${RUN}`;

// What the SDK does not offer (ChatHub's own administration, Chatwoot's label management), plain HTTP.
async function call(method, path, body, token = adminToken) {
    const response = await fetch(baseUrl + path, {
        method, headers: { "content-type": "application/json", api_access_token: token }, body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
}

// ---------------------------------------------------------------- /cable, as @rails/actioncable runs under Node

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
const cableUrl = baseUrl.replace(/^http/, "ws") + "/cable";

function subscribe(params) {
    const consumer = createConsumer(cableUrl);
    const sub = { consumer, received: [], confirmed: false, rejected: false };
    sub.subscription = consumer.subscriptions.create(params, {
        connected() { sub.confirmed = true; },
        rejected() { sub.rejected = true; },
        received(data) { sub.received.push(data); },
    });
    return sub;
}
const cableEvent = (sub, name, match = () => true) =>
    until(() => sub.received.find(m => m.event === name && match(m.data)), `${name} on /cable`);
async function confirmed(sub) {
    await until(() => sub.confirmed || sub.rejected, "an answer to subscribe");
    expect(sub.confirmed, "subscription confirmed", "rejected");
}

// ---------------------------------------------------------------- the webhook receiver (a real one, on loopback)

const deliveries = [];
const receiver = createServer((request, response) => {
    const chunks = [];
    request.on("data", chunk => chunks.push(chunk));
    request.on("end", () => {
        deliveries.push({ headers: request.headers, raw: Buffer.concat(chunks).toString("utf8") });
        response.writeHead(200).end();
    });
});
await new Promise(resolve => receiver.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/chatwoot`;

/** As a Chatwoot receiver verifies a delivery: sha256=HMAC(secret, "<X-Chatwoot-Timestamp>.<raw body>"). */
function signedBy(delivery, secret) {
    const expected = "sha256=" + createHmac("sha256", secret).update(`${delivery.headers["x-chatwoot-timestamp"]}.${delivery.raw}`).digest("hex");
    const got = String(delivery.headers["x-chatwoot-signature"] ?? "");
    return got.length === expected.length && timingSafeEqual(Buffer.from(got), Buffer.from(expected));
}
const webhookBody = d => JSON.parse(d.raw);
/** The body of the first delivery of event <name> that matches. */
const delivered = (name, match = () => true) =>
    until(() => deliveries.map(webhookBody).find(b => b.event === name && match(b)), `webhook ${name}`);

// ---------------------------------------------------------------- the run

// Chatwoot's records, by the keys an integration reads (jbuilder views / models named beside each).
const PUBLIC_CONTACT = ["id", "source_id", "pubsub_token", "name", "email"]; // public inboxes/contacts/create + models/_contact
const PUBLIC_CONVERSATION = ["id", "uuid", "inbox_id", "status", "contact_last_seen_at", "agent_last_seen_at", "messages", "contact"]; // public _conversation
// public _message (attachments only when there are some; no echo_id: that is in push data)
const MESSAGE = ["id", "content", "message_type", "content_type", "content_attributes", "created_at", "conversation_id", "sender"];
const PUSH_MESSAGE = [...MESSAGE, "account_id", "inbox_id", "updated_at", "private", "status", "source_id", "sender_type", "sender_id"]; // Message#push_event_data
const AGENT = ["id", "account_id", "availability_status", "auto_offline", "confirmed", "email", "available_name", "name", "role", "thumbnail"]; // api/v1/models/_agent
const CONVERSATION = ["id", "account_id", "uuid", "inbox_id", "status", "messages", "meta", "labels", "unread_count", "can_reply",
    "agent_last_seen_at", "contact_last_seen_at", "created_at", "timestamp", "custom_attributes", "additional_attributes",
    "snoozed_until", "priority", "muted"]; // api/v1/conversations/partials/_conversation
// accounts/webhooks/_webhook, without `name` (ChatHub's webhooks have none: docs/chatwoot.md, What still differs)
const WEBHOOK = ["id", "url", "subscriptions", "account_id"];

// 1. The bot registers its webhook for every event (Chatwoot's webhooks API, through the SDK).
const EVENTS = ["conversation_created", "conversation_status_changed", "conversation_updated", "contact_created", "contact_updated",
    "message_created", "message_updated"];
let webhook;
await check("sdk.webhooks.create", async () => {
    const answer = await bot.webhooks.create({ accountId: ACCOUNT, data: { url: receiverUrl, subscriptions: EVENTS } });
    webhook = answer?.payload?.webhook;
    hasKeys(webhook, [...WEBHOOK, "secret"], "payload.webhook");
    expect(webhook.url === receiverUrl && webhook.account_id === ACCOUNT && EVENTS.every(e => webhook.subscriptions.includes(e)), "the webhook", webhook);
});
await check("sdk.webhooks.list", async () => {
    const answer = await bot.webhooks.list({ accountId: ACCOUNT });
    const found = answer?.payload?.webhooks?.find(w => w.id === webhook.id);
    hasKeys(found, WEBHOOK, "payload.webhooks[]");
    expect(found.url === receiverUrl, "listed url", found);
});

// 2. Sam, an agent of the inbox, created by the administrator in ChatHub's own administration (the SDK's
// agents.create is Chatwoot's POST /accounts/{id}/agents, which ChatHub does not serve), opens the dashboard.
const inboxes = await call("GET", "/api/v1/inboxes");
const inbox = inboxes.find(i => i.identifier === inboxIdentifier);
const samAccount = await call("POST", "/api/v1/agents", { name: "Sam (sdk)", email: `sam-${Date.now()}@example.com`, role: "agent" });
await call("POST", `/api/v1/inboxes/${inbox.id}/members`, { agent_ids: [samAccount.id] });
const sam = new ChatwootClient({ config: { basePath: baseUrl, token: samAccount.access_token } });

let profile;
await check("sdk.profile", async () => {
    profile = await sam.profile.profile();
    hasKeys(profile, ["id", "account_id", "name", "available_name", "email", "role", "pubsub_token", "access_token", "accounts", "uid",
        "confirmed", "avatar_url"], "profile"); // api/v1/models/_user
    expect(profile.id === samAccount.id && profile.account_id === ACCOUNT && profile.role === "agent"
        && profile.access_token === samAccount.access_token && typeof profile.pubsub_token === "string", "Sam's profile", profile);
    expect(profile.accounts.some(a => a.id === ACCOUNT && a.role === "agent"), "accounts[] with account 1", profile.accounts);
});
await check("sdk.agents.list", async () => {
    const agents = await bot.agents.list({ accountId: ACCOUNT });
    expect(Array.isArray(agents), "an array", agents);
    const found = agents.find(a => a.id === samAccount.id);
    hasKeys(found, AGENT, "agent");
    expect(found.name === "Sam (sdk)" && found.role === "agent" && found.account_id === ACCOUNT, "Sam in the list", found);
});
await check("sdk.inboxes.list+get", async () => {
    const list = await bot.inboxes.list({ accountId: ACCOUNT });
    const listed = list?.payload?.find(i => i.id === inbox.id);
    hasKeys(listed, ["id", "name", "channel_type", "channel_id", "greeting_enabled", "working_hours_enabled", "timezone"], "inbox"); // _inbox
    expect(listed.channel_type === "Channel::WebWidget", "channel_type", listed);
    const one = await bot.inboxes.get({ accountId: ACCOUNT, id: inbox.id });
    expect(one.id === inbox.id && one.name === listed.name, "GET inboxes/{id}/ (the SDK's trailing slash)", one);
});

await check("sdk.inboxes.listAgents", async () => {
    const members = await bot.inboxes.listAgents({ accountId: ACCOUNT, inboxId: inbox.id }); // inbox_members/show
    const found = members?.payload?.find(a => a.id === samAccount.id);
    hasKeys(found, AGENT, "payload[] (_agent)");
    expect(found.name === "Sam (sdk)" && found.role === "agent", "Sam, a member", found);
});

const dashboard = subscribe({ channel: "RoomChannel", pubsub_token: profile.pubsub_token, account_id: profile.account_id, user_id: profile.id });
await check("cable.agent.subscribed", () => confirmed(dashboard));

// 3. Ann writes through the client API (as the client-api-demo, with the SDK's client namespace).
let ann, conversation, incoming;
await check("sdk.client.contacts.create", async () => {
    ann = await customer.client.contacts.create({ inboxIdentifier, data: { name: "Ann (sdk)", email: ANN_EMAIL } });
    hasKeys(ann, PUBLIC_CONTACT, "contact");
    expect(isInt(ann.id) && ann.name === "Ann (sdk)" && ann.email === ANN_EMAIL && typeof ann.source_id === "string"
        && typeof ann.pubsub_token === "string", "the contact", ann);
});
await check("sdk.client.contacts.get+update", async () => {
    const got = await customer.client.contacts.get({ inboxIdentifier, contactIdentifier: ann.source_id });
    expect(got.id === ann.id && got.source_id === ann.source_id && got.pubsub_token === ann.pubsub_token, "GET contact", got);
    // Chatwoot answers the update as the create (source_id and the public _contact: no phone number); the
    // application API shows the number below.
    const updated = await customer.client.contacts.update({ inboxIdentifier, contactIdentifier: ann.source_id, data: { phone_number: "+15550100" } });
    hasKeys(updated, PUBLIC_CONTACT, "contact");
    expect(updated.id === ann.id && updated.source_id === ann.source_id && updated.name === "Ann (sdk)", "PATCH contact", updated);
});
const widget = subscribe({ channel: "RoomChannel", pubsub_token: ann.pubsub_token });
await check("cable.contact.subscribed", () => confirmed(widget));

// The SDK posts no body here, and axios still labels the request application/x-www-form-urlencoded.
await check("sdk.client.conversations.create (body-less)", async () => {
    conversation = await customer.client.conversations.create({ inboxIdentifier, contactIdentifier: ann.source_id });
    hasKeys(conversation, PUBLIC_CONVERSATION, "conversation");
    expect(isInt(conversation.id) && conversation.inbox_id === inbox.id && conversation.status === "open"
        && isInt(conversation.contact_last_seen_at) && isInt(conversation.agent_last_seen_at)
        && Array.isArray(conversation.messages) && conversation.messages.length === 0, "a new open conversation", conversation);
    expect(conversation.contact?.id === ann.id && conversation.contact.name === "Ann (sdk)", "its contact record", conversation.contact);
    expect(!("source_id" in conversation.contact) && !("pubsub_token" in conversation.contact), "no credential in contact", conversation.contact);
});
await check("sdk.client.messages.create", async () => {
    incoming = await customer.client.messages.create({ inboxIdentifier, contactIdentifier: ann.source_id, conversationId: conversation.id,
        data: { content: "Hello, is anyone there?", echo_id: "sdk-echo-1" } });
    hasKeys(incoming, MESSAGE, "message");
    expect(incoming.message_type === 0 && incoming.content === "Hello, is anyone there?" && incoming.conversation_id === conversation.id
        && incoming.content_type === "text" && isInt(incoming.created_at)
        && JSON.stringify(incoming.content_attributes) === "{}", "an incoming text message", incoming);
    expect(incoming.sender?.type === "contact" && incoming.sender.id === ann.id, "sender: the contact's push data", incoming.sender);
});
await check("cable.contact.message.created.own", async () => {
    const m = await cableEvent(widget, "message.created", d => d.id === incoming.id);
    hasKeys(m.data, PUSH_MESSAGE, "push data");
    expect(m.data.message_type === 0 && m.data.echo_id === "sdk-echo-1" && m.data.account_id === ACCOUNT && isDateTime(m.data.updated_at),
        "the contact's own message, with its echo_id", m.data);
});
await check("cable.agent.conversation.created", () => cableEvent(dashboard, "conversation.created", d => d.id === conversation.id).then(() => null));
await check("cable.agent.message.created", async () => {
    const m = await cableEvent(dashboard, "message.created", d => d.id === incoming.id);
    hasKeys(m.data, PUSH_MESSAGE, "push data");
    expect(m.data.message_type === 0 && m.data.sender_type === "Contact" && m.data.conversation_id === conversation.id
        && m.data.sender?.type === "contact", "the customer's message", m.data);
});

// 4. The bot sees it: contacts, the conversation, the messages (application API).
await check("sdk.contacts.search+get+listConversations", async () => {
    const found = await bot.contacts.search({ accountId: ACCOUNT, q: ANN_EMAIL });
    hasKeys(found, ["meta", "payload"], "search");
    expect(found.payload.length === 1 && found.payload[0].id === ann.id, "the one contact found", found);
    const record = await bot.contacts.get({ accountId: ACCOUNT, id: ann.id });
    hasKeys(record?.payload, ["id", "name", "email", "phone_number", "identifier", "thumbnail", "custom_attributes", "additional_attributes",
        "created_at", "contact_inboxes"], "payload (_contact)");
    expect(record.payload.phone_number === "+15550100", "the updated phone number", record.payload);
    const conversations = await bot.contacts.listConversations({ accountId: ACCOUNT, id: ann.id });
    expect(conversations.payload.some(c => c.id === conversation.id), "her conversation", conversations);
    const all = JSON.stringify([found, record, conversations]);
    expect(!all.includes(ann.source_id) && !all.includes(ann.pubsub_token), "no contact credential reaches an agent", "");
});

// 5. Listing, as a dashboard lists, with every assignee_type: nobody is assigned yet.
async function listing(client, assigneeType) {
    const answer = await client.conversations.list({ accountId: ACCOUNT, assigneeType });
    hasKeys(answer?.data, ["meta", "payload"], `data (assignee_type=${assigneeType})`);
    hasKeys(answer.data.meta, ["mine_count", "assigned_count", "unassigned_count", "all_count"], "data.meta");
    return { meta: answer.data.meta, ids: answer.data.payload.map(c => c.id), payload: answer.data.payload };
}
await check("sdk.conversations.list.unassigned", async () => {
    const all = await listing(sam, "all"), unassigned = await listing(sam, "unassigned");
    const me = await listing(sam, "me"), assigned = await listing(sam, "assigned");
    const listed = all.payload.find(c => c.id === conversation.id);
    hasKeys(listed, CONVERSATION, "conversation (_conversation)");
    hasKeys(listed.meta, ["sender", "channel", "hmac_verified"], "conversation.meta");
    expect(listed.meta.sender.id === ann.id && listed.meta.channel === "Channel::WebWidget" && !listed.meta.assignee, "meta", listed.meta);
    expect(listed.messages.length === 1 && listed.messages[0].id === incoming.id, "messages: [last message]", listed.messages);
    expect(unassigned.ids.includes(conversation.id) && !me.ids.includes(conversation.id) && !assigned.ids.includes(conversation.id),
        "only under all and unassigned", { unassigned: unassigned.ids, me: me.ids, assigned: assigned.ids });
    expect(all.meta.all_count === all.meta.unassigned_count + all.meta.assigned_count && all.meta.mine_count === 0, "counts", all.meta);
    for (const other of [unassigned, me, assigned])
        expect(JSON.stringify(other.meta) === JSON.stringify(all.meta), "the same counts whatever the assignee_type", [all.meta, other.meta]);
});

// 6. The bot answers and writes a private note (messages.create posts multipart, as the SDK always does).
let note, reply;
await check("sdk.messages.create.private", async () => {
    note = await bot.messages.create({ accountId: ACCOUNT, conversationId: conversation.id,
        data: { content: "note: asked about pricing", message_type: "outgoing", private: true } });
    hasKeys(note, PUSH_MESSAGE, "message");
    expect(note.private === true && note.message_type === 1 && note.sender_type === "User" && note.conversation_id === conversation.id, "a private note", note);
});
await check("sdk.messages.create.outgoing", async () => {
    reply = await bot.messages.create({ accountId: ACCOUNT, conversationId: conversation.id,
        data: { content: "Hi Ann, how can we help?", message_type: "outgoing" } });
    hasKeys(reply, PUSH_MESSAGE, "message");
    expect(reply.private === false && reply.message_type === 1 && reply.sender_type === "User" && reply.sender?.type === "user"
        && reply.sender.id === 1 && reply.content === "Hi Ann, how can we help?", "an outgoing reply", reply);
});
// The SDK's file messages (its README): attachments from base64, sent as multipart attachments[].
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const ATTACHMENT = ["id", "message_id", "file_type", "account_id", "data_url", "thumb_url", "file_size"]; // Attachment#push_event_data
let withFile;
await check("sdk.messages.create.attachment", async () => {
    withFile = await bot.messages.create({ accountId: ACCOUNT, conversationId: conversation.id,
        data: { content: "Here is our price list", attachments: [{ content: PNG, encoding: "base64", filename: "prices.png" }] } });
    expect(withFile.message_type === 1 && withFile.attachments?.length === 1, "one attachment", withFile);
    const file = withFile.attachments[0];
    hasKeys(file, ATTACHMENT, "attachment");
    expect(file.message_id === withFile.id && file.file_type === "image" && file.file_size === Buffer.from(PNG, "base64").length,
        "the image", file);
    const download = await fetch(new URL(file.data_url, baseUrl));
    expect(download.ok && Buffer.from(await download.arrayBuffer()).equals(Buffer.from(PNG, "base64")), "data_url serves the file",
        download.status);
});
await check("cable.contact.message.created.attachment", async () => {
    const m = await cableEvent(widget, "message.created", d => d.id === withFile.id);
    expect(m.data.attachments?.length === 1 && m.data.attachments[0].file_type === "image", "the attachment on /cable", m.data);
});

await check("cable.contact.message.created.reply", async () => {
    const m = await cableEvent(widget, "message.created", d => d.id === reply.id);
    expect(m.data.message_type === 1 && m.data.sender_type === "User" && m.data.sender?.type === "user" && typeof m.data.sender.name === "string",
        "the agent's reply as the widget reads it", m.data);
    // The note was written before the reply, so it would have arrived first.
    const leaked = widget.received.filter(r => r.data?.id === note.id || r.data?.private === true);
    expect(leaked.length === 0, "no private note to the contact", leaked);
});
await check("cable.agent.message.created.private", async () => {
    const m = await cableEvent(dashboard, "message.created", d => d.id === note.id);
    expect(m.data.private === true && m.data.sender_type === "User", "the private note", m.data);
});
await check("sdk.messages.list", async () => {
    const answer = await bot.messages.list({ accountId: ACCOUNT, conversationId: conversation.id });
    hasKeys(answer, ["meta", "payload"], "messages");
    hasKeys(answer.meta, ["labels", "additional_attributes", "contact", "agent_last_seen_at", "assignee_last_seen_at"], "messages.meta");
    const ids = answer.payload.map(m => m.id);
    expect([incoming.id, note.id, reply.id].every((id, i, all) => ids.includes(id) && (i === 0 || ids.indexOf(all[i - 1]) < ids.indexOf(id))),
        "incoming, note, reply in order", ids);
});
await check("sdk.client.messages.list", async () => {
    const messages = await customer.client.messages.list({ inboxIdentifier, contactIdentifier: ann.source_id, conversationId: conversation.id });
    expect(Array.isArray(messages), "an array", messages);
    const ids = messages.map(m => m.id);
    expect(ids.includes(incoming.id) && ids.includes(reply.id) && !ids.includes(note.id), "without the private note", ids);
    expect(messages.find(m => m.id === reply.id).message_type === 1, "the reply is outgoing", messages);
});
await check("sdk.client.conversations.list", async () => {
    const conversations = await customer.client.conversations.list({ inboxIdentifier, contactIdentifier: ann.source_id });
    const mine = conversations.find(c => c.id === conversation.id);
    hasKeys(mine, PUBLIC_CONVERSATION, "conversation");
    expect(!mine.messages.some(m => m.private), "no private message in the contact's view", mine.messages);
});

// 7. The bot assigns the conversation to Sam.
await check("sdk.conversationAssignment.assign", async () => {
    const agent = await bot.conversationAssignment.assign({ accountId: ACCOUNT, conversationId: conversation.id, data: { assignee_id: samAccount.id } });
    hasKeys(agent, AGENT, "the assignee (_agent)");
    expect(agent.id === samAccount.id && agent.name === "Sam (sdk)", "Sam", agent);
});
await check("cable.agent.assignee.changed", async () => {
    const c = await cableEvent(dashboard, "assignee.changed", d => d.id === conversation.id);
    expect(c.data.meta?.assignee?.id === samAccount.id, "meta.assignee is Sam", c.data);
});
await check("sdk.conversations.list.assigned", async () => {
    const all = await listing(sam, "all"), unassigned = await listing(sam, "unassigned");
    const me = await listing(sam, "me"), assigned = await listing(sam, "assigned");
    const botsOwn = await listing(bot, "me");
    expect(me.ids.includes(conversation.id) && assigned.ids.includes(conversation.id) && all.ids.includes(conversation.id)
        && !unassigned.ids.includes(conversation.id) && !botsOwn.ids.includes(conversation.id),
        "Sam's (me) and assigned, not unassigned nor the administrator's own",
        { all: all.ids, me: me.ids, assigned: assigned.ids, unassigned: unassigned.ids, adminMe: botsOwn.ids });
    expect(me.meta.mine_count >= 1 && me.meta.mine_count === me.ids.length && assigned.meta.assigned_count === assigned.ids.length
        && unassigned.meta.unassigned_count === unassigned.ids.length && all.meta.all_count === all.ids.length, "counts match the lists", me.meta);
    const listed = me.payload.find(c => c.id === conversation.id);
    hasKeys(listed.meta.assignee, AGENT, "meta.assignee (_agent)");
    expect(listed.meta.assignee.id === samAccount.id, "meta.assignee is Sam", listed.meta.assignee);
});
await check("sdk.conversations.getMeta", async () => {
    const answer = await sam.conversations.getMeta({ accountId: ACCOUNT });
    const all = await listing(sam, "all");
    hasKeys(answer?.meta, ["mine_count", "assigned_count", "unassigned_count", "all_count"], "meta");
    expect(JSON.stringify(answer.meta) === JSON.stringify(all.meta), "the list's counts", [answer.meta, all.meta]);
});

// 8. Labels: the account's label is set up in Chatwoot's labels API (the SDK has no labels service), then the bot
// labels the conversation through the SDK.
await call("POST", "/api/v1/accounts/1/labels", { title: LABEL, description: "from the SDK test", color: "#1f93ff" });
await check("sdk.conversationLabels.add+list", async () => {
    const added = await bot.conversationLabels.add({ accountId: ACCOUNT, conversationId: conversation.id, data: { labels: [LABEL] } });
    expect(JSON.stringify(added?.payload) === JSON.stringify([LABEL]), "payload: the titles", added);
    const listed = await bot.conversationLabels.list({ accountId: ACCOUNT, conversationId: conversation.id });
    expect(JSON.stringify(listed?.payload) === JSON.stringify([LABEL]), "payload: the titles", listed);
});

// 9. Status: resolved, then open again.
await check("sdk.conversations.toggleStatus.resolved", async () => {
    const answer = await bot.conversations.toggleStatus({ accountId: ACCOUNT, conversationId: conversation.id, data: { status: "resolved" } });
    hasKeys(answer?.payload, ["success", "current_status", "conversation_id"], "payload");
    expect(answer.payload.success === true && answer.payload.current_status === "resolved" && answer.payload.conversation_id === conversation.id,
        "resolved", answer);
});
await check("cable.contact.conversation.status_changed", async () => {
    const c = await cableEvent(widget, "conversation.status_changed", d => d.id === conversation.id);
    expect(c.data.status === "resolved", "resolved", c.data);
});
await check("cable.agent.conversation.status_changed", async () => {
    const c = await cableEvent(dashboard, "conversation.status_changed", d => d.id === conversation.id);
    expect(c.data.status === "resolved", "resolved", c.data);
});
await check("sdk.conversations.get", async () => {
    const c = await sam.conversations.get({ accountId: ACCOUNT, conversationId: conversation.id });
    hasKeys(c, CONVERSATION, "conversation (_conversation)");
    expect(c.status === "resolved" && c.meta?.assignee?.id === samAccount.id && JSON.stringify(c.labels) === JSON.stringify([LABEL]),
        "resolved, Sam's, labelled", c);
    expect(!JSON.stringify(c).includes(ann.source_id) && !JSON.stringify(c).includes(ann.pubsub_token), "no contact credential", "");
});
await check("sdk.conversations.toggleStatus.open", async () => {
    const answer = await bot.conversations.toggleStatus({ accountId: ACCOUNT, conversationId: conversation.id, data: { status: "open" } });
    expect(answer?.payload?.current_status === "open", "open again", answer);
});

// 10. A bot opens an outbound conversation with Ann (POST /conversations with a first message).
await check("sdk.conversations.create", async () => {
    const c = await bot.conversations.create({ accountId: ACCOUNT,
        data: { inbox_id: inbox.id, contact_id: ann.id, message: { content: "Following up on your question" } } });
    hasKeys(c, CONVERSATION, "conversation (_conversation)");
    expect(c.id !== conversation.id && c.inbox_id === inbox.id && c.meta?.sender?.id === ann.id
        && c.messages?.[0]?.content === "Following up on your question" && c.messages[0].message_type === 1, "the new conversation", c);
});

// 11. What the webhook received, verified as a Chatwoot receiver verifies it.
await check("webhook.signed", async () => {
    await delivered("conversation_status_changed", b => b.id === conversation.id && b.status === "open");
    const unsigned = deliveries.filter(d => !signedBy(d, webhook.secret) || !d.headers["x-chatwoot-delivery"]);
    expect(deliveries.length > 0 && unsigned.length === 0, "every delivery signed", unsigned.map(d => d.headers));
});
await check("webhook.contact_created", async () => {
    const b = await delivered("contact_created", b => b.id === ann.id);
    expect(b.name === "Ann (sdk)" && b.email === ANN_EMAIL && b.account?.id === ACCOUNT, "the contact", b);
});
await check("webhook.conversation_created", async () => {
    const b = await delivered("conversation_created", b => b.id === conversation.id);
    expect(b.inbox_id === inbox.id && b.status === "open" && b.meta?.sender?.id === ann.id, "the conversation", b);
});
await check("webhook.message_created", async () => {
    const inBody = await delivered("message_created", b => b.id === incoming.id);
    expect(inBody.message_type === "incoming" && inBody.content === "Hello, is anyone there?" && inBody.sender?.id === ann.id
        && inBody.conversation?.id === conversation.id && inBody.inbox?.id === inbox.id && inBody.account?.id === ACCOUNT, "incoming", inBody);
    const outBody = await delivered("message_created", b => b.id === reply.id);
    expect(outBody.message_type === "outgoing" && outBody.private === false && outBody.sender?.id === 1, "outgoing", outBody);
    const fileBody = await delivered("message_created", b => b.id === withFile.id);
    expect(fileBody.attachments?.length === 1 && fileBody.attachments[0].file_type === "image", "the attachment in the webhook", fileBody);
    const noteBody = await delivered("message_created", b => b.id === note.id);
    expect(noteBody.private === true, "the private note, private", noteBody);
});
await check("webhook.conversation_updated.assignee", async () => {
    const b = await delivered("conversation_updated", b => b.id === conversation.id
        && (b.changed_attributes ?? []).some(c => "assignee_id" in c));
    const change = b.changed_attributes.find(c => "assignee_id" in c).assignee_id;
    expect(change.current_value === samAccount.id && change.previous_value === null, "assignee_id: null -> Sam", b.changed_attributes);
    expect(b.meta?.assignee?.id === samAccount.id, "meta.assignee", b.meta);
});
await check("webhook.conversation_status_changed", async () => {
    const b = await delivered("conversation_status_changed", b => b.id === conversation.id && b.status === "resolved");
    const change = (b.changed_attributes ?? []).find(c => "status" in c)?.status;
    expect(change?.current_value === "resolved" && change.previous_value === "open", "status: open -> resolved", b.changed_attributes);
});
await check("webhook.noCredentials", () => {
    const all = deliveries.map(d => d.raw).join("\n");
    expect(!all.includes(ann.source_id) && !all.includes(ann.pubsub_token), "no contact credential in a webhook body", "");
});

// 12. The bot changes and then removes its webhook.
await check("sdk.webhooks.update", async () => {
    const answer = await bot.webhooks.update({ accountId: ACCOUNT, webhookId: webhook.id,
        data: { url: receiverUrl + "?v=2", subscriptions: ["message_created"] } });
    const updated = answer?.payload?.webhook;
    hasKeys(updated, WEBHOOK, "payload.webhook");
    expect(updated.id === webhook.id && updated.url === receiverUrl + "?v=2" && JSON.stringify(updated.subscriptions) === '["message_created"]',
        "the changed webhook", updated);
});
await check("sdk.webhooks.delete", async () => {
    await bot.webhooks.delete({ accountId: ACCOUNT, webhookId: webhook.id });
    const answer = await bot.webhooks.list({ accountId: ACCOUNT });
    expect(!answer.payload.webhooks.some(w => w.id === webhook.id), "gone from the list", answer);
});

dashboard.consumer.disconnect();
widget.consumer.disconnect();
finish();
