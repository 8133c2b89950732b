// The console's Visitors view (issue 27): who is on the site now, for the agent's inboxes (an administrator: every
// inbox), each with the page open now and the time on it, this visit's pages, new or returning, the country the
// browser's language names (never an address) and where they came from; live from the hub's VisitorChanged pushes
// (to the inbox's agents) and read again every few seconds while open (a visitor who stops reporting is dropped after
// the server's presence window). "Start a chat" opens a conversation with the visitor with the agent's message; the
// visitor's widget opens with it. Its styles are visitors.css, loaded with it.

import { el, reconcile } from "../render/dom.js";

const RELOAD_MS = 10_000;

/** The visitors by id, after a push or a list: the newer report wins. */
export function upsertVisitor(visitors, v) {
  const known = visitors.get(v.id);
  if (!known || (v.last_seen_at ?? 0) >= (known.last_seen_at ?? 0)) visitors.set(v.id, v);
}

/** The visitors on the site at `now` (seconds): heard from within the window, the most recently seen first; the others
 *  are dropped from the map. */
export function onSite(visitors, now, windowSeconds) {
  for (const [id, v] of visitors) if (v.last_seen_at < now - windowSeconds) visitors.delete(id);
  return [...visitors.values()].sort((a, b) => b.last_seen_at - a.last_seen_at || a.id.localeCompare(b.id));
}

/** A hub push's visitor (camelCase) in the REST shape (snake_case) the view reads. */
export function fromPush(value) {
  if (Array.isArray(value)) return value.map(fromPush);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), fromPush(v)]));
}

/** "45 s", "3 min", "1 h 5 min". */
export function durationText(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${Math.floor(m / 60)} h`;
}

/** A visitor's name: its contact's, else "Visitor" and the first characters of its id. */
export const visitorName = (v) => v.name || `Visitor ${v.id.slice(0, 6)}`;

/** The host of an address, or the address itself when it is not one. */
export function hostOf(url) {
  try { return new URL(url).host || url; } catch { return url; }
}

/** @param api the agent's REST API; nav where the button goes; columns the conversations (hidden while open);
 *  canStart(inboxId) whether the agent may start a chat there (a member); onStarted(conversation) opens it. */
export function installVisitors({ api, nav, columns, canStart, onStarted }) {
  document.head.append(el("link", { rel: "stylesheet", href: "visitors.css" }));
  const visitors = new Map();
  const rows = new Map();
  let windowSeconds = 45;
  let reloadTimer = 0;
  let tickTimer = 0;
  let chatWith = null;

  const count = el("span", { class: "visitors-count" });
  const button = el("button", { id: "visitors-button", class: "topnav-button", type: "button", "aria-pressed": "false",
    onclick: () => (view.hidden ? open() : close()) }, "Visitors", count);
  nav.append(button);

  const list = el("ul", { class: "visitors-list", "aria-label": "Visitors on the site now" });
  const empty = el("p", { class: "visitors-empty" }, "Nobody is on the site right now.");
  const message = el("textarea", { class: "visitors-message", rows: "3", maxlength: "4000", "aria-label": "Your message" });
  const chatTitle = el("strong", {});
  const chatError = el("p", { class: "visitors-error", role: "alert", hidden: true });
  const send = el("button", { class: "btn primary", type: "submit" }, "Send and start the chat");
  const chatForm = el("form", { class: "visitors-chat", hidden: true, onsubmit: (e) => { e.preventDefault(); startChat(); } },
    el("label", {}, "Start a chat with ", chatTitle), message, chatError,
    el("div", { class: "visitors-chat-actions" }, send, el("button", { class: "btn ghost", type: "button", onclick: cancelChat }, "Cancel")));
  const view = el("section", { id: "visitors", class: "visitors", "aria-label": "Visitors", hidden: true },
    el("div", { class: "visitors-head" },
      el("h2", {}, "Visitors on the site"),
      el("button", { class: "btn ghost", type: "button", onclick: close }, "Back to conversations")),
    chatForm, empty, list);
  columns.after(view);
  // Settings and this view take the same place: opening one closes the other.
  document.getElementById("settings-button")?.addEventListener("click", () => { if (!view.hidden) close(true); });

  async function load() {
    try {
      const answer = await api.get("/api/v1/visitors");
      windowSeconds = answer.presence_window_seconds || windowSeconds;
      const listed = new Set(answer.payload.map((v) => v.id));
      for (const id of [...visitors.keys()]) if (!listed.has(id)) visitors.delete(id);
      for (const v of answer.payload) upsertVisitor(visitors, v);
    } catch (e) {
      console.warn("ChatHub console: visitors:", e.message);
    }
    render();
  }

  // The header's "Conversations" link stops looking current while this view is open.
  const conversationsLink = () => document.querySelector(".topnav a[href='/agent/']");

  function open() {
    document.getElementById("settings")?.setAttribute("hidden", "");
    document.getElementById("settings-button")?.setAttribute("aria-pressed", "false");
    conversationsLink()?.removeAttribute("aria-current");
    view.hidden = false;
    columns.hidden = true;
    button.setAttribute("aria-pressed", "true");
    load();
    clearInterval(reloadTimer);
    reloadTimer = setInterval(load, RELOAD_MS);
    clearInterval(tickTimer);
    tickTimer = setInterval(render, 1000); // time on page
  }

  function close(keepColumns = false) {
    view.hidden = true;
    if (!keepColumns) {
      columns.hidden = false;
      conversationsLink()?.setAttribute("aria-current", "page");
    }
    button.setAttribute("aria-pressed", "false");
    clearInterval(reloadTimer);
    clearInterval(tickTimer);
  }

  /** A VisitorChanged push. */
  function changed(pushed) {
    upsertVisitor(visitors, fromPush(pushed));
    render();
  }

  function render() {
    const now = Date.now() / 1000;
    const shown = onSite(visitors, now, windowSeconds);
    count.textContent = shown.length ? ` (${shown.length})` : "";
    if (view.hidden) return;
    empty.hidden = shown.length > 0;
    reconcile(list, shown.map((v) => ({
      key: v.id,
      sig: JSON.stringify([v, Math.floor(now)]),
      build: () => row(v, now),
    })), rows);
  }

  function row(v, now) {
    const page = v.current_page;
    const pages = v.pages || [];
    return el("li", { class: "visitor", "data-visitor-id": v.id },
      el("div", { class: "visitor-head" },
        el("strong", { class: "visitor-name" }, visitorName(v)),
        el("span", { class: `visitor-badge ${v.returning ? "returning" : "new"}` }, v.returning ? `Returning · visit ${v.visits}` : "New"),
        v.country ? el("span", { class: "visitor-country", title: "From the browser's language" }, v.country) : null,
        canStart(v.inbox_id)
          ? el("button", { class: "btn start-chat", type: "button", onclick: () => askChat(v) }, v.conversation_id ? "Start another chat" : "Start a chat")
          : null),
      page ? el("div", { class: "visitor-page" },
        el("a", { href: page.url, target: "_blank", rel: "noopener noreferrer nofollow", class: "visitor-current" }, page.title || page.url),
        el("span", { class: "visitor-time" }, ` · ${durationText(now - page.at)} on this page`)) : null,
      el("div", { class: "visitor-meta" },
        `${v.pages_this_visit} ${v.pages_this_visit === 1 ? "page" : "pages"} this visit`,
        v.referrer ? ` · came from ${hostOf(v.referrer)}` : ""),
      el("ol", { class: "visitor-pages", "aria-label": "Pages this visit" },
        pages.map((p) => el("li", { title: p.url }, p.title || p.url))));
  }

  function askChat(v) {
    chatWith = v;
    chatTitle.textContent = visitorName(v);
    chatError.hidden = true;
    chatForm.hidden = false;
    message.focus();
  }

  function cancelChat() {
    chatWith = null;
    chatForm.hidden = true;
    message.value = "";
  }

  async function startChat() {
    const v = chatWith;
    const content = message.value.trim();
    if (!v || !content) return;
    send.disabled = true;
    try {
      const conversation = await api.post(`/api/v1/inboxes/${v.inbox_id}/visitors/${encodeURIComponent(v.id)}/conversations`, { content });
      cancelChat();
      close();
      onStarted(conversation);
    } catch (e) {
      chatError.textContent = e.status === 404 ? "This visitor has left the site." : e.message;
      chatError.hidden = false;
    } finally {
      send.disabled = false;
    }
  }

  load(); // the count in the header from the start
  return { changed, open, close };
}
