// Wire-compatibility test of ChatHub's hub (/hubs/chat) against the official @microsoft/signalr JavaScript
// client, a client ChatHub did not write. Run by Server.Tests/JsClient/JsClientTests.cs; by hand:
//
//   node hub-wire-test.mjs --url=http://127.0.0.1:5000 --contact-token=... --other-contact-token=... --agent-token=...
//
// or with the environment variables CHATHUB_URL, CHATHUB_CONTACT_TOKEN, CHATHUB_OTHER_CONTACT_TOKEN,
// CHATHUB_AGENT_TOKEN. The two contacts must be different contacts of an inbox the agent is a member of; the
// first must have no conversation yet.
//
// Prints one JSON line per check, {"check": name, "ok": bool, "detail": ...}, then a summary line
// {"summary": true, ...}, and exits 0 only if every check passed. Every wait has a timeout and the whole run
// has a deadline, so the script never hangs.

import {
    HubConnectionBuilder, HttpTransportType, JsonHubProtocol, LogLevel, VERSION,
} from "@microsoft/signalr";

const DEADLINE_MS = 25_000;
const WAIT_MS = 5_000;
/** How long to wait for something that must NOT arrive, after everything else has been delivered. */
const SETTLE_MS = 400;

// ---------------------------------------------------------------- arguments

function option(name, envName) {
    const prefix = `--${name}=`;
    const arg = process.argv.slice(2).find(a => a.startsWith(prefix));
    return arg ? arg.slice(prefix.length) : process.env[envName];
}

const url = (option("url", "CHATHUB_URL") ?? "").replace(/\/+$/, "");
const contactToken = option("contact-token", "CHATHUB_CONTACT_TOKEN");
const otherContactToken = option("other-contact-token", "CHATHUB_OTHER_CONTACT_TOKEN");
const agentToken = option("agent-token", "CHATHUB_AGENT_TOKEN");
if (!url || !contactToken || !otherContactToken || !agentToken) {
    console.error("usage: node hub-wire-test.mjs --url=URL --contact-token=T --other-contact-token=T --agent-token=T " +
        "(or CHATHUB_URL, CHATHUB_CONTACT_TOKEN, CHATHUB_OTHER_CONTACT_TOKEN, CHATHUB_AGENT_TOKEN)");
    process.exit(2);
}
const hubUrl = `${url}/hubs/chat`;

// ---------------------------------------------------------------- results

const results = [];

function report(check, ok, detail) {
    const line = { check, ok, detail: detail ?? null };
    results.push(line);
    process.stdout.write(JSON.stringify(line) + "\n");
}

function finish() {
    const failed = results.filter(r => !r.ok).map(r => r.check);
    process.stdout.write(JSON.stringify({ summary: true, client: `@microsoft/signalr ${VERSION}`, checks: results.length, failed }) + "\n");
    process.exit(failed.length === 0 ? 0 : 1);
}

const deadline = setTimeout(() => {
    report("script.deadline", false, `the run took longer than ${DEADLINE_MS} ms`);
    finish();
}, DEADLINE_MS);
deadline.unref();

class CheckFailed extends Error {}

function expect(condition, message) {
    if (!condition) throw new CheckFailed(message);
}

/** Runs one check: its function returns the detail or throws. A failed critical check ends the run. */
async function check(name, fn, { critical = false } = {}) {
    try {
        report(name, true, (await fn()) ?? null);
        return true;
    } catch (e) {
        report(name, false, e instanceof CheckFailed ? e.message : `${e?.name ?? "Error"}: ${e?.message ?? e}`);
        if (critical) {
            report("script.aborted", false, `critical check ${name} failed; later checks were not run`);
            await stopAll();
            finish();
        }
        return false;
    }
}

function withTimeout(promise, ms, what) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new CheckFailed(`timed out after ${ms} ms: ${what}`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------- connections

const logger = {
    log(level, message) {
        if (level >= LogLevel.Warning) process.stderr.write(`[signalr ${LogLevel[level]}] ${message}\n`);
    },
};
const silent = { log() {} };

/** The JSON protocol, recording every frame exactly as it came off the wire (the client itself lower-cases
 *  targets, so the raw frames are where names can be checked). */
class RecordingProtocol extends JsonHubProtocol {
    constructor(sink) {
        super();
        this.sink = sink;
    }

    parseMessages(input, log) {
        const messages = super.parseMessages(input, log);
        if (typeof input === "string") {
            for (const frame of input.split("\u001e")) if (frame) this.sink.push(JSON.parse(frame));
        }
        return messages;
    }
}

const CLIENT_METHODS = ["MessageCreated", "MessageUpdated", "ConversationCreated", "ConversationUpdated", "Typing",
    "PresenceChanged", "ContactUpdated", "InboxAvailabilityChanged"];

/** A connection that records every push it receives and lets a check wait for one. */
class Peer {
    constructor(name, connection, frames) {
        this.name = name;
        this.connection = connection;
        this.frames = frames;
        this.events = [];
        this.waiters = [];
        for (const method of CLIENT_METHODS) {
            connection.on(method, (...args) => {
                const event = { method, arg: args[0], argCount: args.length, at: Date.now() };
                this.events.push(event);
                for (const waiter of [...this.waiters]) waiter(event);
            });
        }
    }

    static build(name, url, options, { logging = logger } = {}) {
        const frames = [];
        const connection = new HubConnectionBuilder()
            .withUrl(url, options)
            .withHubProtocol(new RecordingProtocol(frames))
            .configureLogging(logging)
            .build();
        connection.serverTimeoutInMilliseconds = 15_000;
        return new Peer(name, connection, frames);
    }

    invoke(method, ...args) {
        return withTimeout(this.connection.invoke(method, ...args), WAIT_MS, `${this.name} invoke ${method}`);
    }

    /** The first recorded push (past or future) of this method matching the predicate. */
    waitFor(method, predicate = () => true, what = method) {
        const match = e => e.method === method && predicate(e.arg);
        const seen = this.events.find(match);
        if (seen) return Promise.resolve(seen.arg);
        let listener;
        const arrived = new Promise(resolve => {
            listener = e => { if (match(e)) resolve(e.arg); };
            this.waiters.push(listener);
        });
        const recent = () => this.events.slice(-5).map(e => `${e.method} ${JSON.stringify(e.arg)}`.slice(0, 200));
        return withTimeout(arrived, WAIT_MS, `${this.name} waiting for ${what}`)
            .catch(e => { throw new CheckFailed(`${e.message}; last pushes: ${JSON.stringify(recent())}`); })
            .finally(() => { this.waiters = this.waiters.filter(w => w !== listener); });
    }

    pushes(method, predicate = () => true) {
        return this.events.filter(e => e.method === method && predicate(e.arg)).map(e => e.arg);
    }
}

const peers = [];

async function connect(peer) {
    peers.push(peer);
    await withTimeout(peer.connection.start(), WAIT_MS, `${peer.name} start`);
    return peer;
}

async function stopAll() {
    await Promise.allSettled(peers.map(p => withTimeout(p.connection.stop(), 2_000, `${p.name} stop`)));
}

/** Expects a call to fail with an error whose message starts with the code (API.md: "validation: ..."). */
async function rejects(promise, code) {
    try {
        const result = await promise;
        throw new CheckFailed(`expected an error containing "${code}", got the result ${JSON.stringify(result)}`);
    } catch (e) {
        if (e instanceof CheckFailed) throw e;
        const message = String(e?.message ?? e);
        expect(message.startsWith(code), `expected an error starting with "${code}", got: ${message}`);
        return message;
    }
}

/** Expects start() to be refused. */
async function refused(peer) {
    try {
        await withTimeout(peer.connection.start(), WAIT_MS, `${peer.name} start`);
    } catch (e) {
        if (e instanceof CheckFailed) throw e;
        return String(e?.message ?? e);
    } finally {
        await peer.connection.stop().catch(() => {});
    }
    throw new CheckFailed(`${peer.name} connected, expected the connection to be refused`);
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const isUnixSeconds = t => Number.isInteger(t) && Math.abs(t - nowSeconds()) < 300;

// ---------------------------------------------------------------- the run

const contactFactory = { accessTokenFactory: () => contactToken };
const agentFactory = { accessTokenFactory: () => agentToken };
const webSocketsOnly = { skipNegotiation: true, transport: HttpTransportType.WebSockets };

// The customer: negotiation, then whatever transport the client picks (WebSockets); token from accessTokenFactory.
const contact = Peer.build("contact", hubUrl, { ...contactFactory });
// The agent: WebSockets without negotiation.
const agent = Peer.build("agent", hubUrl, { ...agentFactory, ...webSocketsOnly });
// The customer's second device, as a browser connects: access_token in the query string (in Node the client
// itself sends the factory's token as a Bearer header, so this is the only way to exercise the query string).
const contactDevice = Peer.build("contactDevice",
    `${hubUrl}?access_token=${encodeURIComponent(contactToken)}`, { ...webSocketsOnly });
// Another customer, over long polling: must never receive anything of the first customer's conversation.
const stranger = Peer.build("stranger", hubUrl,
    { accessTokenFactory: () => otherContactToken, transport: HttpTransportType.LongPolling });

let conversation;     // StartConversation's answer (contact view)
let firstMessage;     // its first message
let agentMessage;     // the agent's reply (SendMessage's answer)
let privateNote;      // the agent's private note
const agentResults = [];  // every conversation or message the agent got as a call result
const echoId = `js-${Date.now()}-${Math.random().toString(36).slice(2)}`;
const customAttributes = { plan_tier: "gold", SourcePage: "/pricing", nested: { a_b: [1, 2] } };

await check("connect.negotiate", async () => {
    await connect(contact);
    expect(contact.connection.connectionId, "no connection id after negotiation");
    return { connectionId: contact.connection.connectionId, client: VERSION };
}, { critical: true });

await check("connect.skipNegotiation.webSockets", async () => {
    await connect(agent);
    return { state: agent.connection.state };
}, { critical: true });

await check("connect.queryStringToken", async () => {
    await connect(contactDevice);
    return { state: contactDevice.connection.state };
}, { critical: true });

await check("connect.longPolling", async () => {
    await connect(stranger);
    return { state: stranger.connection.state };
}, { critical: true });

await check("ping", async () => {
    const before = Date.now();
    const serverTime = await contact.invoke("Ping", before);
    expect(typeof serverTime === "number", `Ping returned ${JSON.stringify(serverTime)}, expected a number`);
    expect(Math.abs(serverTime - before) < 60_000, `Ping returned ${serverTime}, not Unix milliseconds near ${before}`);
    return { serverTime, roundTripMs: Date.now() - before };
});

await check("startConversation", async () => {
    conversation = await contact.invoke("StartConversation",
        { customAttributes, message: { content: "Hello from the JS client", echoId } });
    expect(conversation && Number.isInteger(conversation.id), `no conversation id in ${JSON.stringify(conversation)}`);
    expect(conversation.status === "open", `status ${conversation.status}, expected open`);
    expect(Array.isArray(conversation.messages) && conversation.messages.length === 1,
        `expected the first message in messages, got ${JSON.stringify(conversation.messages)}`);
    firstMessage = conversation.messages[0];
    expect(firstMessage.content === "Hello from the JS client", `content ${JSON.stringify(firstMessage.content)}`);
    expect(firstMessage.echoId === echoId, `echoId ${firstMessage.echoId}, expected ${echoId}`);
    expect(firstMessage.seq === 1, `first message seq ${firstMessage.seq}, expected 1`);
    expect(firstMessage.messageType === 0, `messageType ${firstMessage.messageType}, expected 0 (incoming)`);
    expect(firstMessage.sender?.type === "contact", `sender ${JSON.stringify(firstMessage.sender)}`);
    expect(firstMessage.conversationId === conversation.id, "message.conversationId differs from the conversation's id");
    return { conversationId: conversation.id, seq: conversation.seq };
}, { critical: true });

await check("startConversation.customAttributes", async () => {
    // Dictionary keys are user data: the camelCase naming policy must not rename them.
    expect(JSON.stringify(conversation.customAttributes) === JSON.stringify(customAttributes),
        `customAttributes came back as ${JSON.stringify(conversation.customAttributes)}`);
});

await check("agent.conversationCreated", async () => {
    const created = await agent.waitFor("ConversationCreated", c => c.id === conversation.id);
    expect(created.contactId === conversation.contactId, `contactId ${created.contactId}`);
    expect(created.status === "open", `status ${created.status}`);
    expect(typeof created.uuid === "string" && created.uuid.length > 0, "no uuid");
    return { id: created.id, inboxId: created.inboxId, seq: created.seq };
});

await check("agent.messageCreated", async () => {
    const pushed = await agent.waitFor("MessageCreated", m => m.id === firstMessage.id);
    expect(pushed.seq === firstMessage.seq, `seq ${pushed.seq}, expected ${firstMessage.seq}`);
    expect(pushed.echoId === echoId, `echoId ${pushed.echoId}, expected ${echoId}`);
    expect(pushed.content === firstMessage.content, `content ${pushed.content}`);
    expect(pushed.sender?.type === "contact" && pushed.sender.id === conversation.contactId,
        `sender ${JSON.stringify(pushed.sender)}`);
    return { id: pushed.id, seq: pushed.seq, echoId: pushed.echoId };
});

await check("contact.otherDevice.messageCreated", async () => {
    // A sender's own MessageCreated goes to its other connections, with echoId to match it.
    const pushed = await contactDevice.waitFor("MessageCreated", m => m.id === firstMessage.id);
    expect(pushed.echoId === echoId, `echoId ${pushed.echoId}, expected ${echoId}`);
    return { id: pushed.id, seq: pushed.seq };
});

await check("agent.sendMessage", async () => {
    agentMessage = await agent.invoke("SendMessage",
        { conversationId: conversation.id, content: "Hi, an agent here", echoId: `${echoId}-agent` });
    agentResults.push(agentMessage);
    expect(agentMessage.messageType === 1, `messageType ${agentMessage.messageType}, expected 1 (outgoing)`);
    expect(agentMessage.sender?.type === "agent", `sender ${JSON.stringify(agentMessage.sender)}`);
    expect(agentMessage.private === false, `private ${agentMessage.private}`);
    expect(agentMessage.seq > firstMessage.seq, `seq ${agentMessage.seq} not after ${firstMessage.seq}`);
    return { id: agentMessage.id, seq: agentMessage.seq };
}, { critical: true });

await check("contact.messageCreated", async () => {
    const pushed = await contact.waitFor("MessageCreated", m => m.id === agentMessage.id);
    expect(pushed.content === "Hi, an agent here", `content ${pushed.content}`);
    expect(pushed.sender?.type === "agent" && pushed.sender.id === agentMessage.sender.id,
        `sender ${JSON.stringify(pushed.sender)}`);
    expect(Number.isInteger(pushed.seq) && pushed.seq > 0, `seq ${pushed.seq}`);
    await contactDevice.waitFor("MessageCreated", m => m.id === agentMessage.id, "the reply on the second device");
    return { id: pushed.id, seq: pushed.seq };
});

await check("sendMessage.idempotent", async () => {
    const again = await agent.invoke("SendMessage",
        { conversationId: conversation.id, content: "Hi, an agent here", echoId: `${echoId}-agent` });
    expect(again.id === agentMessage.id && again.seq === agentMessage.seq,
        `a retry with the same echoId answered ${JSON.stringify({ id: again.id, seq: again.seq })}, ` +
        `expected the original ${JSON.stringify({ id: agentMessage.id, seq: agentMessage.seq })}`);
    return { id: again.id };
});

await check("agent.privateNote", async () => {
    privateNote = await agent.invoke("SendMessage",
        { conversationId: conversation.id, content: "internal: check the invoice", private: true });
    agentResults.push(privateNote);
    expect(privateNote.private === true, `private ${privateNote.private}`);
    return { id: privateNote.id, seq: privateNote.seq };
});

await check("typing.contactToAgent", async () => {
    await contact.invoke("SetTyping", conversation.id, true);
    const typing = await agent.waitFor("Typing", t => t.conversationId === conversation.id && t.isTyping === true);
    expect(typing.sender?.type === "contact" && typing.sender.id === conversation.contactId,
        `sender ${JSON.stringify(typing.sender)}`);
    expect(JSON.stringify(Object.keys(typing).sort()) === JSON.stringify(["conversationId", "isTyping", "sender"]),
        `Typing has the keys ${JSON.stringify(Object.keys(typing))}`);
    // Widgets send typing fire-and-forget (no invocation id, no completion): that must work too.
    await withTimeout(contact.connection.send("SetTyping", conversation.id, false), WAIT_MS, "contact send SetTyping");
    await agent.waitFor("Typing", t => t.conversationId === conversation.id && t.sender?.type === "contact" && t.isTyping === false,
        "the contact's typing off (sent with send)");
    return typing;
});

await check("typing.agentToContact", async () => {
    await agent.invoke("SetTyping", conversation.id, true);
    const typing = await contact.waitFor("Typing", t => t.conversationId === conversation.id && t.sender?.type === "agent");
    expect(typing.isTyping === true, `isTyping ${typing.isTyping}`);
    expect(typing.sender.id === agentMessage.sender.id, `sender ${JSON.stringify(typing.sender)}`);
    await agent.invoke("SetTyping", conversation.id, false);
    const stopped = await contact.waitFor("Typing", t => t.conversationId === conversation.id && t.isTyping === false);
    return { started: typing, stopped };
});

await check("markSeen.conversationUpdated", async () => {
    const result = await contact.invoke("MarkSeen", conversation.id);
    expect(result === null || result === undefined, `MarkSeen returned ${JSON.stringify(result)}, expected nothing`);
    const updated = await agent.waitFor("ConversationUpdated",
        c => c.id === conversation.id && Number.isInteger(c.contactLastSeenAt));
    expect(isUnixSeconds(updated.contactLastSeenAt), `contactLastSeenAt ${updated.contactLastSeenAt} is not Unix seconds`);
    return { seq: updated.seq, contactLastSeenAt: updated.contactLastSeenAt };
});

await check("getMessages.afterSeq", async () => {
    const page = await contact.invoke("GetMessages", { conversationId: conversation.id, afterSeq: firstMessage.seq });
    expect(page && JSON.stringify(Object.keys(page).sort()) === JSON.stringify(["conversation", "hasMore", "messages"]),
        `expected {conversation, messages, hasMore}, got the keys ${JSON.stringify(Object.keys(page ?? {}))}`);
    expect(page.conversation.id === conversation.id, "another conversation");
    expect(page.hasMore === false, `hasMore ${page.hasMore}`);
    const seqs = page.messages.map(m => m.seq);
    expect(seqs.every(s => s > firstMessage.seq), `seqs ${JSON.stringify(seqs)} not all after ${firstMessage.seq}`);
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]), `seqs ${JSON.stringify(seqs)} not in order`);
    const reply = page.messages.find(m => m.id === agentMessage.id);
    expect(reply, "the agent's reply is missing");
    expect(reply.status === "read", `the reply's status is ${reply.status} after the contact saw it, expected read`);
    expect(!page.messages.some(m => m.private || m.id === privateNote.id), "the contact got the private note");
    expect(!page.messages.some(m => m.id === firstMessage.id), "afterSeq returned the message at afterSeq");
    return { seqs, hasMore: page.hasMore, conversationSeq: page.conversation.seq };
});

await check("getMessages.agentSeesPrivateNote", async () => {
    const page = await agent.invoke("GetMessages", { conversationId: conversation.id, afterSeq: 0 });
    expect(page.messages.some(m => m.id === privateNote.id && m.private === true), "the agent does not see its note");
    const limited = await agent.invoke("GetMessages", { conversationId: conversation.id, afterSeq: 0, limit: 1 });
    expect(limited.messages.length === 1 && limited.hasMore === true,
        `limit 1: ${limited.messages.length} messages, hasMore ${limited.hasMore}`);
    expect(limited.messages[0].id === firstMessage.id, "afterSeq 0 with limit 1 did not start at the first message");
    return { messages: page.messages.length };
});

await check("error.validation", async () => {
    const message = await rejects(contact.invoke("SendMessage", { conversationId: conversation.id, content: "" }), "validation: ");
    return message;
});

await check("error.forbidden.contactPrivateNote", async () =>
    rejects(contact.invoke("SendMessage", { conversationId: conversation.id, content: "sneaky", private: true }), "forbidden: "));

await check("error.notFound.otherContactsConversation", async () =>
    rejects(stranger.invoke("GetMessages", { conversationId: conversation.id }), "not_found: "));

await check("error.badArguments", async () => {
    // Arguments of the wrong type or an unknown method fail that call only; the connection stays usable.
    const wrongType = await contact.invoke("SendMessage", { conversationId: "not-a-number", content: "x" })
        .then(r => { throw new CheckFailed(`a wrong argument type was accepted: ${JSON.stringify(r)}`); }, e => String(e?.message ?? e));
    const unknown = await contact.invoke("NoSuchMethod", 1)
        .then(r => { throw new CheckFailed(`an unknown method answered ${JSON.stringify(r)}`); }, e => String(e?.message ?? e));
    expect(wrongType.startsWith("validation: "), `wrong type: ${wrongType}`);
    expect(unknown.startsWith("not_found: "), `unknown method: ${unknown}`);
    expect(typeof await contact.invoke("Ping", Date.now()) === "number", "Ping failed after the bad calls");
    expect(contact.connection.state === "Connected", `state ${contact.connection.state}`);
    return { wrongType, unknown };
});

await check("listConversations", async () => {
    const own = await contact.invoke("ListConversations", {});
    expect(Array.isArray(own) && own.length === 1 && own[0].id === conversation.id,
        `the contact listed ${JSON.stringify(own?.map?.(c => c.id))}, expected [${conversation.id}]`);
    expect(!own[0].messages.some(m => m.private), "the contact's list shows the private note");
    const agents = await agent.invoke("ListConversations", { status: "all", assignee: "all" });
    expect(Array.isArray(agents) && agents.some(c => c.id === conversation.id), "the agent's list lacks the conversation");
    const none = await stranger.invoke("ListConversations", {});
    expect(Array.isArray(none) && none.length === 0, `another contact listed ${JSON.stringify(none)}`);
    return { contact: own.length, agent: agents.length };
});

await check("assign.conversationUpdated", async () => {
    const agentId = agentMessage.sender.id;
    const assigned = await agent.invoke("Assign", conversation.id, agentId);
    agentResults.push(assigned);
    expect(assigned.assigneeId === agentId, `assigneeId ${assigned.assigneeId}, expected ${agentId}`);
    const pushed = await contact.waitFor("ConversationUpdated", c => c.id === conversation.id && c.assigneeId === agentId);
    return { seq: assigned.seq, contactSeq: pushed.seq };
});

let question;
await check("submitValues.messageUpdated", async () => {
    const items = [{ title: "Yes", value: "yes" }, { title: "No", value: "no" }];
    question = await agent.invoke("SendMessage", { conversationId: conversation.id, content: "Did that help?",
        contentType: "input_select", contentAttributes: { items } });
    agentResults.push(question);
    const shown = await contact.waitFor("MessageCreated", m => m.id === question.id);
    expect(shown.contentType === "input_select", `contentType ${shown.contentType}`);
    expect(JSON.stringify(shown.contentAttributes) === JSON.stringify({ items }),
        `contentAttributes came as ${JSON.stringify(shown.contentAttributes)}`);
    const answered = await contact.invoke("SubmitValues", question.id, [{ title: "Yes", value: "yes" }]);
    // The answer is in the contact's view, whose seq stream (without private notes) is its own.
    expect(answered.id === question.id && answered.seq > shown.seq, `answered ${JSON.stringify(answered)}`);
    const updated = await agent.waitFor("MessageUpdated", m => m.id === question.id);
    expect(JSON.stringify(updated.contentAttributes?.submitted_values) === JSON.stringify([{ title: "Yes", value: "yes" }]),
        `contentAttributes ${JSON.stringify(updated.contentAttributes)}`);
    return { id: updated.id, seq: updated.seq };
});

await check("updateContact.contactUpdated", async () => {
    const updated = await contact.invoke("UpdateContact", { name: "Ann Updated", customAttributes: { favourite_plan: "pro" } });
    expect(updated.name === "Ann Updated" && updated.pubsubToken === contactToken, `answered ${JSON.stringify(updated)}`);
    const own = await contactDevice.waitFor("ContactUpdated", c => c.name === "Ann Updated");
    const seenByAgent = await agent.waitFor("ContactUpdated", c => c.name === "Ann Updated");
    expect(own.pubsubToken === contactToken, "the contact's other device did not get its own contact");
    expect(!seenByAgent.pubsubToken, "the agent was sent the contact's pubsub_token");
    expect(seenByAgent.customAttributes?.favourite_plan === "pro", `customAttributes ${JSON.stringify(seenByAgent.customAttributes)}`);
    return { id: seenByAgent.id };
});

await check("presence", async () => {
    const result = await agent.invoke("SetAvailability", "online");
    expect(result === null || result === undefined, `SetAvailability returned ${JSON.stringify(result)}`);
    const presence = await agent.waitFor("PresenceChanged", p => p.availability === "online");
    expect(presence.agentId === agentMessage.sender.id, `agentId ${presence.agentId}`);
    await rejects(contact.invoke("SetAvailability", "online"), "forbidden: ");
    return presence;
});

await check("setStatus.resolved", async () => {
    const resolved = await contact.invoke("SetStatus", conversation.id, "resolved");
    expect(resolved.id === conversation.id && resolved.status === "resolved", `answered ${JSON.stringify(resolved)}`);
    const pushed = await agent.waitFor("ConversationUpdated", c => c.id === conversation.id && c.status === "resolved");
    await contactDevice.waitFor("ConversationUpdated", c => c.id === conversation.id && c.status === "resolved",
        "the resolved conversation on the second device");
    return { seq: pushed.seq };
});

await check("badToken.negotiate401", async () => {
    const message = await refused(Peer.build("badToken", hubUrl,
        { accessTokenFactory: () => "not-a-valid-token-" + echoId }, { logging: silent }));
    expect(message.includes("401"), `expected a 401, got: ${message}`);
    return message;
});

await check("badToken.webSocket", async () => refused(Peer.build("badTokenWs", hubUrl,
    { accessTokenFactory: () => "not-a-valid-token-" + echoId, ...webSocketsOnly }, { logging: silent })));

await check("noToken.negotiate401", async () => {
    const message = await refused(Peer.build("noToken", hubUrl, {}, { logging: silent }));
    expect(message.includes("401"), `expected a 401, got: ${message}`);
    return message;
});

// ---- what must not have happened: give stray pushes time to arrive, then look at everything received.
await new Promise(resolve => setTimeout(resolve, SETTLE_MS));

await check("typing.notEchoed", async () => {
    const echoedToContact = contact.pushes("Typing", t => t.sender?.type === "contact");
    const echoedToAgent = agent.pushes("Typing", t => t.sender?.type === "agent");
    expect(echoedToContact.length === 0, `the contact got its own typing: ${JSON.stringify(echoedToContact)}`);
    expect(echoedToAgent.length === 0, `the agent got its own typing: ${JSON.stringify(echoedToAgent)}`);
});

await check("privateNote.neverReachesContact", async () => {
    const leaks = [contact, contactDevice, stranger].flatMap(p => p.events
        .filter(e => JSON.stringify(e.arg).includes("internal: check the invoice")
            || (e.method.startsWith("Message") && e.arg?.id === privateNote.id))
        .map(e => `${p.name} ${e.method}`));
    expect(leaks.length === 0, `private note pushed to: ${JSON.stringify(leaks)}`);
    expect(agent.pushes("MessageCreated", m => m.id === privateNote.id).length === 0,
        "the note was pushed back to the connection that wrote it");
});

await check("sender.ownConnectionSkipped", async () => {
    expect(contact.pushes("MessageCreated", m => m.id === firstMessage.id).length === 0,
        "the contact's sending connection got its own message pushed back");
    expect(agent.pushes("MessageCreated", m => m.id === agentMessage.id).length === 0,
        "the agent's sending connection got its own message pushed back");
});

await check("isolation.otherContact", async () => {
    // Every contact of the inbox may learn whether someone is online there (the widget's header), and only that.
    const ofOthers = stranger.events.filter(e => e.method !== "InboxAvailabilityChanged");
    expect(ofOthers.length === 0, `another contact received ${JSON.stringify(ofOthers.map(e => e.method))}`);
    const availability = [contact, contactDevice, stranger].flatMap(p => p.pushes("InboxAvailabilityChanged"));
    expect(availability.every(a => JSON.stringify(Object.keys(a).sort()) === '["inboxId","online"]'),
        `an inbox availability push said more than whether: ${JSON.stringify(availability)}`);
    const presence = [contact, contactDevice].flatMap(p => p.pushes("PresenceChanged"));
    expect(presence.length === 0, `a contact received agent presence: ${JSON.stringify(presence)}`);
});

await check("seq.gapFreeAndOrdered", async () => {
    // The agent sees every change: its pushes plus its own calls' results cover 1..max exactly once, and its
    // pushes arrive in seq order. The second device (which sent nothing) sees the contact's stream 1..max.
    const conversationIdOf = e => e.method.startsWith("Message") ? e.arg?.conversationId
        : e.method.startsWith("Conversation") ? e.arg?.id : undefined;
    const ofConversation = e => conversationIdOf(e) === conversation.id;
    const detail = {};
    for (const [peer, extra] of [[agent, agentResults], [contactDevice, []]]) {
        const pushed = peer.events.filter(ofConversation).map(e => e.arg.seq).filter(s => s > 0);
        expect(pushed.every((s, i) => i === 0 || s > pushed[i - 1]), `${peer.name} got seqs out of order: ${JSON.stringify(pushed)}`);
        const all = [...new Set([...pushed, ...extra.map(r => r.seq)])].sort((a, b) => a - b);
        expect(all.every((s, i) => s === i + 1), `${peer.name} has gaps: ${JSON.stringify(all)}`);
        detail[peer.name] = pushed;
    }
    return detail;
});

await check("wire.frames", async () => {
    // Raw frames: exact target names of IChatClient, one argument each, camelCase property names.
    const problems = [];
    let invocations = 0;
    const walk = (value, path) => {
        if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
        else if (value && typeof value === "object") {
            for (const [key, v] of Object.entries(value)) {
                if (!/^[a-z][A-Za-z0-9]*$/.test(key)) problems.push(`${path}.${key}`);
                // Attribute dictionaries hold user data whose keys are not renamed.
                if (key !== "customAttributes" && key !== "contentAttributes") walk(v, `${path}.${key}`);
            }
        }
    };
    for (const peer of peers) {
        for (const frame of peer.frames) {
            if (frame.type === 1) {
                invocations++;
                if (!CLIENT_METHODS.includes(frame.target)) problems.push(`${peer.name}: unknown target ${frame.target}`);
                if (frame.arguments?.length !== 1) problems.push(`${peer.name}: ${frame.target} with ${frame.arguments?.length} arguments`);
                walk(frame.arguments, `${peer.name}:${frame.target}`);
            } else if (frame.type === 3) {
                walk(frame.result, `${peer.name}:result`);
            }
        }
        const wrongArity = peer.events.filter(e => e.argCount !== 1);
        if (wrongArity.length) problems.push(`${peer.name}: handlers called with ${wrongArity.map(e => e.argCount)} arguments`);
    }
    expect(invocations > 0, "no push frames recorded");
    expect(problems.length === 0, `wire problems: ${JSON.stringify(problems.slice(0, 10))}`);
    return { invocations };
});

await check("wire.unixSeconds", async () => {
    const times = [conversation.createdAt, conversation.lastActivityAt, firstMessage.createdAt, firstMessage.updatedAt, agentMessage.createdAt];
    expect(times.every(isUnixSeconds), `times ${JSON.stringify(times)} are not Unix seconds`);
});

await check("disconnect", async () => {
    await stopAll();
    const states = peers.map(p => p.connection.state);
    expect(states.every(s => s === "Disconnected"), `states ${JSON.stringify(states)}`);
});

clearTimeout(deadline);
finish();
