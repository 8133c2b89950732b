// Search (issue 25): a box in the conversation list's header. A query asks the hub for matching conversations (by
// contact or message text) and messages (each with a snippet); the results take the list's place until the box is
// cleared (Escape or the clear button). A message result opens its conversation scrolled to that message, which is
// highlighted. Snippets are text: the matched words are <mark> elements around text nodes, never HTML.

import { el } from "../render/dom.js";
import { ago } from "../render/time.js";

const MIN_LENGTH = 2;
const MAX_LENGTH = 100; // the server's limit (SearchRules.MaxQueryLength)
const DEBOUNCE_MS = 300;

/** A snippet cut into parts [{text, marked}] along its highlight ranges ({start, length}); ranges that overlap one
 *  already taken, or reach past the end, are left out. */
export function snippetParts(snippet, highlights) {
  const parts = [];
  let at = 0;
  for (const { start, length } of [...(highlights ?? [])].sort((a, b) => a.start - b.start)) {
    if (start < at || length <= 0 || start + length > snippet.length) continue;
    if (start > at) parts.push({ text: snippet.slice(at, start), marked: false });
    parts.push({ text: snippet.slice(start, start + length), marked: true });
    at = start + length;
  }
  if (at < snippet.length) parts.push({ text: snippet.slice(at), marked: false });
  return parts;
}

/** A snippet as nodes: text nodes, and each matched part in a <mark> (its text as text). */
function snippetNodes(snippet, highlights) {
  return snippetParts(snippet, highlights).map((p) => (p.marked ? el("mark", { text: p.text }) : document.createTextNode(p.text)));
}

/** @param app {hub: () => the Hub or null, openConversation(id), openMessage(conversationId, messageId),
 *  contactName(conversation), active(on): the list shows results (on) or itself} */
export function createSearch(app) {
  if (!document.querySelector("link[href='search.css']")) document.head.append(el("link", { rel: "stylesheet", href: "search.css" }));
  const input = el("input", {
    type: "search", class: "search-input", placeholder: "Search messages and contacts", "aria-label": "Search conversations and messages",
    maxlength: String(MAX_LENGTH), autocomplete: "off", spellcheck: "false",
  });
  const form = el("form", { class: "search-box", role: "search", onsubmit: (e) => { e.preventDefault(); run(); } }, [input]);
  const status = el("p", { class: "search-status", role: "status" });
  const conversations = el("ul", { class: "search-list", "aria-label": "Matching conversations" });
  const messages = el("ul", { class: "search-list", "aria-label": "Matching messages" });
  const conversationsHead = el("h2", { class: "search-head", text: "Conversations" });
  const messagesHead = el("h2", { class: "search-head", text: "Messages" });
  const results = el("div", { class: "search-results", hidden: true }, [status, conversationsHead, conversations, messagesHead, messages]);

  let timer = 0;
  let asked = 0; // the latest query's number: an older answer arriving late is dropped
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      input.value = "";
      run();
    }
  });

  async function run() {
    clearTimeout(timer);
    const q = input.value.trim();
    const mine = ++asked;
    if (q.length < MIN_LENGTH) {
      results.hidden = true;
      app.active(false);
      return;
    }
    results.hidden = false;
    app.active(true);
    status.textContent = "Searching…";
    const hub = app.hub();
    if (!hub) return;
    try {
      const [found, hits] = await Promise.all([hub.invoke("SearchConversations", { q }), hub.invoke("SearchMessages", { q })]);
      if (mine !== asked) return;
      show(found.conversations, hits.messages, hits.hasMore || found.hasMore);
    } catch (e) {
      if (mine !== asked) return;
      status.textContent = e?.message ? `Search failed: ${e.message}` : "Search failed";
      conversations.replaceChildren();
      messages.replaceChildren();
    }
  }

  function show(foundConversations, hits, more) {
    const count = foundConversations.length + hits.length;
    status.textContent = count ? `${hits.length} message${hits.length === 1 ? "" : "s"}, ${foundConversations.length} conversation${foundConversations.length === 1 ? "" : "s"}${more ? " (the newest)" : ""}` : "Nothing found";
    conversationsHead.hidden = conversations.hidden = !foundConversations.length;
    messagesHead.hidden = messages.hidden = !hits.length;
    conversations.replaceChildren(...foundConversations.map((c) => el("li", {}, el("button", {
      type: "button", class: "search-hit", "data-conversation-id": c.id, onclick: () => app.openConversation(c.id),
    }, [
      el("span", { class: "search-hit-top" }, [el("span", { class: "search-name", text: app.contactName(c) }),
        el("span", { class: `pill status-${c.status}`, text: c.status })]),
      el("span", { class: "search-snippet", text: `#${c.id}${c.messages?.length ? ` · ${c.messages[0].content.slice(0, 120)}` : ""}` }),
    ]))));
    messages.replaceChildren(...hits.map((hit) => el("li", {}, el("button", {
      type: "button", class: "search-hit", "data-message-id": hit.message.id, "data-conversation-id": hit.conversationId,
      onclick: () => app.openMessage(hit.conversationId, hit.message.id),
    }, [
      el("span", { class: "search-hit-top" }, [
        el("span", { class: "search-name", text: hit.contactName || `Conversation #${hit.conversationId}` }),
        hit.message.private ? el("span", { class: "pill note", text: "note" }) : null,
        el("time", { text: ago(hit.message.createdAt) }),
      ]),
      el("span", { class: "search-snippet" }, snippetNodes(hit.snippet, hit.highlights)),
    ]))));
  }

  return { node: form, results };
}

/** Scrolls the thread to a message and marks it for a moment (after the next draw, which may add it). */
export function highlightMessage(container, messageId) {
  requestAnimationFrame(() => requestAnimationFrame(() => {
    const node = container.querySelector(`[data-message-id="${Number(messageId)}"]`);
    if (!node) return;
    for (const old of container.querySelectorAll(".search-target")) old.classList.remove("search-target");
    node.classList.add("search-target");
    node.scrollIntoView({ block: "center" });
  }));
}
