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
 * Messages are Markdown (never HTML); agents' interactive messages (buttons, rating, form, e-mail, cards) are
 * answered in place. Files (paperclip, drag and drop, pasted images) are uploaded first, with progress, then sent
 * by id (SendMessage's attachmentIds).
 *
 * Sources: wwwroot-src/src/widget/ (this file: session, sync, sending; view.js, composer.js, interactive.js
 * beside it) and ../protocol/ (connection, seq tracking, outbox, typing: shared with the agent console), bundled by
 * esbuild into one classic script.
 */
import { Hub } from "../protocol/connection.js";
import { Outbox } from "../protocol/outbox.js";
import { SeqTracker, catchUp } from "../protocol/seq.js";
import { TypingSignal } from "../protocol/typing.js";
import { tooLargeMessage, uploadFile } from "../render/attachments.js";
import { createRest, signalRLoader } from "./api.js";
import { readConfig } from "./config.js";
import { nowSeconds } from "./dom.js";
import { storage, session } from "./storage.js";
import { createView } from "./view.js";

const script = document.currentScript;
if (script && !window.ChatHubWidget) runWidget(script);

/** One widget per page: its state lives in this closure, the view gets it with the actions it may call. */
function runWidget(script) {
  var config = readConfig(script);
  var PAGE_SIZE = 20;
  var TYPING_SHOWN_MS = 8000;

  var identityKey = "chathub:" + config.inbox + ":" + (config.identifier ? "id:" + config.identifier : "guest");
  var openKey = "chathub:" + config.inbox + ":open";

  // The client API and the SignalR browser client, both from the ChatHub server.
  var rest = createRest(config);
  var loadSignalR = signalRLoader(config);

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
    uploads: [],                        // files being uploaded: {name, size, progress}
    attachError: null,                  // why the last file was refused (too large...)
    maxAttachmentBytes: 0,              // the server's limit per file (the public inbox tells)
  };

  var rt = { hub: null, starting: null, syncing: false, syncAgain: false, seenTimer: 0, typingTimer: 0, markedIds: {},
    answering: {}, focusAfterDraw: null };

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
    if (!c && item.attachmentIds) {
      // A file first: the conversation starts without a message, the file follows.
      var started = await invoke("StartConversation", { customAttributes: startAttributes() });
      if (!state.conversation || state.conversation.id !== started.id) showConversation(started);
      applyConversation(started);
      c = state.conversation;
    }
    if (!c) {
      var created = await invoke("StartConversation", {
        customAttributes: startAttributes(),
        message: { content: item.content, echoId: item.echoId },
      });
      if (!state.conversation || state.conversation.id !== created.id) showConversation(created);
      created.messages.forEach(function (m) { addMessage(m, false); });
      applyConversation(created);
    } else {
      addMessage(await invoke("SendMessage", { conversationId: c.id, content: item.content, echoId: item.echoId,
        attachmentIds: item.attachmentIds || null }), false);
    }
    render({ toBottom: true });
  }

  /** Files picked, dropped or pasted: each checked against the server's limit, uploaded with progress, then
   *  queued as a message of its own (the outbox keeps the order and retries the send with the same echoId). */
  function attach(files) {
    state.attachError = null;
    files.forEach(function (file) {
      var refused = tooLargeMessage(file, state.maxAttachmentBytes);
      if (refused) { state.attachError = refused; return; }
      var upload = { name: file.name || "pasted image", size: file.size, progress: 0 };
      state.uploads.push(upload);
      ensureSession(true).then(function () {
        if (!state.identity) throw { message: "Could not start the chat: try again." };
        var url = config.server + "/public/api/v1/inboxes/" + encodeURIComponent(config.inbox) + "/contacts/" +
          encodeURIComponent(state.identity.sourceId) + "/uploads";
        return uploadFile(url, {}, file, function (p) { upload.progress = p; render(); });
      }).then(function (attachment) {
        outbox.add({ content: "", attachmentIds: [attachment.id], attachments: [attachment], createdAt: nowSeconds() });
        render({ toBottom: true });
        return outbox.flush();
      }).catch(function (e) {
        state.attachError = (e && e.message) || "The file could not be sent.";
      }).then(function () {
        state.uploads = state.uploads.filter(function (u) { return u !== upload; });
        render();
      });
    });
    render();
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

  /** Customer typing (throttled by TypingSignal), only into a conversation that exists. */
  var typingSignal = new TypingSignal({
    send: function (on) {
      if (state.conversation) invoke("SetTyping", state.conversation.id, on).catch(function () {});
    },
  });
  function typed(hasText) {
    if (!state.conversation || state.conn !== "connected") return;
    typingSignal.typed(hasText);
  }
  function stopTyping() { typingSignal.stop(); }

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

  var view = createView({
    config: config, state: state, rt: rt, outbox: outbox,
    actions: { setOpen: setOpen, loadOlder: loadOlder, retry: retry, answer: answer, send: send, typed: typed, stopTyping: stopTyping, startNew: startNew,
      attach: attach },
  });
  var render = view.render;

  /** The inbox as the widget shows it; read again each time the panel opens, so the header's "online", reply time
   *  and working hours follow the inbox. */
  function loadInbox() {
    return rest("GET", "").then(function (inbox) {
      state.inbox = {
        name: inbox.name, greetingEnabled: inbox.greeting_enabled, greetingMessage: inbox.greeting_message,
        identityValidation: inbox.identity_validation_enabled, replyTime: inbox.reply_time, online: !!inbox.online,
        workingHoursEnabled: inbox.working_hours_enabled, workingHours: inbox.working_hours || [], timezone: inbox.timezone,
      };
      state.maxAttachmentBytes = inbox.max_attachment_bytes || 0;
      render();
    }, function (e) {
      if (e.status === 404 && !state.fatal) {
        state.fatal = "This chat is not available.";
        // For the site owner: the one line that says what to fix.
        console.error("ChatHub widget: no inbox \"" + config.inbox + "\" on " + config.server +
          ": check data-inbox on the widget's script tag (the inbox identifier in the agent console or GET /api/v1/inboxes).");
      }
      render();
    });
  }

  /** Opens or closes the panel; focus moves once it is drawn (into the composer, or to `focusAfter`). */
  function setOpen(open, focusAfter) {
    state.open = open;
    session.set(openKey, open ? "1" : "0");
    rt.focusAfterDraw = open ? "composer" : focusAfter || null;
    render({ toBottom: open });
    if (open) {
      if (state.inbox) loadInbox();
      markSeenSoon();
      loadSignalR().catch(function () {}); // ready before the first message is sent
    }
  }

  function startNew() {
    state.fresh = true;
    showConversation(null);
    state.fresh = true;
    setTimeout(function () { view.focusComposer(); }, 0);
  }



  // ------------------------------------------------------------------ start

  function init() {
    if (!config.inbox) {
      console.error("ChatHub widget: add data-inbox=\"...\" (the inbox identifier) to its script tag.");
      return;
    }
    view.mount();
    state.open = config.openAtStart || session.get(openKey) === "1";
    render({ toBottom: true });

    loadInbox();

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
