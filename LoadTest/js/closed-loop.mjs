// The load test's closed-loop client on the official @microsoft/signalr client (LoadTest/Scenarios/JsScenario.cs
// starts it; by hand: node closed-loop.mjs CONFIG.json). N connections each call one hub method in a closed loop
// (the next call as soon as the previous one is answered) through a warm-up and a measured window.
//
// CONFIG.json: { "url": hub URL, "target": "echo" | "ping" | "send", "warmupSeconds", "durationSeconds",
//   "connections": N (echo), "customers": [pubsub token, ...] (ping, send: one connection each, in a conversation of
//   its own started here before the loop), "agentToken": an agent of the inbox (ping, send: its connection counts the
//   pushes) }. ping calls ChatHub's Ping (its transport without the store), send its SendMessage.
//
// stdout, one JSON line each: {"event":"ready"} once connected, {"event":"measuring"} when the measured window
// starts, {"event":"done", ...figures} when it ends. Exits 0 once every connection is closed again; 1 on a setup
// failure (the message on stderr). A deadline ends the run whatever happens, so the script never hangs.

import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { HubConnectionBuilder, HttpTransportType, LogLevel } from "@microsoft/signalr";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { url, target, warmupSeconds, durationSeconds } = config;
const deadline = setTimeout(() => fail(`the run took longer than its deadline`), (warmupSeconds + durationSeconds + 120) * 1000);
deadline.unref();

function emit(line) {
    process.stdout.write(JSON.stringify(line) + "\n");
}

function fail(message) {
    process.stderr.write(`closed-loop: ${message}\n`);
    process.exit(1);
}

const logger = {
    log(level, message) {
        if (level >= LogLevel.Error) process.stderr.write(`[signalr ${LogLevel[level]}] ${message}\n`);
    },
};

function connection(token) {
    const options = { skipNegotiation: true, transport: HttpTransportType.WebSockets };
    if (token) options.accessTokenFactory = () => token;
    const built = new HubConnectionBuilder().withUrl(url, options).configureLogging(logger).build();
    built.serverTimeoutInMilliseconds = 60_000;
    return built;
}

// ---------------------------------------------------------------- setup

const callers = [];
let pushes = 0;
let agent;
try {
    if (target === "send" || target === "ping") {
        agent = connection(config.agentToken);
        agent.on("MessageCreated", () => { pushes++; });
        for (const method of ["MessageUpdated", "ConversationCreated", "ConversationUpdated", "Typing", "PresenceChanged", "ContactUpdated"])
            agent.on(method, () => {});
        await agent.start();
        await Promise.all(config.customers.map(async (token, i) => {
            const customer = connection(token);
            for (const method of ["MessageCreated", "MessageUpdated", "ConversationCreated", "ConversationUpdated", "Typing", "ContactUpdated", "InboxAvailabilityChanged"])
                customer.on(method, () => {});
            await customer.start();
            const conversation = await customer.invoke("StartConversation", {});
            let sequence = 0;
            callers[i] = {
                connection: customer,
                call: target === "ping"
                    ? () => customer.invoke("Ping", Date.now())
                    : () => customer.invoke("SendMessage",
                        { conversationId: conversation.id, content: `message ${++sequence}`, echoId: `load-${i}-${sequence}` }),
            };
        }));
    } else {
        for (let i = 0; i < config.connections; i++) {
            const echo = connection(null);
            await echo.start();
            let sequence = 0;
            // The same shape and size as a SendMessage request.
            callers.push({
                connection: echo,
                call: () => echo.invoke("Echo", { conversationId: i + 1, content: `message ${++sequence}`, echoId: `load-${i}-${sequence}` }),
            });
        }
    }
} catch (e) {
    fail(`setup failed: ${e?.message ?? e}`);
}
emit({ event: "ready", connections: callers.length });

// ---------------------------------------------------------------- the loop

let measuring = false;
let stopped = false;
let calls = 0;
let pushesAtStart = 0;
const latencies = [];
const errors = {};

async function loop(caller) {
    while (!stopped) {
        const started = performance.now();
        try {
            await caller.call();
            if (measuring) {
                calls++;
                latencies.push(performance.now() - started);
            }
        } catch (e) {
            const code = String(e?.message ?? e).split(":")[0].slice(0, 60);
            if (measuring) errors[code] = (errors[code] ?? 0) + 1;
        }
    }
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const running = callers.map(loop);
await sleep(warmupSeconds * 1000);
measuring = true;
pushesAtStart = pushes;
const windowStart = performance.now();
emit({ event: "measuring" });
await sleep(durationSeconds * 1000);
measuring = false;
const seconds = (performance.now() - windowStart) / 1000;
const pushesInWindow = pushes - pushesAtStart;

latencies.sort((a, b) => a - b);
const percentile = p => latencies.length === 0 ? null : latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
emit({
    event: "done", target, connections: callers.length, seconds, calls, pushes: pushesInWindow, errors,
    p50: percentile(0.5), p90: percentile(0.9), p99: percentile(0.99), max: latencies.at(-1) ?? null,
});

stopped = true;
await Promise.allSettled(running);
await Promise.allSettled([...callers.map(c => c.connection.stop()), agent?.stop()]);
process.exit(0);
