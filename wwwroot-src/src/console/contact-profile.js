// A contact's profile (issue 25): its details and custom attributes, a form to edit its name, email and phone
// (PATCH /contacts/{id}), its previous conversations (each opens), and the agents' private notes on it
// (/contacts/{id}/notes: added, deleted, newest first). Shown under the open conversation's details and in the
// Contacts view (contacts-view.js), one instance each. Notes are internal: the server never sends them to the contact.
// Data reaches the page only through textContent (render/dom.js's el).

import { el } from "../render/dom.js";
import { ago, fullTime } from "../render/time.js";

const ACCOUNT = "/api/v1/accounts/1";
/** The server's limit on a note's content (ContactNoteRules.MaxContentLength). */
export const MAX_NOTE_LENGTH = 10000;

/** The custom attributes a profile lists: [label, text] by key, values that are not text as JSON. */
export function attributeRows(attributes) {
  return Object.entries(attributes ?? {}).map(([key, value]) => [
    key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, " "),
    typeof value === "string" ? value : JSON.stringify(value),
  ]);
}

/** What an edit sends: the fields changed, trimmed; a field emptied is left out (the API keeps a value it is not given). */
export function contactChanges(contact, form) {
  const changes = {};
  for (const [field, value] of Object.entries(form)) {
    const text = (value ?? "").trim();
    if (text && text !== (contact?.[field] ?? "")) changes[field] = text;
  }
  return changes;
}

/** Notes newest first (the server's order; kept after a local add). */
export function sortNotes(notes) {
  return [...notes].sort((a, b) => b.created_at - a.created_at || b.id - a.id);
}

/** @param options {api: () => the REST API or null, openConversation(id), onSaved(contact): the contact was edited,
 *  idPrefix: unique per instance (ids of labels and headings)}. Returns {node, show(contactId, conversationId), reload()}. */
export function createContactProfile({ api, openConversation, onSaved = () => {}, idPrefix = "contact-profile" }) {
  if (!document.querySelector("link[href='contacts.css']")) document.head.append(el("link", { rel: "stylesheet", href: "contacts.css" }));
  let contactId = null;
  let conversationId = null;
  let contact = null;
  let conversations = null;
  let notes = null;
  let loads = 0; // a newer show() makes older answers stale
  let failed = false; // the last reload missed something: "Not loaded" rather than "Loading…"

  const id = (name) => `${idPrefix}-${name}`;
  const refs = {};
  refs.title = el("h3", { class: "cp-title", id: id("title"), text: "Contact" });
  refs.details = el("dl", { class: "details-list cp-details" });
  refs.editButton = el("button", { type: "button", class: "btn cp-edit-button", "aria-expanded": "false", "aria-controls": id("edit"), onclick: () => toggleEdit() }, "Edit contact");

  const field = (name, label, type) => el("label", { class: "cp-field", for: id(name) }, label,
    el("input", { id: id(name), name, type, maxlength: "255", autocomplete: "off" }));
  refs.editError = el("p", { class: "cp-error", role: "alert", hidden: true });
  refs.edit = el("form", { class: "cp-edit", id: id("edit"), "aria-label": "Edit contact", hidden: true, onsubmit: (e) => { e.preventDefault(); save(); } },
    field("name", "Name", "text"), field("email", "Email", "email"), field("phone_number", "Phone", "tel"),
    refs.editError,
    el("div", { class: "cp-buttons" },
      el("button", { type: "submit", class: "btn primary" }, "Save"),
      el("button", { type: "button", class: "btn ghost", onclick: () => toggleEdit(false) }, "Cancel")));

  refs.conversations = el("ul", { class: "cp-conversations", "aria-labelledby": id("conversations") });
  refs.noteInput = el("textarea", { id: id("note"), class: "cp-note-input", rows: "3", maxlength: String(MAX_NOTE_LENGTH),
    placeholder: "Only agents see notes", oninput: () => { refs.addNote.disabled = !refs.noteInput.value.trim(); } });
  refs.addNote = el("button", { type: "submit", class: "btn cp-add-note", disabled: true }, "Add note");
  refs.noteError = el("p", { class: "cp-error", role: "alert", hidden: true });
  refs.notes = el("ul", { class: "cp-notes", "aria-labelledby": id("notes") });

  const node = el("section", { class: "contact-profile", "aria-labelledby": id("title"), hidden: true },
    el("div", { class: "cp-head" }, refs.title, refs.editButton),
    refs.details, refs.edit,
    el("h4", { id: id("conversations"), text: "Previous conversations" }), refs.conversations,
    el("h4", { id: id("notes"), text: "Notes" }),
    el("form", { class: "cp-note-form", "aria-label": "Add a note", onsubmit: (e) => { e.preventDefault(); addNote(); } },
      el("label", { for: id("note"), class: "cp-field" }, "New note"), refs.noteInput, refs.noteError, refs.addNote),
    refs.notes);

  const call = () => {
    const rest = api();
    if (!rest) throw new Error("Not signed in.");
    return rest;
  };
  const showError = (node, message) => { node.textContent = message || ""; node.hidden = !message; };

  /** Shows contact `next` (null hides the profile), as seen from conversation `fromConversation` (marked, not a link). */
  function show(next, fromConversation = null) {
    if (next === contactId && fromConversation === conversationId) return;
    const sameContact = next === contactId;
    contactId = next;
    conversationId = fromConversation;
    node.hidden = next == null;
    if (!sameContact) {
      contact = conversations = notes = null;
      toggleEdit(false);
      refs.noteInput.value = "";
      refs.addNote.disabled = true;
      showError(refs.noteError, "");
    }
    draw();
    if (next != null) reload();
  }

  /** Reads the contact, its conversations and its notes again (another agent may have changed them). */
  function reload() {
    const load = ++loads;
    const of = contactId;
    const rest = api();
    if (of == null || !rest) return Promise.resolve();
    const fresh = () => load === loads && of === contactId;
    failed = false;
    return Promise.all([
      rest.get(`${ACCOUNT}/contacts/${of}`).then((a) => { if (fresh()) contact = a?.payload ?? null; }),
      rest.get(`${ACCOUNT}/contacts/${of}/conversations`).then((a) => { if (fresh()) conversations = a?.payload ?? []; }),
      rest.get(`${ACCOUNT}/contacts/${of}/notes`).then((a) => { if (fresh()) notes = sortNotes(a ?? []); }),
    ].map((p) => p.catch((e) => {
      if (fresh()) failed = true;
      console.warn("ChatHub console:", e.message);
    }))).then(() => { if (fresh()) draw(); });
  }

  function toggleEdit(open = refs.edit.hidden) {
    refs.edit.hidden = !open;
    refs.editButton.setAttribute("aria-expanded", String(open));
    showError(refs.editError, "");
    if (!open) return;
    for (const name of ["name", "email", "phone_number"]) refs.edit.elements[name].value = contact?.[name] ?? "";
    refs.edit.elements.name.focus();
  }

  async function save() {
    const of = contactId;
    const f = refs.edit.elements;
    const changes = contactChanges(contact, { name: f.name.value, email: f.email.value, phone_number: f.phone_number.value });
    if (!Object.keys(changes).length) { toggleEdit(false); return; }
    try {
      const answer = await call().patch(`${ACCOUNT}/contacts/${of}`, changes);
      if (of !== contactId) return;
      contact = answer?.payload ?? contact;
      toggleEdit(false);
      draw();
      refs.editButton.focus();
      onSaved(contact);
    } catch (e) {
      showError(refs.editError, e.retry ? "Not connected: try again in a moment." : e.message);
    }
  }

  async function addNote() {
    const of = contactId;
    const content = refs.noteInput.value.trim();
    if (!content) return;
    refs.addNote.disabled = true;
    try {
      const note = await call().post(`${ACCOUNT}/contacts/${of}/notes`, { content });
      if (of !== contactId) return;
      notes = sortNotes([note, ...(notes ?? []).filter((n) => n.id !== note.id)]);
      refs.noteInput.value = "";
      showError(refs.noteError, "");
      draw();
    } catch (e) {
      refs.addNote.disabled = false;
      showError(refs.noteError, e.retry ? "Not connected: try again in a moment." : e.message);
    }
  }

  async function deleteNote(note) {
    const of = contactId;
    try {
      await call().del(`${ACCOUNT}/contacts/${of}/notes/${note.id}`);
    } catch (e) {
      if (e.status !== 404) { showError(refs.noteError, e.message); return; }
    }
    if (of !== contactId) return;
    notes = (notes ?? []).filter((n) => n.id !== note.id);
    draw();
    refs.noteInput.focus(); // the button pressed is gone
  }

  function draw() {
    if (contactId == null) return;
    const c = contact;
    const pending = failed ? "Could not be loaded." : "Loading…";
    refs.title.textContent = c?.name || "Contact";
    const rows = c ? [
      ["Name", c.name || "—"],
      ["Email", c.email || "No email given"],
      ["Phone", c.phone_number || "No phone given"],
      c.identifier ? ["Identifier", c.identifier] : null,
      c.created_at ? ["Since", fullTime(c.created_at)] : null,
      ...attributeRows(c.custom_attributes),
    ].filter(Boolean) : [["", pending]];
    refs.details.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));

    refs.conversations.replaceChildren(...(conversations == null ? [el("li", { class: "cp-muted", text: pending })]
      : conversations.length === 0 ? [el("li", { class: "cp-muted", text: "No conversations you can open." })]
        : conversations.map((conv) => {
          const current = conv.id === conversationId;
          const last = conv.last_non_activity_message?.content;
          const label = [`#${conv.id}`, conv.status, ago(conv.last_activity_at || conv.timestamp)].join(" · ");
          return el("li", {}, current
            ? el("span", { class: "cp-conversation current", "aria-current": "true" }, el("span", { text: `${label} · this conversation` }))
            : el("button", { type: "button", class: "cp-conversation", "data-conversation-id": String(conv.id), onclick: () => openConversation(conv.id) },
              el("span", { text: label }), last ? el("span", { class: "cp-snippet", text: last }) : null));
        })));

    refs.notes.replaceChildren(...(notes == null ? [el("li", { class: "cp-muted", text: pending })]
      : notes.length === 0 ? [el("li", { class: "cp-muted", text: "No notes yet." })]
        : notes.map((note) => {
          const author = note.user?.available_name || note.user?.name || "An agent";
          return el("li", { class: "cp-note", "data-note-id": String(note.id) },
            el("div", { class: "cp-note-head" },
              el("span", { class: "cp-note-author", text: author }),
              el("time", { title: fullTime(note.created_at), text: ago(note.created_at) }),
              el("button", { type: "button", class: "link cp-delete-note", "aria-label": `Delete the note by ${author}, ${fullTime(note.created_at)}`,
                onclick: () => deleteNote(note) }, "Delete")),
            el("p", { class: "cp-note-content", text: note.content }));
        })));
  }

  return { node, show, reload, get contactId() { return contactId; } };
}
