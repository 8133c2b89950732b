/*!
 * ChatHub chat widget. Embed with one tag:
 *
 *   <script src="https://chat.example.com/widget.js" data-inbox="INBOX_IDENTIFIER" async></script>
 *
 * Optional attributes: data-identifier + data-identifier-hash (signed identity for HMAC inboxes),
 * data-name, data-email (known visitor), data-prechat="off" (no name/email fields), data-title,
 * data-color (accent, e.g. "#2563eb"), data-position="left", data-open="true", data-server (the ChatHub origin;
 * default: where this file came from).
 * JavaScript: window.ChatHubWidget.open() / .close() / .toggle().
 *
 * Everything lives in a shadow root (the host page's CSS cannot reach it). The official @microsoft/signalr
 * browser client is loaded from the same server (/lib/signalr/signalr.min.js) on first use.
 *
 * Sources: wwwroot-src/src/widget/ (this file runs the chat; view pieces beside it) and ../core/ (connection,
 * seq tracking, outbox: shared with the agent console), bundled by esbuild into one classic script.
 */
import { Hub } from "../core/connection.js";
import { Outbox } from "../core/outbox.js";
import { SeqTracker, catchUp } from "../core/seq.js";
import { markdownNode } from "../shared/markdown.js";
import { el, initials, timeLabel, dayKey, dayLabel, nowSeconds } from "./dom.js";
import { ICONS } from "./icons.js";
import { interactiveNode, interactiveSignature } from "./interactive.js";
import { storage, session } from "./storage.js";
import { CSS } from "./styles.js";

const script = document.currentScript;
if (script && !window.ChatHubWidget) runWidget(script);

function runWidget(script) {

  // ------------------------------------------------------------------ configuration

  var data = script.dataset;
  var config = {
    inbox: (data.inbox || "").trim(),
    server: (data.server || new URL(script.src, location.href).origin).replace(/\/+$/, ""),
    identifier: data.identifier || null,
    identifierHash: data.identifierHash || null,
    name: data.name || null,
    email: data.email || null,
    prechat: data.prechat !== "off" && data.prechat !== "false",
    title: data.title || null,
    color: /^#[0-9a-f]{3,8}$/i.test(data.color || "") ? data.color : "#2563eb",
    left: data.position === "left",
    openAtStart: data.open === "true",
  };
  var PAGE_SIZE = 20;
  var TYPING_SEND_EVERY_MS = 2500;
  var TYPING_IDLE_MS = 5000;
  var TYPING_SHOWN_MS = 8000;
  var GROUP_WINDOW_S = 5 * 60;

  var identityKey = "chathub:" + config.inbox + ":" + (config.identifier ? "id:" + config.identifier : "guest");
  var openKey = "chathub:" + config.inbox + ":open";

  // ------------------------------------------------------------------ REST (client API) and the hub

  function ApiError(status, code, detail) {
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.message = code + ": " + detail;
  }
  ApiError.prototype = Object.create(Error.prototype);

  function rest(method, path, body) {
    return fetch(config.server + "/public/api/v1/inboxes/" + encodeURIComponent(config.inbox) + path, {
      method: method,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
      credentials: "omit",
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (json) {
        if (!response.ok) throw new ApiError(response.status, (json && json.title) || "error", (json && json.detail) || response.statusText);
        return json;
      });
    });
  }

  var signalRPromise = null;
  function loadSignalR() {
    if (window.signalR && window.signalR.HubConnectionBuilder) return Promise.resolve(window.signalR);
    if (!signalRPromise) {
      signalRPromise = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = config.server + "/lib/signalr/signalr.min.js";
        s.async = true;
        s.onload = function () { window.signalR ? resolve(window.signalR) : reject(new Error("signalR did not load")); };
        s.onerror = function () { signalRPromise = null; reject(Object.assign(new Error("could not load " + s.src), { retry: true })); };
        document.head.appendChild(s);
      });
    }
    return signalRPromise;
  }

  // ------------------------------------------------------------------ state

  var state = {
    inbox: null,
    identity: storage.get(identityKey), // {sourceId, pubsubToken, contactId, name, email}
    fatal: null,                        // a message when the chat cannot work (unknown inbox, refused identity)
    conversation: null,                 // the conversation shown (camelCase, as the hub sends it)
    fresh: false,                       // "start a new conversation" clicked: the next message starts one
    messages: new Map(),                // id -> message
    hasOlder: false,
    loadingOlder: false,
    agentSeenSeq: 0,                    // seq of the latest rise of the agents' seen marker
    typing: null,                       // {name, until}
    open: false,
    unread: new Set(),                  // agent message ids the customer has not seen
    preview: null,                      // the newest unseen agent message, shown beside the closed launcher
    conn: "idle",                       // idle | connecting | connected | reconnecting
    online: navigator.onLine !== false,
    prechat: { name: "", email: "" },
  };

  var rt = { hub: null, starting: null, syncing: false, syncAgain: false, typingOn: false,
    typingSentAt: 0, typingIdle: 0, seenTimer: 0, typingTimer: 0, markedIds: {}, answering: {} };

  // The contact's stream of changes: every seq up to seqs.lastSeq has been applied; a gap is filled by resync.
  var seqs = new SeqTracker({ onGap: function () { resync(); } });
  // Own messages not acknowledged yet: {echoId, content, createdAt, failed, error}.
  var outbox = new Outbox({
    send: sendQueued,
    canSend: function () { return state.conn === "connected"; },
    onChange: function () { render(); },
  });

  function setIdentity(contact) {
    state.identity = {
      sourceId: contact.source_id || contact.sourceId,
      pubsubToken: contact.pubsub_token || contact.pubsubToken,
      contactId: contact.id,
      name: contact.name || null,
      email: contact.email || null,
    };
    storage.set(identityKey, state.identity);
  }

  function forgetIdentity() {
    storage.remove(identityKey);
    state.identity = null;
    showConversation(null);
  }

  // ------------------------------------------------------------------ realtime session

  /** Connects the hub with the contact's pubsub token (creating the contact first if asked to). */
  function ensureSession(createContact) {
    if (rt.hub && (state.conn === "connected" || state.conn === "reconnecting")) return Promise.resolve();
    if (rt.starting) return rt.starting;
    rt.starting = (async function () {
      try {
        if (!state.identity) {
          if (!createContact) return;
          setIdentity(await rest("POST", "/contacts", contactFields()));
        }
        await connect();
      } finally {
        rt.starting = null;
      }
    })();
    return rt.starting;
  }

  function contactFields() {
    var f = {};
    if (config.identifier) { f.identifier = config.identifier; f.identifier_hash = config.identifierHash; }
    var name = config.name || state.prechat.name.trim();
    var email = config.email || state.prechat.email.trim();
    if (name) f.name = name;
    if (email) f.email = email;
    return f;
  }

  var PUSH_HANDLERS = {
    MessageCreated: onMessage,
    MessageUpdated: onMessage,
    ConversationCreated: onConversationCreated,
    ConversationUpdated: onConversationUpdated,
    Typing: onTyping,
    ContactUpdated: function (c) {
      if (state.identity && c.id === state.identity.contactId) {
        state.identity.name = c.name || null;
        state.identity.email = c.email || null;
        storage.set(identityKey, state.identity);
      }
    },
  };

  /** Connects with the contact's pubsub token until it works; a refused token means the contact is gone. */
  async function connect() {
    var signalR = await loadSignalR();
    var hub = new Hub({
      signalR: signalR, url: config.server + "/hubs/chat", token: state.identity.pubsubToken, logLevel: "None",
      handlers: {
        onPush: function (name, arg) { if (rt.hub === hub && PUSH_HANDLERS[name]) PUSH_HANDLERS[name](arg); },
        onState: function (s) { if (rt.hub === hub) setConn(s === "stopped" ? "idle" : s); },
        onReconnected: function () { if (rt.hub === hub) refresh(); },
        onUnauthorized: function () {
          if (rt.hub !== hub) return;
          rt.hub = null;
          forgetIdentity();
          setConn("idle");
        },
      },
    });
    rt.hub = hub;
    try {
      await hub.start();
    } catch (e) {
      return; // refused: onUnauthorized forgot the identity; the next message creates a new contact
    }
    await refresh();
  }

  function setConn(value) {
    state.conn = value;
    render();
  }

  function invoke() {
    if (!rt.hub) return Promise.reject(Object.assign(new Error("not connected"), { retry: true }));
    return rt.hub.invoke.apply(rt.hub, arguments);
  }

  // ------------------------------------------------------------------ loading and resync

  /** After (re)connecting: shows the newest conversation and catches up on everything missed. */
  async function refresh() {
    try {
      var list = await invoke("ListConversations", {});
      var newest = list[0] || null;
      var current = state.conversation;
      if (newest && (!current || newest.id > current.id) && !(state.fresh && newest.status === "resolved")) {
        await loadConversation(newest.id);
      } else if (current) {
        await resync();
      }
      outbox.flush();
      markSeenSoon();
    } catch (e) {
      if (!e.retry) console.warn("ChatHub:", e.message);
    }
  }

  async function loadConversation(id) {
    var r = await invoke("GetMessages", { conversationId: id, limit: PAGE_SIZE });
    showConversation(r.conversation);
    r.messages.forEach(function (m) { addMessage(m, true); });
    state.hasOlder = r.hasMore;
    seqs.reached(r.conversation.seq);
    // Agent messages after the customer's seen marker are unread (one second's precision, as the API's times).
    var seen = r.conversation.contactLastSeenAt || 0;
    state.messages.forEach(function (m) {
      if (m.messageType === 1 && m.createdAt > seen) state.unread.add(m.id);
    });
    render({ toBottom: true });
  }

  /** Switches the view to a conversation (or to none: a new one starts with the next message). */
  function showConversation(conversation) {
    state.conversation = conversation ? stripMessages(conversation) : null;
    state.messages = new Map();
    state.hasOlder = false;
    seqs.reset(conversation ? conversation.seq : 0);
    state.agentSeenSeq = 0;
    state.typing = null;
    state.unread = new Set();
    state.preview = null;
    if (conversation) state.fresh = false;
    render({ toBottom: true });
  }

  function stripMessages(c) {
    var copy = Object.assign({}, c);
    delete copy.messages;
    return copy;
  }

  /** Whether the view still shows conversation `id` (its state object is replaced by every update). */
  function showing(id) { return !!state.conversation && state.conversation.id === id; }

  async function resync() {
    var c = state.conversation;
    if (!c) return;
    if (rt.syncing) { rt.syncAgain = true; return; }
    rt.syncing = true;
    try {
      do {
        rt.syncAgain = false;
        // Every change after seqs.lastSeq, in seq order, with the conversation's current state: safe to repeat.
        await catchUp(seqs,
          function (afterSeq) { return invoke("GetMessages", { conversationId: c.id, afterSeq: afterSeq, limit: 100 }); },
          function (r) {
            r.messages.forEach(function (m) { addMessage(m, false); });
            applyConversation(r.conversation);
          },
          function () { return showing(c.id); });
      } while (rt.syncAgain && showing(c.id));
    } catch (e) {
      if (!e.retry) console.warn("ChatHub:", e.message);
    } finally {
      rt.syncing = false;
      render();
    }
  }

  async function loadOlder() {
    var c = state.conversation;
    if (!c || !state.hasOlder || state.loadingOlder) return;
    var oldest = Math.min.apply(null, Array.from(state.messages.keys()));
    state.loadingOlder = true;
    render();
    try {
      var r = await invoke("GetMessages", { conversationId: c.id, before: oldest, limit: PAGE_SIZE });
      if (!showing(c.id)) return;
      r.messages.forEach(function (m) { addMessage(m, true); });
      state.hasOlder = r.hasMore;
    } catch (e) {
      if (!e.retry) console.warn("ChatHub:", e.message);
    } finally {
      state.loadingOlder = false;
      render({ keepOffsetFromBottom: true });
    }
  }

  // ------------------------------------------------------------------ pushes

  function addMessage(m, fromHistory) {
    if (m.private) return;
    var held = state.messages.get(m.id);
    var known = !!held;
    // An update may overtake an older copy of the message (a page loaded meanwhile): the higher seq wins.
    if (!held || !(held.seq > m.seq)) state.messages.set(m.id, m);
    outbox.acknowledge(m.echoId);
    if (!fromHistory) seqs.note(m.seq);
    if (!known && !fromHistory && m.messageType === 1) {
      if (state.typing) state.typing = null;
      if (isVisible()) markSeenSoon();
      else {
        state.unread.add(m.id);
        state.preview = m;
      }
    }
  }

  function onMessage(m) {
    var c = state.conversation;
    if (!c || m.conversationId !== c.id) {
      if (!c || m.conversationId > c.id) refresh(); // a newer conversation (started in another tab)
      return;
    }
    addMessage(m, false);
    render();
  }

  function onConversationCreated(c) {
    if (state.conversation && state.conversation.id === c.id) return;
    if (state.conversation && c.id < state.conversation.id) return;
    showConversation(c);
    outbox.flush();
  }

  function onConversationUpdated(c) {
    if (!state.conversation || c.id !== state.conversation.id) return;
    applyConversation(c, true);
    seqs.note(c.seq);
    render();
  }

  /** Takes a conversation's state (status, seen markers) unless we already hold a newer one. An agent's seen
   *  marker at seq S makes every own message before S read: seqs order exactly, the API's seconds do not. */
  function applyConversation(c, isPush) {
    var mine = state.conversation;
    if (!mine || c.seq < (mine.seq || 0)) return;
    var agentRose = (c.agentLastSeenAt || 0) > (mine.agentLastSeenAt || 0);
    var contactRose = (c.contactLastSeenAt || 0) > (mine.contactLastSeenAt || 0);
    if (agentRose) state.agentSeenSeq = Math.max(state.agentSeenSeq, c.seq);
    // A seen marker set again within the same second shows no new time: whose was it? The server's read
    // states of the newest page tell.
    var ambiguous = isPush && c.seq > (mine.seq || 0) && !agentRose && !contactRose && c.status === mine.status &&
      c.assigneeId === mine.assigneeId && (c.agentLastSeenAt || c.contactLastSeenAt);
    if (ambiguous) refreshStates(c.id);
    var seen = c.contactLastSeenAt || 0;
    state.unread.forEach(function (id) {
      var m = state.messages.get(id);
      if (!m || m.createdAt <= seen) state.unread.delete(id);
    });
    if (!state.unread.size) state.preview = null;
    state.conversation = stripMessages(c);
  }

  async function refreshStates(id) {
    try {
      var r = await invoke("GetMessages", { conversationId: id, limit: PAGE_SIZE });
      if (!state.conversation || state.conversation.id !== id) return;
      r.messages.forEach(function (m) {
        var known = state.messages.get(m.id);
        if (known && known.seq <= m.seq) state.messages.set(m.id, m);
      });
      render();
    } catch (e) { /* the next change or resync brings it */ }
  }

  function onTyping(t) {
    if (!state.conversation || t.conversationId !== state.conversation.id || t.sender.type !== "agent") return;
    state.typing = t.isTyping ? { name: t.sender.name || "Agent", until: Date.now() + TYPING_SHOWN_MS } : null;
    clearTimeout(rt.typingTimer);
    if (state.typing) rt.typingTimer = setTimeout(function () { state.typing = null; render(); }, TYPING_SHOWN_MS);
    render();
  }

  // ------------------------------------------------------------------ sending, typing, seen

  function send(text) {
    text = text.trim();
    if (!text) return;
    outbox.add({ content: text, createdAt: nowSeconds() });
    stopTyping();
    render({ toBottom: true });
    ensureSession(true).then(function () { return outbox.flush(); }, failAll);
  }

  function failAll(e) {
    if (e && e.retry) return; // sent once the connection is back
    if (e && e.status === 401) state.fatal = "This chat could not verify who you are. Please reload the page.";
    outbox.failAll();
  }

  /** Sends one queued message (the outbox keeps the order, retries with the same echoId after a reconnect - the
   *  server stores a repeated echoId once - and drops it on the ack); the first one starts the conversation. */
  async function sendQueued(item) {
    var c = state.conversation;
    if (!c) {
      var created = await invoke("StartConversation", {
        customAttributes: startAttributes(),
        message: { content: item.content, echoId: item.echoId },
      });
      if (!state.conversation || state.conversation.id !== created.id) showConversation(created);
      created.messages.forEach(function (m) { addMessage(m, false); });
      applyConversation(created);
    } else {
      addMessage(await invoke("SendMessage", { conversationId: c.id, content: item.content, echoId: item.echoId }), false);
    }
    render({ toBottom: true });
  }

  function startAttributes() {
    var a = { page_url: location.href.slice(0, 500) };
    if (document.title) a.page_title = document.title.slice(0, 200);
    if (state.prechat.email.trim() && !config.email) a.email = state.prechat.email.trim().slice(0, 200);
    return a;
  }

  function retry(echoId) {
    outbox.retry(echoId);
    ensureSession(true).then(function () { return outbox.flush(); }, failAll);
  }

  /** The customer's answer to an interactive message (SubmitValues): the result, and the MessageUpdated push
   *  to the customer's other tabs and the agents, carry it under contentAttributes.submitted_values. */
  async function answer(m, values) {
    rt.answering[m.id] = { busy: true };
    render();
    try {
      await ensureSession(false);
      addMessage(await invoke("SubmitValues", m.id, values), false);
      delete rt.answering[m.id];
    } catch (e) {
      rt.answering[m.id] = { error: e.retry ? "Not connected: try again in a moment." : "Could not send your answer." };
    }
    render();
  }

  /** Customer typing, throttled: "on" at most every few seconds while typing, "off" when idle or sent. */
  function typed(hasText) {
    var c = state.conversation;
    if (!c || state.conn !== "connected") return;
    clearTimeout(rt.typingIdle);
    if (!hasText) { stopTyping(); return; }
    var now = Date.now();
    if (!rt.typingOn || now - rt.typingSentAt > TYPING_SEND_EVERY_MS) {
      rt.typingOn = true;
      rt.typingSentAt = now;
      invoke("SetTyping", c.id, true).catch(function () {});
    }
    rt.typingIdle = setTimeout(stopTyping, TYPING_IDLE_MS);
  }

  function stopTyping() {
    clearTimeout(rt.typingIdle);
    if (!rt.typingOn) return;
    rt.typingOn = false;
    if (state.conversation) invoke("SetTyping", state.conversation.id, false).catch(function () {});
  }

  function isVisible() {
    return state.open && document.visibilityState === "visible";
  }

  /** Marks the conversation seen when the customer can see a newer agent message than last time. */
  function markSeenSoon() {
    clearTimeout(rt.seenTimer);
    rt.seenTimer = setTimeout(function () {
      var c = state.conversation;
      if (!c || !isVisible() || state.conn !== "connected") return;
      var newest = 0;
      state.messages.forEach(function (m) { if (m.messageType === 1 && m.id > newest) newest = m.id; });
      state.unread.clear();
      state.preview = null;
      render();
      if (newest <= (rt.markedIds[c.id] || 0)) return;
      rt.markedIds[c.id] = newest;
      invoke("MarkSeen", c.id).catch(function () { rt.markedIds[c.id] = 0; });
    }, 250);
  }

  // ------------------------------------------------------------------ view


  var host = document.createElement("chathub-widget");
  host.setAttribute("style", "all: initial !important; display: block !important;");
  var root = host.attachShadow({ mode: "open" });
  var ui = {};
  var cache = new Map(); // list key -> {sig, node}

  function mount() {
    var style = document.createElement("style");
    style.textContent = CSS.replace(/__ACCENT__/g, config.color);
    ui.launcherBadge = el("span", { class: "badge", hidden: true, "aria-hidden": "true" });
    ui.launcher = el("button", {
      class: "launcher", type: "button", "aria-label": "Open chat", "aria-expanded": "false", "aria-controls": "chathub-panel",
      onclick: function () { setOpen(!state.open); },
    }, [el("span", { class: "launcher-icon icon-chat", html: ICONS.chat }), el("span", { class: "launcher-icon icon-down", html: ICONS.down }), ui.launcherBadge]);

    ui.preview = el("div", { class: "preview", hidden: true });

    ui.title = el("h2", { class: "title", id: "chathub-title", text: config.title || "Chat" });
    ui.subtitle = el("p", { class: "subtitle", text: "We typically reply in a few minutes" });
    ui.avatars = el("div", { class: "avatars", "aria-hidden": "true" });
    ui.banner = el("div", { class: "banner", role: "status", hidden: true });
    ui.log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": "Messages" });
    ui.typing = el("div", { class: "typing-row", hidden: true }, [
      el("span", { class: "avatar small", "aria-hidden": "true" }),
      el("span", { class: "typing-bubble", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]),
      el("span", { class: "sr-only", role: "status" }),
    ]);
    ui.scroller = el("div", { class: "body", onscroll: onScroll }, [ui.log, ui.typing]);
    ui.end = el("div", { class: "end" });
    ui.input = el("textarea", {
      class: "input", rows: "1", placeholder: "Write a message…", "aria-label": "Message", maxlength: "16384",
      oninput: function () { autoGrow(); updateSend(); typed(ui.input.value.trim().length > 0); },
      onkeydown: function (e) {
        if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); }
      },
      onblur: function () { stopTyping(); },
    });
    ui.send = el("button", { class: "send", type: "button", "aria-label": "Send message", disabled: true, html: ICONS.send, onclick: submit });
    ui.composer = el("div", { class: "composer" }, [ui.input, ui.send]);
    ui.footer = el("div", { class: "footer" }, [document.createTextNode("Powered by "), el("b", { text: "ChatHub" })]);
    ui.panel = el("section", {
      class: "panel", id: "chathub-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "chathub-title", hidden: true,
      onkeydown: function (e) { if (e.key === "Escape") { e.stopPropagation(); setOpen(false, ui.launcher); } },
    }, [
      el("header", { class: "header" }, [
        ui.avatars,
        el("div", { class: "heading" }, [ui.title, ui.subtitle]),
        ui.close = el("button", { class: "close", type: "button", "aria-label": "Close chat", html: ICONS.close, onclick: function () { setOpen(false, ui.launcher); } }),
      ]),
      ui.banner,
      ui.scroller,
      ui.end,
      ui.composer,
      ui.footer,
    ]);
    ui.root = el("div", { class: "root" + (config.left ? " left" : "") }, [ui.panel, ui.preview, ui.launcher]);
    root.append(style, ui.root);
    (document.body || document.documentElement).appendChild(host);
  }

  function autoGrow() {
    ui.input.style.height = "auto";
    ui.input.style.height = Math.min(ui.input.scrollHeight, 120) + "px";
  }

  function updateSend() { ui.send.disabled = !ui.input.value.trim(); }

  function submit() {
    var text = ui.input.value;
    if (!text.trim() || state.fatal) return;
    ui.input.value = "";
    autoGrow();
    updateSend();
    send(text);
  }

  function onScroll() {
    if (ui.scroller.scrollTop < 60) loadOlder();
  }

  /** Opens or closes the panel; focus moves once it is drawn (into the composer, or to `focusAfter`). */
  function setOpen(open, focusAfter) {
    state.open = open;
    session.set(openKey, open ? "1" : "0");
    rt.focusAfterDraw = open ? "composer" : focusAfter || null;
    render({ toBottom: open });
    if (open) {
      markSeenSoon();
      loadSignalR().catch(function () {}); // ready before the first message is sent
    }
  }

  /** One list entry: key, signature (rebuilt only when it changes) and how to build its node. */
  function entry(list, key, sig, build) { list.push({ key: key, sig: sig, build: build }); }

  function agentName(m) { return (m.sender && m.sender.name) || "Support"; }

  function deliveryOf(m) {
    if (m.messageType !== 0) return null;
    var seenAt = (state.conversation && state.conversation.agentLastSeenAt) || 0;
    return m.status === "read" || (state.agentSeenSeq > m.seq && seenAt >= m.createdAt) ? "read" : "sent";
  }

  function listEntries() {
    var list = [];
    var inboxName = (state.inbox && state.inbox.name) || "Support";
    var greeting = state.inbox && state.inbox.greetingEnabled && state.inbox.greetingMessage;
    if (state.hasOlder || state.loadingOlder) {
      entry(list, "older", String(state.loadingOlder), function () {
        return el("div", { class: "older" }, [el("button", {
          type: "button", class: "link", disabled: state.loadingOlder, onclick: loadOlder,
          text: state.loadingOlder ? "Loading earlier messages…" : "Load earlier messages",
        })]);
      });
    } else if (greeting) {
      entry(list, "greeting", greeting + inboxName, function () {
        return el("div", { class: "row them first last greeting" }, [
          el("span", { class: "avatar", text: initials(inboxName) }),
          el("div", { class: "stack" }, [el("div", { class: "sender", text: inboxName }), el("div", { class: "bubble" }, [markdownNode(greeting)])]),
        ]);
      });
    }

    var items = Array.from(state.messages.values()).sort(function (a, b) { return a.id - b.id; });
    outbox.items.forEach(function (o) {
      items.push({ pending: true, failed: o.failed, error: o.error, echoId: o.echoId, content: o.content, createdAt: o.createdAt, messageType: 0 });
    });
    var lastDay = null;
    items.forEach(function (m, i) {
      var day = dayKey(m.createdAt);
      if (day !== lastDay) {
        var label = dayLabel(m.createdAt);
        entry(list, "day:" + day, label, function () { return el("div", { class: "day", role: "separator" }, [el("span", { text: label })]); });
        lastDay = day;
      }
      if (m.messageType === 2) {
        entry(list, "m:" + m.id, m.content, function () { return el("div", { class: "activity", text: m.content }); });
        return;
      }
      var mine = m.messageType === 0;
      var prev = items[i - 1], next = items[i + 1];
      var sameGroup = function (a, b) {
        return a && b && a.messageType === b.messageType && a.messageType !== 2 && dayKey(a.createdAt) === dayKey(b.createdAt) &&
          Math.abs(a.createdAt - b.createdAt) <= GROUP_WINDOW_S && (mine || agentName(a) === agentName(b));
      };
      var first = !sameGroup(prev, m), last = !sameGroup(m, next);
      var status = m.pending ? (m.failed ? "failed" : "sending") : deliveryOf(m);
      var key = m.echoId ? "e:" + m.echoId : "m:" + m.id;
      var sig = [m.content, first, last, status, m.error, mine ? "" : agentName(m), timeLabel(m.createdAt),
        interactiveSignature(m, rt.answering[m.id])].join("\u0001");
      entry(list, key, sig, function () { return messageNode(m, mine, first, last, status); });
    });

    if (state.conversation && state.conversation.status === "resolved" && !state.fresh) {
      entry(list, "resolved:" + state.conversation.id, "", function () {
        return el("div", { class: "resolved" }, [
          el("span", { class: "resolved-icon", html: ICONS.resolved }),
          el("p", { class: "resolved-title", text: "This conversation has been resolved" }),
          el("p", { class: "resolved-text", text: "Still need help? We're happy to pick it up again." }),
          el("button", { type: "button", class: "primary", text: "Start a new conversation", onclick: startNew }),
        ]);
      });
    } else if (!state.conversation && !state.identity && config.prechat && !(config.name && config.email) && !state.fatal) {
      entry(list, "prechat", "", prechatNode);
    }
    return list;
  }

  function messageNode(m, mine, first, last, status) {
    var attrs = { class: "row " + (mine ? "me" : "them") + (first ? " first" : "") + (last ? " last" : ""), "data-status": status || null };
    if (m.id) attrs["data-message-id"] = m.id;
    var bubble = el("div", { class: "bubble" }, [markdownNode(m.content)]);
    var controls = mine || m.pending ? null : interactiveNode(m, { answer: answer, say: send, answering: rt.answering[m.id] });
    var meta = null;
    if (last || status === "failed" || status === "sending") {
      var parts = [el("time", { text: timeLabel(m.createdAt) })];
      if (status === "sending") parts.push(el("span", { class: "state sending", html: ICONS.clock }), el("span", { class: "state-text", text: "Sending" }));
      if (status === "sent") parts.push(el("span", { class: "state sent", html: ICONS.check }), el("span", { class: "state-text", text: "Sent" }));
      if (status === "read") parts.push(el("span", { class: "state read", html: ICONS.checks }), el("span", { class: "state-text", text: "Read" }));
      if (status === "failed") {
        parts.push(el("span", { class: "state failed", html: ICONS.alert }), el("span", { class: "state-text failed", text: m.error || "Not sent" }),
          el("button", { type: "button", class: "link retry", text: "Retry", onclick: function () { retry(m.echoId); } }));
      }
      meta = el("div", { class: "meta" }, parts);
    }
    return el("div", attrs, [
      mine ? null : el("span", { class: "avatar" + (first ? "" : " spacer"), "aria-hidden": "true", text: first ? initials(agentName(m)) : "" }),
      el("div", { class: "stack" }, [
        !mine && first ? el("div", { class: "sender", text: agentName(m) }) : null,
        el("span", { class: "sr-only", text: mine ? "You said:" : agentName(m) + " said:" }),
        bubble,
        controls,
        meta,
      ]),
    ]);
  }

  function prechatNode() {
    ui.prechatName = el("input", { type: "text", autocomplete: "name", placeholder: "Name", value: state.prechat.name, "aria-label": "Your name (optional)",
      oninput: function (e) { state.prechat.name = e.target.value; } });
    ui.prechatEmail = el("input", { type: "email", autocomplete: "email", placeholder: "Email", value: state.prechat.email, "aria-label": "Your email (optional)",
      oninput: function (e) { state.prechat.email = e.target.value; } });
    return el("form", { class: "prechat", onsubmit: function (e) { e.preventDefault(); ui.input.focus(); } }, [
      el("p", { class: "prechat-title", text: "Introduce yourself (optional)" }),
      el("p", { class: "prechat-text", text: "So we can follow up if you leave before we answer." }),
      config.name ? null : ui.prechatName,
      config.email ? null : ui.prechatEmail,
    ]);
  }

  function startNew() {
    state.fresh = true;
    showConversation(null);
    state.fresh = true;
    setTimeout(function () { ui.input.focus(); }, 0);
  }

  /** Reconciles the log with the entries: unchanged nodes stay, so screen readers hear only what is new. */
  function renderLog(list) {
    var wanted = [];
    var keys = new Set();
    list.forEach(function (e) {
      keys.add(e.key);
      var hit = cache.get(e.key);
      if (!hit || hit.sig !== e.sig) { hit = { sig: e.sig, node: e.build() }; cache.set(e.key, hit); }
      wanted.push(hit.node);
    });
    cache.forEach(function (v, k) { if (!keys.has(k)) cache.delete(k); });
    var current = ui.log.firstChild;
    wanted.forEach(function (node) {
      if (node === current) { current = current.nextSibling; return; }
      ui.log.insertBefore(node, current);
    });
    while (current) { var next = current.nextSibling; ui.log.removeChild(current); current = next; }
  }

  var renderQueued = null;
  /** Renders on the next frame (many pushes at once render once). */
  function render(options) {
    options = options || {};
    if (renderQueued) {
      renderQueued.toBottom = renderQueued.toBottom || options.toBottom;
      renderQueued.keepOffsetFromBottom = renderQueued.keepOffsetFromBottom || options.keepOffsetFromBottom;
      return;
    }
    renderQueued = Object.assign({}, options);
    var fire = function () { var o = renderQueued; renderQueued = null; draw(o); };
    if (document.visibilityState === "visible") requestAnimationFrame(fire); else setTimeout(fire, 0);
  }

  function draw(o) {
    var s = ui.scroller;
    var fromBottom = s.scrollHeight - s.scrollTop;
    var atBottom = s.scrollHeight - s.scrollTop - s.clientHeight < 48;
    var inboxName = (state.inbox && state.inbox.name) || "Support";

    ui.title.textContent = config.title || inboxName;
    ui.root.classList.toggle("open", state.open);
    ui.panel.hidden = !state.open;
    ui.launcher.setAttribute("aria-expanded", String(state.open));
    ui.launcher.setAttribute("aria-label", state.open ? "Close chat" : "Open chat" + (state.unread.size ? " (" + state.unread.size + " unread)" : ""));
    ui.launcherBadge.hidden = state.open || !state.unread.size;
    ui.launcherBadge.textContent = state.unread.size > 9 ? "9+" : String(state.unread.size);

    // Agents who answered in this conversation, newest first (else the inbox).
    var agents = [];
    Array.from(state.messages.values()).sort(function (a, b) { return b.id - a.id; }).forEach(function (m) {
      if (m.messageType === 1 && agents.indexOf(agentName(m)) < 0) agents.push(agentName(m));
    });
    if (!agents.length) agents = [inboxName];
    ui.avatars.replaceChildren.apply(ui.avatars, agents.slice(0, 3).map(function (n) { return el("span", { class: "avatar", text: initials(n) }); }));

    var offline = !state.online;
    var reconnecting = state.identity && state.conn === "reconnecting";
    ui.banner.hidden = !(offline || reconnecting);
    ui.banner.textContent = offline ? "You are offline. Messages will be sent when you are back." : "Reconnecting…";
    ui.subtitle.textContent = state.typing ? state.typing.name + " is typing…" : "We typically reply in a few minutes";

    renderLog(listEntries());

    var typing = state.typing && !state.fresh;
    ui.typing.hidden = !typing;
    if (typing) {
      ui.typing.firstChild.textContent = initials(state.typing.name);
      ui.typing.lastChild.textContent = state.typing.name + " is typing";
    }

    var resolved = state.conversation && state.conversation.status === "resolved" && !state.fresh;
    ui.composer.hidden = !!(resolved || state.fatal);
    ui.end.hidden = !state.fatal;
    ui.end.textContent = state.fatal || "";

    var p = state.preview;
    ui.preview.hidden = state.open || !p;
    if (p && !state.open) {
      ui.preview.replaceChildren(
        el("button", { type: "button", class: "preview-body", "aria-label": "Open chat: new message from " + agentName(p), onclick: function () { setOpen(true); } }, [
          el("span", { class: "avatar", text: initials(agentName(p)) }),
          el("span", { class: "preview-text" }, [el("b", { text: agentName(p) }), el("span", { text: p.content })]),
        ]),
        el("button", { type: "button", class: "preview-close", "aria-label": "Dismiss", html: ICONS.close, onclick: function () { state.preview = null; render(); } })
      );
    }

    if (rt.focusAfterDraw) {
      var target = rt.focusAfterDraw === "composer" ? (ui.composer.hidden ? ui.close : ui.input) : rt.focusAfterDraw;
      rt.focusAfterDraw = null;
      target.focus();
    }

    if (o.keepOffsetFromBottom) s.scrollTop = s.scrollHeight - fromBottom;
    else if (o.toBottom || atBottom) s.scrollTop = s.scrollHeight;
    // A short first page may not fill the panel: load more until it scrolls.
    if (state.open && state.hasOlder && !state.loadingOlder && s.scrollHeight <= s.clientHeight) loadOlder();
  }

  // ------------------------------------------------------------------ styles



  // ------------------------------------------------------------------ start

  function init() {
    if (!config.inbox) {
      console.error("ChatHub widget: add data-inbox=\"...\" (the inbox identifier) to its script tag.");
      return;
    }
    mount();
    state.open = config.openAtStart || session.get(openKey) === "1";
    render({ toBottom: true });

    rest("GET", "").then(function (inbox) {
      state.inbox = {
        name: inbox.name, greetingEnabled: inbox.greeting_enabled, greetingMessage: inbox.greeting_message,
        identityValidation: inbox.identity_validation_enabled,
      };
      render();
    }, function (e) {
      if (e.status === 404) state.fatal = "This chat is not available.";
      render();
    });

    // A returning visitor (or a signed-in user) connects at once: unread messages and live updates.
    if (state.identity || config.identifier) {
      ensureSession(!!config.identifier).catch(function (e) {
        if (e.status === 401) state.fatal = "This chat could not verify who you are.";
        render();
      });
    }

    window.addEventListener("storage", function (e) {
      // Another tab created this visitor: continue with the same contact and conversation.
      if (e.key === identityKey && e.newValue && !state.identity) {
        state.identity = storage.get(identityKey);
        ensureSession(false).then(function () { return outbox.flush(); }, function () {});
      }
    });
    window.addEventListener("offline", function () { state.online = false; render(); });
    window.addEventListener("online", function () {
      state.online = true;
      render();
      if (state.conn === "connected") refresh(); // catch up on anything the network dropped
    });
    document.addEventListener("visibilitychange", function () { if (isVisible()) markSeenSoon(); render(); });
  }

  window.ChatHubWidget = {
    open: function () { setOpen(true); },
    close: function () { setOpen(false); },
    toggle: function () { setOpen(!state.open); },
  };

  if (document.body) init();
  else document.addEventListener("DOMContentLoaded", init);
}
