// Settings > Canned responses (issue 25): the account's canned responses (a short code and its content), a create
// form, and each one's edit form and Delete. Agents insert them in the composer by typing "/" (console/canned.js).

import { el } from "../../render/dom.js";
import { errorLine, field } from "./controls.js";

const PATH = "/api/v1/accounts/1/canned_responses";
const VARIABLES = "Variables: {{contact.name}}, {{contact.email}}, {{agent.name}}, {{conversation.id}}";

export function createCannedTab(api) {
  const root = el("section", { class: "admin-tab", "aria-label": "Canned responses" });
  const list = el("div", { class: "admin-list" });
  const listError = errorLine();

  const shortCode = el("input", { name: "short_code", required: true, maxlength: 50, pattern: "\\S+", title: "No spaces" });
  const content = el("textarea", { name: "content", required: true, maxlength: 10000, rows: 3 });
  const formError = errorLine();
  const form = el("form", { class: "admin-form", "aria-label": "New canned response", onsubmit: create },
    el("h3", {}, "New canned response"),
    field("Short code", shortCode), field("Content", content),
    el("p", { class: "admin-muted" }, VARIABLES),
    formError.node,
    el("button", { class: "btn primary", type: "submit" }, "Create canned response"));

  root.append(form, el("h3", {}, "Canned responses"),
    el("p", { class: "admin-muted canned-hint" }, "Agents type / and the short code in the composer to insert one."), listError.node, list);

  async function create(e) {
    e.preventDefault();
    formError.clear();
    try {
      await api.post(PATH, { short_code: shortCode.value.trim(), content: content.value });
      form.reset();
      await load();
    } catch (err) {
      formError.show(err.message);
    }
  }

  async function load() {
    listError.clear();
    try {
      const rows = await api.get(PATH);
      list.replaceChildren(...(rows.length ? rows.map((c) => cannedCard(api, c, load)) : [el("p", { class: "admin-muted canned-hint" }, "No canned responses yet.")]));
    } catch (err) {
      listError.show(err.message);
    }
  }

  return { node: root, load };
}

function cannedCard(api, canned, reload) {
  const error = errorLine();
  const shortCode = el("input", { name: "short_code", required: true, maxlength: 50, pattern: "\\S+", value: canned.short_code,
    "aria-label": `Short code of /${canned.short_code}` });
  const content = el("textarea", { name: "content", required: true, maxlength: 10000, rows: 3, "aria-label": `Content of /${canned.short_code}` });
  content.value = canned.content;

  async function save(e) {
    e.preventDefault();
    error.clear();
    try {
      await api.patch(`${PATH}/${canned.id}`, { short_code: shortCode.value.trim(), content: content.value });
      await reload();
    } catch (err) {
      error.show(err.message);
    }
  }

  async function remove() {
    if (!confirm(`Delete the canned response /${canned.short_code}?`)) return;
    error.clear();
    try {
      await api.del(`${PATH}/${canned.id}`);
      await reload();
    } catch (err) {
      error.show(err.message);
    }
  }

  return el("form", { class: "admin-card admin-form admin-canned", "data-canned-id": canned.id, "aria-label": `Canned response /${canned.short_code}`, onsubmit: save },
    el("div", { class: "admin-card-head" },
      el("strong", { class: "admin-card-title" }, `/${canned.short_code}`),
      el("button", { class: "btn", type: "button", onclick: remove }, "Delete")),
    field("Short code", shortCode), field("Content", content),
    error.node,
    el("div", {}, el("button", { class: "btn", type: "submit" }, "Save")));
}
