// Labels in the console (issue 25): the account's labels (title, colour, description; administrators manage them in
// Settings > Labels), a conversation's labels as coloured chips (on its list row and under the thread header, where an
// agent adds one from a picker and removes one by its x), and the list's label filter. The calls are the application
// API's (GET .../labels, POST .../conversations/{id}/labels {labels}); a change reaches every console as the hub's
// ConversationUpdated, whose conversation carries its labels. The pure parts come first, for node tests.

import { el } from "../render/dom.js";

const ACCOUNT = "/api/v1/accounts/1";
export const DEFAULT_COLOR = "#1f93ff"; // the server's default (LabelRules.DefaultColor)
const UNKNOWN_COLOR = "#9aa1b1";        // a title no account label has (deleted, or not loaded yet)
const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

// ------------------------------------------------------------------ pure

/** The account's labels by title (the server keeps titles in lower case). */
export function labelIndex(labels) {
  return new Map((labels ?? []).map((l) => [l.title, { id: l.id, title: l.title, color: l.color, description: l.description ?? null }]));
}

/** Dark or light text, whichever reads on a background colour (#rgb or #rrggbb), by its relative luminance (WCAG). */
export function textColorOn(color) {
  if (!HEX.test(color ?? "")) return "#ffffff";
  let hex = color.slice(1);
  if (hex.length === 3) hex = [...hex].map((d) => d + d).join("");
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast with black (L + .05) / .05 against with white 1.05 / (L + .05): the larger wins.
  return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? "#1c2433" : "#ffffff";
}

/** A conversation's labels as chips: {title, color, text}, in the conversation's order; a title no account label has
 *  (its label was deleted) is shown grey. Only a hex colour is used (it goes into a style attribute). */
export function labelChips(titles, index) {
  return (titles ?? []).map((title) => {
    const known = index?.get(title)?.color;
    const color = HEX.test(known ?? "") ? known : UNKNOWN_COLOR;
    return { title, color, text: textColorOn(color) };
  });
}

/** The account labels a conversation does not carry yet (the picker's choices), by title. */
export function addableLabels(titles, index) {
  const carried = new Set(titles ?? []);
  return [...(index?.values() ?? [])].filter((l) => !carried.has(l.title)).sort((a, b) => a.title.localeCompare(b.title));
}

/** The titles with one more (kept once, in order) or one fewer: what POST .../labels is sent. */
export function withLabel(titles, title) {
  return [...new Set([...(titles ?? []), title])].sort();
}

export function withoutLabel(titles, title) {
  return (titles ?? []).filter((t) => t !== title);
}

/** Whether a conversation passes the list's label filter (null: every conversation). */
export function matchesLabel(c, label) {
  return label == null || (c.labels ?? []).includes(label);
}

/** Titles that a conversation carries but the console does not know yet (a label created since it loaded them). */
export function unknownTitles(titleLists, index) {
  const unknown = new Set();
  for (const titles of titleLists) for (const t of titles ?? []) if (!index?.has(t)) unknown.add(t);
  return [...unknown];
}

// ------------------------------------------------------------------ loading

/** The account's labels into state.labels (title -> label): loaded at sign-in, again when Settings changes them
 *  (the "chathub:labels-changed" event) and when a conversation shows a title not known yet (once per title).
 *  onLoaded: redraw. */
export function createLabelDirectory(api, state, onLoaded) {
  const asked = new Set();
  let loading = null;
  const directory = {
    async load() {
      if (loading) return loading;
      loading = api.get(`${ACCOUNT}/labels`).then((r) => {
        state.labels = labelIndex(r.payload);
        onLoaded();
      }).finally(() => { loading = null; });
      return loading;
    },
    /** Titles seen on conversations: one the console has not heard of loads the labels again. */
    notice(titleLists) {
      if (!state.labels) return;
      const fresh = unknownTitles(titleLists, state.labels).filter((t) => !asked.has(t));
      if (!fresh.length) return;
      for (const t of fresh) asked.add(t);
      directory.load().catch(() => {});
    },
  };
  document.addEventListener("chathub:labels-changed", () => { asked.clear(); directory.load().catch(() => {}); });
  return directory;
}

// ------------------------------------------------------------------ DOM

/** One coloured chip; with onRemove, an x that removes it. */
export function chipNode(chip, onRemove) {
  return el("span", { class: "label-chip", "data-label": chip.title, title: chip.title, style: `--label:${chip.color};--label-text:${chip.text}` },
    el("span", { class: "label-chip-title", text: chip.title }),
    onRemove ? el("button", {
      type: "button", class: "label-chip-remove", "aria-label": `Remove label ${chip.title}`, text: "×", onclick: () => onRemove(chip.title),
    }) : null);
}

/** The open conversation's labels, under its header: chips with an x, and an "Add label" picker of the account labels
 *  it does not carry. changeLabels(conversationId, edit) applies edit (titles -> titles): createLabelEditor. */
export function createLabelsBar(changeLabels) {
  let shown = null; // {id, labels}
  const chips = el("span", { class: "label-chips", "aria-label": "Labels", role: "list" });
  const picker = el("select", {
    class: "select label-picker", "aria-label": "Add label",
    onchange: () => {
      const title = picker.value;
      picker.value = "";
      if (shown && title) changeLabels(shown.id, (titles) => withLabel(titles, title));
    },
  });
  const node = el("div", { class: "labels-bar", hidden: true }, chips, picker);
  let sig = "";

  return {
    node,
    update(c, state, connected) {
      node.hidden = !c;
      if (!c) { shown = null; return; }
      shown = { id: c.id, labels: c.labels ?? [] };
      const chipList = labelChips(shown.labels, state.labels);
      const choices = addableLabels(shown.labels, state.labels);
      // Nothing to show and nothing to add (an account without labels): no bar.
      node.hidden = !chipList.length && !state.labels?.size;
      const next = JSON.stringify([c.id, chipList, choices.map((l) => l.title), connected]);
      if (next === sig) return;
      sig = next;
      chips.replaceChildren(...chipList.map((chip) => el("span", { role: "listitem" },
        chipNode(chip, connected ? (title) => changeLabels(c.id, (titles) => withoutLabel(titles, title)) : null))));
      picker.replaceChildren(el("option", { value: "", text: choices.length ? "+ Add label" : "No more labels" }),
        ...choices.map((l) => el("option", { value: l.title, text: l.title })));
      picker.disabled = !connected || !choices.length;
    },
  };
}

/** The list's label filter: every conversation, or those carrying one label. onChange({label}) like setFilter. */
export function createLabelFilter(onChange) {
  const select = el("select", {
    class: "select label-filter", "aria-label": "Label",
    onchange: () => onChange({ label: select.value || null }),
  });
  let sig = "";
  const node = el("label", { class: "label-filter-label", hidden: true }, el("span", { text: "Label" }), select);
  return {
    node,
    update(state) {
      const titles = [...(state.labels?.keys() ?? [])].sort();
      // A filter on a label deleted since stays chosen (and listed) until changed.
      if (state.filters.label && !titles.includes(state.filters.label)) titles.push(state.filters.label);
      const next = JSON.stringify(titles);
      if (next !== sig) {
        sig = next;
        select.replaceChildren(el("option", { value: "", text: "All labels" }), ...titles.map((t) => el("option", { value: t, text: t })));
      }
      select.value = state.filters.label ?? "";
      node.hidden = !titles.length; // an account without labels has nothing to filter by
    },
  };
}

/** Label changes of a conversation, one at a time: the API sets the whole list, so each change (edit: titles ->
 *  titles, withLabel or withoutLabel) is applied to the titles as the previous change left them, and two quick
 *  clicks add both labels instead of the second undoing the first. current(id): the titles held; applied(id,
 *  titles): the server's answer; run(action, id): main.js's error handling. Answers the change's promise. */
export function createLabelEditor({ api, current, applied, run }) {
  const queues = new Map(); // conversationId -> the last change's promise
  return function change(conversationId, edit) {
    const previous = queues.get(conversationId) ?? Promise.resolve();
    const next = previous.then(() => run(async () => {
      const { payload } = await api.post(`${ACCOUNT}/conversations/${conversationId}/labels`, { labels: edit(current(conversationId)) });
      applied(conversationId, payload);
    }, conversationId));
    queues.set(conversationId, next);
    next.finally(() => { if (queues.get(conversationId) === next) queues.delete(conversationId); });
    return next;
  };
}

/** The stylesheet of the chips, picker and Settings tab, so the console's own stays untouched. */
export function installLabelStyles() {
  if (!document.querySelector("link[href='labels.css']")) document.head.append(el("link", { rel: "stylesheet", href: "labels.css" }));
}

/** What a list call adds for the label filter (the hub's ListConversationsRequest.labels). */
export function labelRequest(filters) {
  return filters.label ? { labels: [filters.label] } : {};
}
