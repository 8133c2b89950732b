// The Contacts view of the agent console (issue 25): "Contacts" in the header opens it in place of the conversations.
// It lists the contacts the agent sees (GET /contacts, newest first, 15 a page), or those a search finds
// (GET /contacts/search?q=: name, email, phone, identifier); choosing one shows its profile (contact-profile.js), whose
// previous conversations open in the conversations view. It brings its own stylesheet (contacts.css).

import { el } from "../render/dom.js";
import { createContactProfile } from "./contact-profile.js";

const ACCOUNT = "/api/v1/accounts/1";
/** The server's page size for both lists (ContactPage.Size). */
export const PAGE_SIZE = 15;
const SEARCH_DELAY_MS = 250;

/** The list's path for a search text (trimmed; none lists every contact) and a page. */
export function contactsPath(query, page) {
  const q = (query ?? "").trim();
  return q ? `${ACCOUNT}/contacts/search?q=${encodeURIComponent(q)}&page=${page}` : `${ACCOUNT}/contacts?page=${page}`;
}

/** @param options {api: () => REST API, nav: the header's nav, columns: the conversations' .columns, openConversation(id),
 *  onSaved(contact)}. Returns {open(contactId?), close(), profile}. */
export function installContactsView({ api, nav, columns, openConversation, onSaved }) {
  if (!document.querySelector("link[href='contacts.css']")) document.head.append(el("link", { rel: "stylesheet", href: "contacts.css" }));

  let query = "";
  let page = 1;
  let total = 0;
  let contacts = [];
  let selectedId = null;
  let searches = 0;
  let timer = 0;

  const profile = createContactProfile({
    api, idPrefix: "contacts-view-profile", onSaved: (contact) => { onSaved?.(contact); reloadList(); },
    openConversation: (id) => { close(); openConversation(id); },
  });
  const search = el("input", { id: "contacts-search", type: "search", class: "contacts-search", maxlength: "100", autocomplete: "off",
    placeholder: "Name, email, phone or identifier",
    oninput: () => { clearTimeout(timer); timer = setTimeout(() => find(search.value), SEARCH_DELAY_MS); } });
  const status = el("p", { class: "contacts-status", role: "status" });
  const list = el("ul", { class: "contacts-list", "aria-label": "Contacts found" });
  const more = el("button", { type: "button", class: "btn ghost contacts-more", hidden: true, onclick: () => load(page + 1) }, "More contacts");
  const empty = el("p", { class: "contacts-pick", text: "Choose a contact to see its profile." });

  const view = el("section", { id: "contacts-view", class: "contacts-view", "aria-labelledby": "contacts-view-title", hidden: true },
    el("div", { class: "contacts-head" },
      el("h2", { id: "contacts-view-title", text: "Contacts" }),
      el("form", { role: "search", class: "contacts-search-form", onsubmit: (e) => { e.preventDefault(); clearTimeout(timer); find(search.value); } },
        el("label", { for: "contacts-search", class: "visually-hidden-label" }, "Search contacts"), search,
        el("button", { type: "submit", class: "btn" }, "Search")),
      el("button", { type: "button", class: "btn ghost", onclick: () => close() }, "Back to conversations")),
    el("div", { class: "contacts-body" },
      el("div", { class: "contacts-results" }, status, list, more),
      el("div", { class: "contacts-profile-pane" }, empty, profile.node)));
  columns.after(view);

  const button = el("button", { type: "button", id: "contacts-button", class: "topnav-button", "aria-pressed": "false",
    onclick: () => (view.hidden ? open() : close()) }, "Contacts");
  const conversationsLink = nav.querySelector("a[href='/agent/']");
  (conversationsLink ?? nav.firstChild)?.after(button);

  function open(contactId = null) {
    // Settings (administrators) uses the same place: it steps aside.
    const settings = document.getElementById("settings");
    if (settings && !settings.hidden) {
      settings.hidden = true;
      document.getElementById("settings-button")?.setAttribute("aria-pressed", "false");
    }
    view.hidden = false;
    columns.hidden = true;
    conversationsLink?.removeAttribute("aria-current");
    button.setAttribute("aria-pressed", "true");
    if (contactId != null) choose(contactId);
    find(search.value, true);
    search.focus();
  }

  function close() {
    if (view.hidden) return;
    view.hidden = true;
    columns.hidden = false;
    conversationsLink?.setAttribute("aria-current", "page");
    button.setAttribute("aria-pressed", "false");
  }
  // Settings' gear opens its view where this one is: this one closes.
  document.addEventListener("click", (e) => { if (e.target.closest?.("#settings-button")) close(); }, true);

  function find(text, force = false) {
    if (!force && text.trim() === query) return;
    query = text.trim();
    load(1);
  }

  function reloadList() { return load(1, page); }

  /** Page `first` (1: a new list) up to page `last`. */
  async function load(first, last = first) {
    const token = ++searches;
    const rest = api();
    if (!rest) return;
    status.textContent = "Searching…";
    try {
      const found = first === 1 ? [] : [...contacts];
      for (let p = first; p <= last; p++) {
        const answer = await rest.get(contactsPath(query, p));
        if (token !== searches) return;
        found.push(...(answer?.payload ?? []));
        total = answer?.meta?.count ?? found.length;
        page = p;
      }
      contacts = found;
      status.textContent = total === 0 ? (query ? `No contact matches “${query}”.` : "No contacts yet.")
        : `${total} contact${total === 1 ? "" : "s"}${query ? ` match${total === 1 ? "es" : ""} “${query}”` : ""}`;
      draw();
    } catch (e) {
      if (token === searches) status.textContent = e.retry ? "Not connected: try again in a moment." : e.message;
    }
  }

  function choose(contactId) {
    selectedId = contactId;
    empty.hidden = true;
    profile.show(contactId);
    draw();
  }

  function draw() {
    more.hidden = contacts.length >= total;
    list.replaceChildren(...contacts.map((c) => el("li", {},
      el("button", { type: "button", class: "contacts-item", "data-contact-id": String(c.id), "aria-current": c.id === selectedId ? "true" : null,
        onclick: () => choose(c.id) },
      el("span", { class: "contacts-name", text: c.name || `Contact #${c.id}` }),
      el("span", { class: "contacts-sub", text: [c.email, c.phone_number, c.identifier].filter(Boolean).join(" · ") || "No email or phone" })))));
  }

  return { open, close, profile };
}
