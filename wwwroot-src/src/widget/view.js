// The widget's view: the launcher, the panel and the message log, drawn from the state on the next frame. Nodes
// are rebuilt only when their signature changes, so screen readers hear only what is new.

import { attachmentNodes, attachmentsSignature, formatSize } from "../render/attachments.js";
import { markdownNode, markdownText } from "../render/markdown.js";
import { headerLine } from "./availability.js";
import { createComposer } from "./composer.js";
import { el, initials, timeLabel, dayKey, dayLabel } from "./dom.js";
import { ICONS } from "./icons.js";
import { interactiveNode, interactiveSignature } from "./interactive.js";
import { CSS } from "./styles.js";

var GROUP_WINDOW_S = 5 * 60;

export function createView(context) {
  var config = context.config, state = context.state, rt = context.rt, outbox = context.outbox, actions = context.actions;
  var setOpen = actions.setOpen, loadOlder = actions.loadOlder, retry = actions.retry, answer = actions.answer,
    send = actions.send, typed = actions.typed, stopTyping = actions.stopTyping, startNew = actions.startNew, attach = actions.attach;

  var host = document.createElement("chathub-widget");
  host.setAttribute("style", "all: initial !important; display: block !important;");
  var root = host.attachShadow({ mode: "open" });
  var ui = {};
  var cache = new Map(); // list key -> {sig, node}
  var controlsCache = new Map(); // message id -> {sig, node}

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
    ui.subtitle = el("p", { class: "subtitle", text: headerLine(null, new Date()) });
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
    ui.composer = createComposer({
      canSend: function () { return !state.fatal; },
      onSend: send,
      onTyped: typed,
      onBlur: stopTyping,
      onFiles: attach,
    });
    ui.uploads = el("div", { class: "uploads", hidden: true });
    ui.lightbox = el("div", { class: "lightbox", hidden: true, role: "dialog", "aria-label": "Image", tabindex: "-1",
      onclick: closeImage, onkeydown: function (e) { if (e.key === "Escape") { e.stopPropagation(); closeImage(); } } });
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
      ui.uploads,
      ui.composer.node,
      ui.footer,
      ui.lightbox,
    ]);
    // Files dropped anywhere on the panel are attached.
    ui.panel.addEventListener("dragover", function (e) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      ui.panel.classList.add("dropping");
    });
    ui.panel.addEventListener("dragleave", function (e) { if (e.target === ui.panel || !ui.panel.contains(e.relatedTarget)) ui.panel.classList.remove("dropping"); });
    ui.panel.addEventListener("drop", function (e) {
      ui.panel.classList.remove("dropping");
      var files = Array.from((e.dataTransfer && e.dataTransfer.files) || []);
      if (!files.length) return;
      e.preventDefault();
      attach(files);
    });
    ui.root = el("div", { class: "root" + (config.left ? " left" : "") }, [ui.panel, ui.preview, ui.launcher]);
    root.append(style, ui.root);
    (document.body || document.documentElement).appendChild(host);
  }

  function hasFiles(e) { return !!e.dataTransfer && Array.from(e.dataTransfer.types || []).indexOf("Files") >= 0; }

  function openImage(url, name) {
    ui.lightbox.replaceChildren(el("img", { src: url, alt: name }));
    ui.lightbox.hidden = false;
    ui.lightbox.focus();
  }

  function closeImage() {
    ui.lightbox.hidden = true;
    ui.lightbox.replaceChildren();
  }

  function onScroll() {
    if (ui.scroller.scrollTop < 60) loadOlder();
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
      items.push({ pending: true, failed: o.failed, error: o.error, echoId: o.echoId, content: o.content, createdAt: o.createdAt, messageType: 0,
        attachments: o.attachments || [] });
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
        interactiveSignature(m, rt.answering[m.id]), attachmentsSignature(m)].join("\u0001");
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
    var bubble = m.content ? el("div", { class: "bubble" }, [markdownNode(m.content)]) : null;
    var files = attachmentNodes(el, m, config.server, openImage);
    var controls = mine || m.pending ? null : controlsOf(m);
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
        files,
        controls,
        meta,
      ]),
    ]);
  }

  /** An interactive message's controls, kept while its attributes stay the same: a row rebuilt because the
   *  grouping changed (a newer message) keeps what the customer has picked or typed. */
  function controlsOf(m) {
    var sig = interactiveSignature(m, rt.answering[m.id]);
    var hit = controlsCache.get(m.id);
    if (!hit || hit.sig !== sig) {
      hit = { sig: sig, node: interactiveNode(m, { answer: answer, say: send, answering: rt.answering[m.id] }) };
      controlsCache.set(m.id, hit);
    }
    return hit.node;
  }

  function prechatNode() {
    ui.prechatName = el("input", { type: "text", autocomplete: "name", placeholder: "Name", value: state.prechat.name, "aria-label": "Your name (optional)",
      oninput: function (e) { state.prechat.name = e.target.value; } });
    ui.prechatEmail = el("input", { type: "email", autocomplete: "email", placeholder: "Email", value: state.prechat.email, "aria-label": "Your email (optional)",
      oninput: function (e) { state.prechat.email = e.target.value; } });
    return el("form", { class: "prechat", onsubmit: function (e) { e.preventDefault(); ui.composer.input.focus(); } }, [
      el("p", { class: "prechat-title", text: "Introduce yourself (optional)" }),
      el("p", { class: "prechat-text", text: "So we can follow up if you leave before we answer." }),
      config.name ? null : ui.prechatName,
      config.email ? null : ui.prechatEmail,
    ]);
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
    ui.subtitle.textContent = state.typing ? state.typing.name + " is typing…" : headerLine(state.inbox, new Date());

    renderLog(listEntries());

    var typing = state.typing && !state.fresh;
    ui.typing.hidden = !typing;
    if (typing) {
      ui.typing.firstChild.textContent = initials(state.typing.name);
      ui.typing.lastChild.textContent = state.typing.name + " is typing";
    }

    drawUploads();

    var resolved = state.conversation && state.conversation.status === "resolved" && !state.fresh;
    ui.composer.node.hidden = !!(resolved || state.fatal);
    ui.end.hidden = !state.fatal;
    ui.end.textContent = state.fatal || "";

    var p = state.preview;
    ui.preview.hidden = state.open || !p;
    if (p && !state.open) {
      ui.preview.replaceChildren(
        el("button", { type: "button", class: "preview-body", "aria-label": "Open chat: new message from " + agentName(p), onclick: function () { setOpen(true); } }, [
          el("span", { class: "avatar", text: initials(agentName(p)) }),
          el("span", { class: "preview-text" }, [el("b", { text: agentName(p) }), el("span", { text: markdownText(p.content) })]),
        ]),
        el("button", { type: "button", class: "preview-close", "aria-label": "Dismiss", html: ICONS.close, onclick: function () { state.preview = null; render(); } })
      );
    }

    if (rt.focusAfterDraw) {
      var target = rt.focusAfterDraw === "composer" ? (ui.composer.node.hidden ? ui.close : ui.composer.input) : rt.focusAfterDraw;
      rt.focusAfterDraw = null;
      target.focus();
    }

    if (o.keepOffsetFromBottom) s.scrollTop = s.scrollHeight - fromBottom;
    else if (o.toBottom || atBottom) s.scrollTop = s.scrollHeight;
    // A short first page may not fill the panel: load more until it scrolls.
    if (state.open && state.hasOlder && !state.loadingOlder && s.scrollHeight <= s.clientHeight) loadOlder();
  }

  /** Files on their way (name, size, progress) and why a file was refused. */
  function drawUploads() {
    var rows = state.uploads.map(function (u) {
      return el("div", { class: "upload", "data-upload": u.name }, [
        el("span", { class: "upload-name", text: u.name + " (" + formatSize(u.size) + ")" }),
        el("progress", { max: "100", value: String(Math.round(u.progress * 100)), "aria-label": "Uploading " + u.name }),
      ]);
    });
    if (state.attachError) rows.push(el("div", { class: "upload-error", role: "alert", text: state.attachError }));
    ui.uploads.hidden = !rows.length;
    ui.uploads.replaceChildren.apply(ui.uploads, rows);
  }

  return {
    mount: mount,
    render: render,
    focusComposer: function () { ui.composer.input.focus(); },
  };
}
