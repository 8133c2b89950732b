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
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.ChatHubWidget) return;

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

  // ------------------------------------------------------------------ small helpers

  function uuid() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b); // available on http pages too, unlike crypto.randomUUID
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      var v = attrs[k];
      if (v == null || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k === "html") node.innerHTML = v; // only for our own constant SVG icons
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    (children || []).forEach(function (c) { if (c != null) node.append(c); });
    return node;
  }

  /** Text with line breaks kept and http(s) links made clickable (never HTML from the message). */
  function richText(text) {
    var frag = document.createDocumentFragment();
    var re = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;
    var last = 0, m;
    while ((m = re.exec(text))) {
      if (m.index > last) frag.append(text.slice(last, m.index));
      frag.append(el("a", { href: m[0], target: "_blank", rel: "noopener noreferrer nofollow", text: m[0] }));
      last = m.index + m[0].length;
    }
    if (last < text.length) frag.append(text.slice(last));
    return frag;
  }

  function initials(name) {
    var parts = String(name || "?").trim().split(/\s+/).filter(function (w) { return /^[\p{L}\p{N}]/u.test(w); });
    return ((parts[0] || "?")[0] + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase();
  }

  var timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
  var dayFormat = new Intl.DateTimeFormat(undefined, { weekday: "long", month: "short", day: "numeric" });
  function timeLabel(seconds) { return timeFormat.format(new Date(seconds * 1000)); }
  function dayKey(seconds) { var d = new Date(seconds * 1000); return d.getFullYear() + "-" + d.getMonth() + "-" + d.getDate(); }
  function dayLabel(seconds) {
    var today = new Date(), d = new Date(seconds * 1000);
    var start = new Date(today.getFullYear(), today.getMonth(), today.getDate()).getTime() / 1000;
    if (seconds >= start) return "Today";
    if (seconds >= start - 86400) return "Yesterday";
    return dayFormat.format(d);
  }
  function nowSeconds() { return Math.floor(Date.now() / 1000); }

  /** localStorage when the page allows it, else memory (sandboxed frames, privacy modes). */
  var memory = {};
  var storage = {
    get: function (key) {
      try { var v = localStorage.getItem(key); return v ? JSON.parse(v) : null; } catch (e) { return memory[key] || null; }
    },
    set: function (key, value) {
      memory[key] = value;
      try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* memory only */ }
    },
    remove: function (key) {
      delete memory[key];
      try { localStorage.removeItem(key); } catch (e) { /* memory only */ }
    },
  };
  var session = {
    get: function (key) { try { return sessionStorage.getItem(key); } catch (e) { return null; } },
    set: function (key, value) { try { sessionStorage.setItem(key, value); } catch (e) { /* ignore */ } },
  };
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

  var HUB_ERROR = /^(validation|unauthorized|forbidden|not_found|conflict|too_large|rate_limited|unavailable): ([\s\S]*)$/;
  /** A hub call's error: a coded error from the server, or a connection problem (worth retrying). */
  function hubError(e) {
    var text = String((e && e.message) || e);
    var m = HUB_ERROR.exec(text);
    return m ? new ApiError(0, m[1], m[2]) : Object.assign(new Error(text), { retry: true });
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
    outbox: [],                         // own messages not acknowledged yet: {echoId, content, createdAt, failed?}
    hasOlder: false,
    loadingOlder: false,
    lastSeq: 0,                         // every change up to this seq (the contact's stream) has been applied
    aheadSeqs: new Set(),               // seqs seen beyond a gap
    agentSeenSeq: 0,                    // seq of the latest rise of the agents' seen marker
    typing: null,                       // {name, until}
    open: false,
    unread: new Set(),                  // agent message ids the customer has not seen
    preview: null,                      // the newest unseen agent message, shown beside the closed launcher
    conn: "idle",                       // idle | connecting | connected | reconnecting
    online: navigator.onLine !== false,
    prechat: { name: "", email: "" },
  };

  var rt = { conn: null, starting: null, flushing: false, syncing: false, syncAgain: false, gapTimer: 0, typingOn: false,
    typingSentAt: 0, typingIdle: 0, seenTimer: 0, typingTimer: 0, markedIds: {} };

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
    if (rt.conn && (state.conn === "connected" || state.conn === "reconnecting")) return Promise.resolve();
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

  async function connect() {
    var signalR = await loadSignalR();
    var token = state.identity.pubsubToken;
    var conn = new signalR.HubConnectionBuilder()
      .withUrl(config.server + "/hubs/chat", { accessTokenFactory: function () { return token; }, withCredentials: false })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: function (c) { return Math.min(10000, 500 * Math.pow(2, c.previousRetryCount)); } })
      .configureLogging(signalR.LogLevel.None)
      .build();
    conn.on("MessageCreated", onMessage);
    conn.on("MessageUpdated", onMessage);
    conn.on("ConversationCreated", onConversationCreated);
    conn.on("ConversationUpdated", onConversationUpdated);
    conn.on("Typing", onTyping);
    conn.on("ContactUpdated", function (c) {
      if (state.identity && c.id === state.identity.contactId) {
        state.identity.name = c.name || null;
        state.identity.email = c.email || null;
        storage.set(identityKey, state.identity);
      }
    });
    conn.onreconnecting(function () { setConn("reconnecting"); });
    conn.onreconnected(function () { setConn("connected"); refresh(); });
    conn.onclose(function () {
      if (rt.conn !== conn) return;
      setConn("reconnecting");
      setTimeout(function () { if (rt.conn === conn) startConnection(conn); }, 2000);
    });
    rt.conn = conn;
    setConn("connecting");
    await startConnection(conn);
  }

  /** Starts (or restarts) the connection until it works; a refused token means the contact is gone. */
  async function startConnection(conn) {
    for (var attempt = 0; rt.conn === conn; attempt++) {
      try {
        if (conn.state === "Disconnected") await conn.start();
        setConn("connected");
        await refresh();
        return;
      } catch (e) {
        if (/\b401\b|Unauthorized/.test(String(e && e.message))) {
          rt.conn = null;
          conn.stop();
          forgetIdentity();
          setConn("idle");
          return;
        }
        setConn("reconnecting");
        await new Promise(function (r) { setTimeout(r, Math.min(10000, 1000 * Math.pow(2, attempt))); });
      }
    }
  }

  function setConn(value) {
    state.conn = value;
    render();
  }

  function invoke(method) {
    var args = Array.prototype.slice.call(arguments);
    if (!rt.conn || rt.conn.state !== "Connected") return Promise.reject(Object.assign(new Error("not connected"), { retry: true }));
    return rt.conn.invoke.apply(rt.conn, args).catch(function (e) { throw hubError(e); });
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
      flushOutbox();
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
    state.lastSeq = Math.max(state.lastSeq, r.conversation.seq);
    dropSeqsUpTo(state.lastSeq);
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
    state.lastSeq = conversation ? conversation.seq : 0;
    state.aheadSeqs = new Set();
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

  /** Applies a change with this seq; a gap (a change not received) is filled from GetMessages {afterSeq}. */
  function noteSeq(seq) {
    if (seq <= state.lastSeq) return;
    state.aheadSeqs.add(seq);
    while (state.aheadSeqs.has(state.lastSeq + 1)) state.aheadSeqs.delete(++state.lastSeq);
    if (state.aheadSeqs.size) {
      // Results and pushes travel separately, so a short wait lets a change that is on its way arrive.
      clearTimeout(rt.gapTimer);
      rt.gapTimer = setTimeout(function () { if (state.aheadSeqs.size) resync(); }, 300);
    }
  }

  function dropSeqsUpTo(seq) {
    state.aheadSeqs.forEach(function (s) { if (s <= seq) state.aheadSeqs.delete(s); });
    while (state.aheadSeqs.has(state.lastSeq + 1)) state.aheadSeqs.delete(++state.lastSeq);
  }

  /** Every change after lastSeq, in seq order, with the conversation's current state: safe to repeat. */
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
        for (var more = true; more && showing(c.id);) {
          var r = await invoke("GetMessages", { conversationId: c.id, afterSeq: state.lastSeq, limit: 100 });
          if (!showing(c.id)) break;
          r.messages.forEach(function (m) { addMessage(m, false); });
          applyConversation(r.conversation);
          more = r.hasMore;
          var reached = more ? r.messages[r.messages.length - 1].seq : r.conversation.seq;
          state.lastSeq = Math.max(state.lastSeq, reached);
          dropSeqsUpTo(state.lastSeq);
        }
      } while (rt.syncAgain);
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
    var known = state.messages.has(m.id);
    state.messages.set(m.id, m);
    if (m.echoId) state.outbox = state.outbox.filter(function (o) { return o.echoId !== m.echoId; });
    if (!fromHistory) noteSeq(m.seq);
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
    flushOutbox();
  }

  function onConversationUpdated(c) {
    if (!state.conversation || c.id !== state.conversation.id) return;
    applyConversation(c, true);
    noteSeq(c.seq);
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
    state.outbox.push({ echoId: uuid(), content: text, createdAt: nowSeconds() });
    stopTyping();
    render({ toBottom: true });
    ensureSession(true).then(flushOutbox, function (e) { failAll(e); });
  }

  function failAll(e) {
    if (e && e.retry) return; // sent once the connection is back
    if (e && e.status === 401) state.fatal = "This chat could not verify who you are. Please reload the page.";
    state.outbox.forEach(function (o) { o.failed = true; });
    render();
  }

  /** Sends queued messages one at a time, in order; a lost connection leaves them queued (their echoId makes
   *  the retry safe: the server stores a repeated echoId once). */
  async function flushOutbox() {
    if (rt.flushing) return;
    rt.flushing = true;
    try {
      for (;;) {
        var item = state.outbox.find(function (o) { return !o.failed; });
        if (!item || state.conn !== "connected") return;
        try {
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
          state.outbox = state.outbox.filter(function (o) { return o !== item; });
          render({ toBottom: true });
        } catch (e) {
          if (e.retry) return;
          if (e.code === "rate_limited") { await new Promise(function (r) { setTimeout(r, 3000); }); continue; }
          item.failed = true;
          item.error = e.code === "too_large" || e.code === "validation" ? "Too long to send" : "Not sent";
          render();
        }
      }
    } finally {
      rt.flushing = false;
    }
  }

  function startAttributes() {
    var a = { page_url: location.href.slice(0, 500) };
    if (document.title) a.page_title = document.title.slice(0, 200);
    if (state.prechat.email.trim() && !config.email) a.email = state.prechat.email.trim().slice(0, 200);
    return a;
  }

  function retry(echoId) {
    state.outbox.forEach(function (o) { if (o.echoId === echoId) { o.failed = false; o.error = null; } });
    render();
    ensureSession(true).then(flushOutbox, failAll);
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

  var ICONS = {
    chat: '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M12 3C6.5 3 2 6.9 2 11.7c0 2.5 1.2 4.8 3.2 6.4-.2 1.3-.8 2.6-1.9 3.6-.2.2-.1.6.2.6 2.2.1 4.1-.7 5.4-1.7 1 .3 2 .4 3.1.4 5.5 0 10-3.9 10-8.7S17.5 3 12 3z"/></svg>',
    close: '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" d="M6 6l12 12M18 6L6 18"/></svg>',
    down: '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round" d="M6 9l6 6 6-6"/></svg>',
    send: '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M3.4 20.4l17.5-7.5c.8-.4.8-1.5 0-1.8L3.4 3.6c-.7-.3-1.4.3-1.3 1l.9 5.6c.1.5.5.8 1 .9L13 12l-9 .9c-.5.1-.9.4-1 .9l-.9 5.6c-.1.7.6 1.3 1.3 1z"/></svg>',
    check: '<svg viewBox="0 0 16 16" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" d="M3 8.5l3 3 7-7"/></svg>',
    checks: '<svg viewBox="0 0 20 16" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" d="M1.5 8.5l3 3 7-7M8.5 11.5l7-7"/></svg>',
    clock: '<svg viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="1.5"/><path fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" d="M8 5v3.2l2 1.3"/></svg>',
    alert: '<svg viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="6.5" fill="currentColor"/><path stroke="#fff" stroke-width="1.6" stroke-linecap="round" d="M8 4.8v3.6M8 11h0"/></svg>',
    resolved: '<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="10" fill="currentColor"/><path fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" d="M7.5 12.5l3 3 6-6.5"/></svg>',
  };

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
          el("div", { class: "stack" }, [el("div", { class: "sender", text: inboxName }), el("div", { class: "bubble" }, [richText(greeting)])]),
        ]);
      });
    }

    var items = Array.from(state.messages.values()).sort(function (a, b) { return a.id - b.id; });
    state.outbox.forEach(function (o) {
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
      var sig = [m.content, first, last, status, m.error, mine ? "" : agentName(m), timeLabel(m.createdAt)].join("\u0001");
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
    var bubble = el("div", { class: "bubble" }, [richText(m.content)]);
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

  var CSS = [
    ":host{all:initial}",
    ".root{--accent:__ACCENT__;--ink:#1c2433;--muted:#6b7385;--line:#e6e8ee;--bg:#f6f7f9;",
    "font:14px/1.45 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'Helvetica Neue',Arial,'Noto Sans','Liberation Sans',sans-serif;",
    "color:var(--ink);-webkit-font-smoothing:antialiased;position:fixed;right:20px;bottom:20px;z-index:2147483000;",
    "display:flex;flex-direction:column;align-items:flex-end;gap:14px;pointer-events:none}",
    ".root.left{right:auto;left:20px;align-items:flex-start}",
    ".root *{box-sizing:border-box}",
    ".root>*{pointer-events:auto}",
    "[hidden]{display:none!important}",
    "button{font:inherit;color:inherit;cursor:pointer}",
    "button:focus-visible,input:focus-visible,textarea:focus-visible,a:focus-visible{outline:2px solid var(--accent);outline-offset:2px}",
    ".sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",

    // launcher
    ".launcher{position:relative;width:60px;height:60px;border:0;border-radius:50%;background:var(--accent);color:#fff;",
    "box-shadow:0 6px 20px rgba(17,24,39,.22),0 2px 4px rgba(17,24,39,.12);display:grid;place-items:center;transition:transform .15s ease}",
    ".launcher:hover{transform:scale(1.05)}",
    ".launcher-icon{grid-area:1/1;width:28px;height:28px;display:block;transition:transform .2s ease,opacity .2s ease}",
    ".launcher-icon svg{width:100%;height:100%;display:block}",
    ".icon-down{opacity:0;transform:rotate(-90deg)}",
    ".open .icon-chat{opacity:0;transform:rotate(90deg)}.open .icon-down{opacity:1;transform:none}",
    ".badge{position:absolute;top:-3px;right:-3px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#ef4444;",
    "color:#fff;font-size:12px;font-weight:700;line-height:18px;text-align:center;border:2px solid #fff}",

    // preview of a new message beside the closed launcher
    ".preview{position:relative;max-width:300px;background:#fff;border-radius:14px;box-shadow:0 8px 28px rgba(17,24,39,.16);",
    "animation:rise .25s ease}",
    ".preview-body{display:flex;gap:10px;align-items:flex-start;padding:14px 34px 14px 14px;border:0;background:none;text-align:left;width:100%}",
    ".preview-text{display:flex;flex-direction:column;min-width:0}.preview-text b{font-size:13px}",
    ".preview-text span{color:var(--muted);display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}",
    ".preview-close{position:absolute;top:8px;right:8px;width:22px;height:22px;border:0;background:none;color:var(--muted);padding:3px;border-radius:50%}",
    ".preview-close svg{width:100%;height:100%}",

    // panel
    ".panel{width:380px;height:min(640px,calc(100vh - 120px));display:flex;flex-direction:column;background:#fff;border-radius:18px;",
    "overflow:hidden;box-shadow:0 16px 48px rgba(17,24,39,.2),0 2px 8px rgba(17,24,39,.08);animation:rise .22s ease}",
    "@keyframes rise{from{opacity:0;transform:translateY(10px)}to{opacity:1;transform:none}}",
    ".header{display:flex;align-items:center;gap:12px;padding:18px 16px 18px 20px;color:#fff;",
    "background:linear-gradient(135deg,var(--accent),color-mix(in srgb,var(--accent) 70%,#000))}",
    ".avatars{display:flex}.avatars .avatar{width:38px;height:38px;font-size:14px;border:2px solid rgba(255,255,255,.85);",
    "background:rgba(255,255,255,.22);color:#fff}.avatars .avatar+.avatar{margin-left:-10px}",
    ".heading{flex:1;min-width:0}",
    ".title{margin:0;font-size:16px;font-weight:650;line-height:1.3;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}",
    ".subtitle{margin:2px 0 0;font-size:13px;opacity:.86}",
    ".close{width:34px;height:34px;border:0;border-radius:50%;background:transparent;color:#fff;padding:7px;display:grid;place-items:center}",
    ".close:hover{background:rgba(255,255,255,.16)}.close svg{width:20px;height:20px}",
    ".banner{padding:8px 16px;background:#fff7e0;color:#7a5200;font-size:13px;border-bottom:1px solid #f3e3b5;text-align:center}",
    ".body{flex:1;overflow-y:auto;background:var(--bg);padding:16px 14px 10px;overscroll-behavior:contain}",
    ".log{display:flex;flex-direction:column}",

    // rows and bubbles
    ".row{display:flex;align-items:flex-end;gap:8px;margin-top:2px}",
    ".row.first{margin-top:12px}",
    ".row.me{justify-content:flex-end}",
    ".stack{display:flex;flex-direction:column;max-width:78%;min-width:0}",
    ".me .stack{align-items:flex-end}",
    ".sender{font-size:12px;color:var(--muted);margin:0 0 3px 4px;font-weight:600}",
    ".bubble{padding:9px 13px;border-radius:18px;white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word}",
    ".them .bubble{background:#fff;border:1px solid var(--line);border-bottom-left-radius:6px}",
    ".them:not(.first) .bubble{border-top-left-radius:6px}",
    ".me .bubble{background:var(--accent);color:#fff;border-bottom-right-radius:6px}",
    ".me:not(.first) .bubble{border-top-right-radius:6px}",
    ".me[data-status=sending] .bubble{opacity:.72}",
    ".me[data-status=failed] .bubble{background:#fff;color:var(--ink);border:1px solid #f3b4b4}",
    ".bubble a{color:inherit;text-decoration:underline}",
    ".avatar{width:28px;height:28px;flex:none;border-radius:50%;display:grid;place-items:center;font-size:11px;font-weight:700;",
    "background:color-mix(in srgb,var(--accent) 14%,#fff);color:var(--accent);letter-spacing:.02em}",
    ".avatar.spacer{visibility:hidden}",
    ".avatar.small{width:28px;height:28px}",
    ".meta{display:flex;align-items:center;gap:4px;font-size:11px;color:var(--muted);margin:4px 4px 2px}",
    ".state{display:inline-block;width:14px;height:14px}.state svg{width:100%;height:100%;display:block}",
    ".state.read{width:17px;color:var(--accent)}.state.failed{color:#dc2626}.state-text.failed{color:#b91c1c}",
    ".link{border:0;background:none;padding:0;color:var(--accent);font-weight:600;font-size:inherit}",
    ".link:hover{text-decoration:underline}",
    ".retry{margin-left:4px}",
    ".day{display:flex;justify-content:center;margin:18px 0 4px}",
    ".day span{font-size:11px;font-weight:600;color:var(--muted);background:#eceef2;padding:3px 10px;border-radius:10px}",
    ".activity{align-self:center;max-width:88%;text-align:center;font-size:12px;color:var(--muted);margin:12px 0 4px}",
    ".older{display:flex;justify-content:center;margin:2px 0 6px}",
    ".older .link{font-size:12px}",

    // typing indicator
    ".typing-row{display:flex;align-items:flex-end;gap:8px;margin-top:12px}",
    ".typing-bubble{display:inline-flex;gap:4px;padding:13px 14px;background:#fff;border:1px solid var(--line);border-radius:18px;border-bottom-left-radius:6px}",
    ".typing-bubble i{width:7px;height:7px;border-radius:50%;background:#9aa1b1;animation:blink 1.2s infinite ease-in-out}",
    ".typing-bubble i:nth-child(2){animation-delay:.15s}.typing-bubble i:nth-child(3){animation-delay:.3s}",
    "@keyframes blink{0%,60%,100%{opacity:.35;transform:translateY(0)}30%{opacity:1;transform:translateY(-3px)}}",

    // pre-chat and resolved cards
    ".prechat,.resolved{margin:16px 2px 4px;padding:14px 16px;background:#fff;border:1px solid var(--line);border-radius:14px;",
    "display:flex;flex-direction:column;gap:8px}",
    ".prechat-title,.resolved-title{margin:0;font-weight:650}",
    ".prechat-text,.resolved-text{margin:-4px 0 2px;color:var(--muted);font-size:13px}",
    ".prechat input{font:inherit;color:inherit;border:1px solid var(--line);border-radius:10px;padding:9px 12px;background:#fbfbfc;width:100%}",
    ".prechat input:focus{border-color:var(--accent);background:#fff;outline:none;box-shadow:0 0 0 3px color-mix(in srgb,var(--accent) 18%,transparent)}",
    ".resolved{align-items:center;text-align:center;padding:20px 16px}",
    ".resolved-icon{width:36px;height:36px;color:#16a34a}.resolved-icon svg{width:100%;height:100%}",
    ".primary{margin-top:4px;border:0;border-radius:10px;padding:10px 16px;background:var(--accent);color:#fff;font-weight:600}",
    ".primary:hover{filter:brightness(1.08)}",

    // composer
    ".end{padding:10px 16px;font-size:13px;color:#b91c1c;background:#fef2f2;border-top:1px solid #fde2e2}",
    ".composer{display:flex;align-items:flex-end;gap:8px;padding:10px 10px 10px 16px;border-top:1px solid var(--line);background:#fff}",
    ".input{flex:1;resize:none;border:0;outline:none;font:inherit;color:inherit;background:transparent;padding:8px 0;max-height:120px;min-height:38px;line-height:1.45}",
    ".input::placeholder{color:#9aa1b1}",
    ".input:focus-visible{outline:none}",
    ".composer:focus-within{box-shadow:inset 0 2px 0 color-mix(in srgb,var(--accent) 55%,transparent)}",
    ".send{width:38px;height:38px;flex:none;border:0;border-radius:50%;background:var(--accent);color:#fff;display:grid;place-items:center;padding:9px;",
    "transition:background .15s ease,transform .1s ease}",
    ".send svg{width:18px;height:18px;margin-left:2px}",
    ".send:disabled{background:#e3e6ec;color:#9aa1b1;cursor:default}",
    ".send:not(:disabled):active{transform:scale(.94)}",
    ".footer{text-align:center;font-size:11px;color:#a0a6b4;padding:0 0 8px;background:#fff}",
    ".footer b{font-weight:600;color:#7b8294}",

    // phones: the open panel takes the whole screen
    "@media (max-width:480px){.root{right:14px;bottom:14px}.root.left{left:14px}",
    ".root.open{inset:0}.panel{position:fixed;inset:0;width:100%;height:100%;border-radius:0}",
    ".root.open .launcher,.root.open .preview{display:none}}",
  ].join("\n");

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
        ensureSession(false).then(flushOutbox, function () {});
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
})();
