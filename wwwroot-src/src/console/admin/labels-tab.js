// Settings > Labels (issue 25): the account's labels (Chatwoot's labels: a title of letters, digits, '-' and '_', kept
// in lower case; a colour; a description), a create form, each label's edit form and delete. Agents put them on
// conversations in the thread (console/labels.js); every change here tells the open console to read them again.

import { el } from "../../render/dom.js";
import { chipNode, DEFAULT_COLOR, labelChips, labelIndex } from "../labels.js";
import { errorLine, field } from "./controls.js";

const LABELS = "/api/v1/accounts/1/labels";

/** What a label form sends: the title trimmed, the colour, the description (empty: none on create, cleared on edit). */
export function labelPayload({ title, color, description }, editing = false) {
  const text = description.trim();
  return { title: title.trim(), color, description: text || (editing ? "" : undefined) };
}

export function createLabelsTab(api) {
  const root = el("section", { class: "admin-tab", "aria-label": "Labels" });
  const list = el("div", { class: "admin-list" });
  const listError = errorLine();

  const title = el("input", { name: "title", required: true, maxlength: 100, placeholder: "billing" });
  const color = el("input", { name: "color", type: "color", value: DEFAULT_COLOR });
  const description = el("input", { name: "description", maxlength: 1000 });
  const formError = errorLine();
  const form = el("form", { class: "admin-form", "aria-label": "New label", onsubmit: create },
    el("h3", {}, "New label"),
    el("p", { class: "admin-muted" }, "Agents add labels to conversations and filter the list by them. A title is one word: letters, digits, '-' or '_'."),
    field("Title", title), field("Colour", color), field("Description", description),
    formError.node,
    el("button", { class: "btn primary", type: "submit" }, "Create label"));

  root.append(form, el("h3", {}, "Labels"), listError.node, list);

  async function create(e) {
    e.preventDefault();
    formError.clear();
    try {
      await api.post(LABELS, labelPayload({ title: title.value, color: color.value, description: description.value }));
      form.reset();
      color.value = DEFAULT_COLOR;
      changed();
      await load();
    } catch (err) {
      formError.show(err.message);
    }
  }

  async function load() {
    listError.clear();
    try {
      const { payload } = await api.get(LABELS);
      list.replaceChildren(...(payload.length ? payload.map((label) => labelCard(api, label, load)) : [el("p", { class: "admin-muted" }, "No labels yet.")]));
    } catch (err) {
      listError.show(err.message);
    }
  }

  return { node: root, load };
}

/** The console's conversations read the labels again (their chips, picker and filter). */
function changed() {
  document.dispatchEvent(new CustomEvent("chathub:labels-changed"));
}

function labelCard(api, label, reload) {
  const error = errorLine();
  const [chip] = labelChips([label.title], labelIndex([label]));
  const title = el("input", { name: "title", required: true, maxlength: 100, value: label.title, "aria-label": `Title of ${label.title}` });
  const color = el("input", { name: "color", type: "color", value: /^#[0-9a-f]{6}$/i.test(label.color) ? label.color : DEFAULT_COLOR, "aria-label": `Colour of ${label.title}` });
  const description = el("input", { name: "description", maxlength: 1000, value: label.description ?? "", "aria-label": `Description of ${label.title}` });
  const saved = el("span", { class: "admin-muted", role: "status" });
  const edit = el("form", {
    class: "admin-form admin-label-edit", "aria-label": `Edit ${label.title}`, hidden: true,
    onsubmit: async (e) => {
      e.preventDefault();
      error.clear();
      try {
        await api.patch(`${LABELS}/${label.id}`, labelPayload({ title: title.value, color: color.value, description: description.value }, true));
        changed();
        await reload();
      } catch (err) {
        error.show(err.message);
      }
    },
  }, title, color, description, el("button", { class: "btn primary", type: "submit" }, "Save"), saved);
  const toggle = el("button", {
    class: "btn", type: "button", "aria-expanded": "false",
    onclick: () => { edit.hidden = !edit.hidden; toggle.setAttribute("aria-expanded", String(!edit.hidden)); },
  }, "Edit");

  async function remove() {
    if (!confirm(`Delete the label ${label.title}? Conversations that carry it keep it until their labels change.`)) return;
    error.clear();
    try {
      await api.del(`${LABELS}/${label.id}`);
      changed();
      await reload();
    } catch (err) {
      error.show(err.message);
    }
  }

  return el("article", { class: "admin-card admin-label", "data-label-id": label.id },
    el("div", { class: "admin-card-head" },
      chipNode(chip),
      label.description ? el("span", { class: "admin-muted" }, label.description) : null,
      toggle,
      el("button", { class: "btn danger", type: "button", onclick: remove }, "Delete")),
    edit,
    error.node);
}
