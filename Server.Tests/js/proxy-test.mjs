// ChatHub behind nginx (deploy/nginx/chathub.conf), with the official @microsoft/signalr client: customers connect
// THROUGH the proxy over HTTPS and negotiate (so the negotiate POST and the connection that follows must reach the
// same node: sticky sessions), by WebSockets and by long polling (a stream of separate HTTP requests, each of which
// must reach that node too); agents connect DIRECTLY to each of the two nodes, so every message is seen on both nodes
// whichever one the proxy picked. Run by Server.Tests/Deploy/NginxDeployTests.cs with:
//
//   CHATHUB_PROXY_URL=https://127.0.0.1:PORT CHATHUB_NODE_A=http://127.0.0.1:A CHATHUB_NODE_B=http://127.0.0.1:B
//   CHATHUB_CONTACT_TOKENS=t1,t2 CHATHUB_AGENT_TOKEN=... NODE_EXTRA_CA_CERTS=proxy-cert.pem node proxy-test.mjs
//
// Prints one JSON line per check {"check", "ok", "detail"} and exits 0 only if every check passed.

import { HubConnectionBuilder, HttpTransportType, LogLevel } from "@microsoft/signalr";

const DEADLINE_MS = 40_000;
const WAIT_MS = 10_000;
const env = name => process.env[name] ?? (() => { console.error(`${name} is required`); process.exit(2); })();
const proxy = env("CHATHUB_PROXY_URL").replace(/\/+$/, "");
const nodes = { A: env("CHATHUB_NODE_A").replace(/\/+$/, ""), B: env("CHATHUB_NODE_B").replace(/\/+$/, "") };
const [webSocketContact, longPollingContact] = env("CHATHUB_CONTACT_TOKENS").split(",");
const agentToken = env("CHATHUB_AGENT_TOKEN");

const results = [];
const report = (check, ok, detail) => {
    results.push({ check, ok });
    process.stdout.write(JSON.stringify({ check, ok, detail: detail ?? null }) + "\n");
};
const open = [];
async function finish() {
    await Promise.allSettled(open.map(c => c.stop()));
    const failed = results.filter(r => !r.ok).map(r => r.check);
    process.stdout.write(JSON.stringify({ summary: true, checks: results.length, failed }) + "\n");
    process.exit(failed.length === 0 ? 0 : 1);
}
setTimeout(() => { report("script.deadline", false, `longer than ${DEADLINE_MS} ms`); finish(); }, DEADLINE_MS).unref();

const logger = { log(level, message) { if (level >= LogLevel.Warning) process.stderr.write(`[signalr] ${message}\n`); } };

/** A connection that keeps every MessageCreated push and lets a check wait for one. */
async function connect(url, token, transport) {
    const connection = new HubConnectionBuilder()
        .withUrl(`${url}/hubs/chat`, { accessTokenFactory: () => token, transport })
        .configureLogging(logger)
        .build();
    const messages = [];
    const waiters = [];
    connection.on("MessageCreated", m => { messages.push(m); for (const w of [...waiters]) w(); });
    await connection.start();
    open.push(connection);
    return {
        connection,
        waitFor(predicate, what) {
            return new Promise((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS);
                const test = () => {
                    const found = messages.find(predicate);
                    if (found) { clearTimeout(timer); waiters.splice(waiters.indexOf(test), 1); resolve(found); }
                };
                waiters.push(test);
                test();
            });
        },
    };
}

async function check(name, fn) {
    try { report(name, true, (await fn()) ?? null); return true; }
    catch (e) { report(name, false, `${e?.name ?? "Error"}: ${e?.message ?? e}`); return false; }
}

let agentOnA, agentOnB;
await check("agents.connect.directly.to.both.nodes", async () => {
    agentOnA = await connect(nodes.A, agentToken, HttpTransportType.WebSockets);
    agentOnB = await connect(nodes.B, agentToken, HttpTransportType.WebSockets);
});

/** One customer through the proxy: negotiates, starts a conversation, is seen on both nodes, gets a reply. */
async function customerThroughProxy(label, token, transport, replyingAgent) {
    let customer, conversation;
    const connected = await check(`${label}.negotiates.and.connects.through.the.proxy`, async () => {
        customer = await connect(proxy, token, transport);
        if (!customer.connection.connectionId) throw new Error("no connection id: the negotiate step did not happen");
        return { connectionId: customer.connection.connectionId };
    });
    if (!connected) return;
    const text = `hello from ${label}`;
    await check(`${label}.message.reaches.agents.on.both.nodes`, async () => {
        conversation = await customer.connection.invoke("StartConversation", { message: { content: text, echoId: `${label}-1` } });
        await agentOnA.waitFor(m => m.content === text, `${text} on node A`);
        await agentOnB.waitFor(m => m.content === text, `${text} on node B`);
        return { conversationId: conversation.id };
    });
    if (!conversation) return;
    await check(`${label}.agent.reply.arrives.through.the.proxy`, async () => {
        const reply = `reply to ${label}`;
        await replyingAgent.connection.invoke("SendMessage", { conversationId: conversation.id, content: reply, echoId: `${label}-r` });
        const received = await customer.waitFor(m => m.content === reply, reply);
        return { seq: received.seq };
    });
}

if (agentOnA && agentOnB) {
    await customerThroughProxy("websockets", webSocketContact, HttpTransportType.WebSockets, agentOnB);
    await customerThroughProxy("longpolling", longPollingContact, HttpTransportType.LongPolling, agentOnA);
}
await finish();
