// Canned responses in the composer (issue 25): typing "/" at the start of a word opens the account's canned responses,
// filtered by what follows it (short code or content); arrow keys and Enter (or a click) put the chosen content in
// place of "/word", with its variables filled in; Escape closes the list. The list is read from Chatwoot's
// GET /api/v1/accounts/1/canned_responses each time it opens (an administrator may have changed it since).
// Data reaches the page only through textContent (render/dom.js's el).

import { el } from "../render/dom.js";

const PATH = "/api/v1/accounts/1/canned_responses";
/** How many suggestions the list shows at once. */
export const MAX_SUGGESTIONS = 8;

/** The "/word" the caret is in, when "/" starts a word (the text's start or after white space) and nothing but
 *  non-space characters follow it up to the caret: {start, query} (start: the index of "/"), else null. */
export function slashQuery(text, caret) {
  const before = text.slice(0, caret);
  const match = /(^|\s)\/(\S*)$/.exec(before);
  if (!match) return null;
  const query = match[2];
  return { start: caret - query.length - 1, query };
}

/** The canned responses that match `query` (ignoring case): short codes starting with it first, then short codes
 *  containing it, then those whose content contains it; by short code within each; at most `max`. */
export function filterCanned(list, query, max = MAX_SUGGESTIONS) {
  const q = query.toLowerCase();
  const rank = (c) => {
    const code = c.short_code.toLowerCase();
    if (code.startsWith(q)) return 0;
    if (code.includes(q)) return 1;
    return c.content.toLowerCase().includes(q) ? 2 : -1;
  };
  return list.map((c) => ({ c, r: rank(c) })).filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r || (a.c.short_code < b.c.short_code ? -1 : a.c.short_code > b.c.short_code ? 1 : 0))
    .slice(0, max).map((x) => x.c);
}

/** Fills `{{contact.name}}`, `{{contact.email}}`, `{{agent.name}}` and `{{conversation.id}}` (spaces inside the
 *  braces allowed, as Chatwoot's Liquid takes them) from `vars` ({contact: {name, email}, agent: {name},
 *  conversation: {id}}); a variable with no value becomes empty; any other `{{...}}` stays as written. */
export function fillVariables(content, vars) {
  const values = {
    "contact.name": vars.contact?.name,
    "contact.email": vars.contact?.email,
    "agent.name": vars.agent?.name,
    "conversation.id": vars.conversation?.id,
  };
  return content.replace(/\{\{\s*([a-z_]+\.[a-z_]+)\s*\}\}/g, (whole, name) =>
    Object.hasOwn(values, name) ? String(values[name] ?? "") : whole);
}

/** Puts `content` in place of the "/word" at [start, caret) of the textarea and places the caret after it. */
export function replaceSlashWord(text, start, caret, content) {
  return { text: text.slice(0, start) + content + text.slice(caret), caret: start + content.length };
}

/** Attaches the picker to the composer's textarea. `api()`: the REST API (null until signed in); `variables()`: the
 *  open conversation's {contact, agent, conversation}. Keys are taken in the composer's capture phase, so the
 *  textarea's own Enter (send) never sees an Enter that chose a canned response. */
export function installCannedPicker({ input, api, variables }) {
  const composer = input.parentElement;
  const list = el("ul", { class: "canned-list", role: "listbox", id: "canned-list", "aria-label": "Canned responses", hidden: true });
  composer.insertBefore(list, input);
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-autocomplete", "list");
  document.head.append(el("link", { rel: "stylesheet", href: "canned.css" }));

  let all = null; // the account's canned responses, read when the list opens
  let loading = null;
  let shown = [];
  let active = 0;
  let slash = null;

  async function load() {
    const rest = api();
    if (!rest) return;
    loading ??= rest.get(PATH).then((rows) => { all = rows; }).catch(() => { all = all ?? []; }).finally(() => { loading = null; });
    await loading;
  }

  function close() {
    slash = null;
    shown = [];
    list.hidden = true;
    list.replaceChildren();
    input.removeAttribute("aria-activedescendant");
  }

  function draw() {
    if (!slash || !all) return;
    shown = filterCanned(all, slash.query);
    if (!shown.length) {
      list.hidden = false;
      list.replaceChildren(el("li", { class: "canned-empty", text: all.length ? "No canned response matches" : "No canned responses yet" }));
      input.removeAttribute("aria-activedescendant");
      return;
    }
    active = Math.min(active, shown.length - 1);
    list.replaceChildren(...shown.map((c, i) => el("li", {
      id: `canned-option-${c.id}`, class: "canned-option", role: "option", "aria-selected": String(i === active), "data-short-code": c.short_code,
      // mousedown, not click: the textarea keeps its focus and caret.
      onmousedown: (e) => { e.preventDefault(); choose(c); },
    }, el("span", { class: "canned-code", text: `/${c.short_code}` }), el("span", { class: "canned-content", text: c.content }))));
    list.hidden = false;
    input.setAttribute("aria-activedescendant", `canned-option-${shown[active].id}`);
    list.children[active]?.scrollIntoView?.({ block: "nearest" });
  }

  function choose(c) {
    // Read again: the composer may show another conversation's draft since the list was drawn.
    const caret = input.selectionStart;
    const current = slashQuery(input.value, caret);
    if (!current) { close(); return; }
    const filled = fillVariables(c.content, variables());
    const { text, caret: after } = replaceSlashWord(input.value, current.start, caret, filled);
    close();
    input.value = text;
    input.setSelectionRange(after, after);
    input.focus();
    input.dispatchEvent(new Event("input", { bubbles: true })); // the draft, the Send button and typing follow
  }

  async function refresh() {
    const found = input.selectionStart === input.selectionEnd ? slashQuery(input.value, input.selectionStart) : null;
    if (!found) { close(); return; }
    const opening = !slash;
    slash = found;
    if (opening) active = 0;
    if (opening || !all) await load();
    draw();
  }

  input.addEventListener("input", (e) => { if (e.isTrusted) refresh(); }); // not the event choose() raises
  input.addEventListener("click", refresh);
  input.addEventListener("blur", close);
  composer.addEventListener("keydown", (e) => {
    if (e.target !== input || list.hidden || e.isComposing) return;
    const keys = { ArrowDown: 1, ArrowUp: -1 };
    if (e.key in keys && shown.length) {
      active = (active + keys[e.key] + shown.length) % shown.length;
      draw();
    } else if ((e.key === "Enter" || e.key === "Tab") && !e.shiftKey && shown.length) {
      choose(shown[active]);
    } else if (e.key === "Escape") {
      close();
    } else {
      return;
    }
    e.preventDefault();
    e.stopPropagation();
  }, true);
  close();
  return { close };
}
