// Settings > Inboxes: the list, a create form, and for each inbox its settings (name, greeting, HMAC, CSAT survey),
// its widget snippet and its members.

import { copyable, el, errorLine, field } from "./dom.js";

export function widgetSnippet(identifier) {
  return `<script src="${location.origin}/widget.js" data-inbox="${identifier}" async></script>`;
}

export function createInboxesTab(api) {
  const root = el("section", { class: "admin-tab", "aria-label": "Inboxes" });
  const list = el("div", { class: "admin-list" });
  const listError = errorLine();

  const name = el("input", { name: "name", required: true, maxlength: 255 });
  const greeting = el("input", { name: "greeting_message", maxlength: 1000 });
  const hmac = el("input", { type: "checkbox", name: "hmac_mandatory" });
  const formError = errorLine();
  const form = el("form", { class: "admin-form", "aria-label": "New inbox", onsubmit: create },
    el("h3", {}, "New inbox"),
    field("Name", name),
    field("Greeting", greeting),
    el("label", { class: "admin-check" }, hmac, "HMAC identity mandatory"),
    formError.node,
    el("button", { class: "btn primary", type: "submit" }, "Create inbox"));

  root.append(form, el("h3", {}, "Inboxes"), listError.node, list);

  async function create(e) {
    e.preventDefault();
    formError.clear();
    try {
      await api.post("/api/v1/inboxes", {
        name: name.value.trim(), greeting_message: greeting.value.trim() || undefined, hmac_mandatory: hmac.checked,
      });
      form.reset();
      await load();
    } catch (err) {
      formError.show(err.message);
    }
  }

  async function load() {
    listError.clear();
    try {
      const inboxes = await api.get("/api/v1/inboxes");
      list.replaceChildren(...inboxes.map((inbox) => inboxCard(api, inbox, load)));
    } catch (err) {
      listError.show(err.message);
    }
  }

  return { node: root, load };
}

function inboxCard(api, inbox, reload) {
  const members = el("div", { class: "admin-members", hidden: true });
  const toggle = el("button", { class: "btn", type: "button", "aria-expanded": "false", onclick: toggleMembers }, "Members");
  const settings = settingsForm(api, inbox, reload);
  const editToggle = el("button", { class: "btn", type: "button", "aria-expanded": "false", onclick: toggleSettings }, "Edit");
  const card = el("article", { class: "admin-card admin-inbox", "data-inbox-id": inbox.id },
    el("div", { class: "admin-card-head" },
      el("strong", { class: "admin-card-title" }, inbox.name),
      inbox.hmac_mandatory ? el("span", { class: "pill" }, "HMAC mandatory") : null,
      inbox.csat_survey_enabled ? el("span", { class: "pill" }, "CSAT survey") : null,
      el("span", { class: "admin-muted" }, inbox.identifier),
      editToggle,
      toggle),
    settings,
    el("p", { class: "admin-muted" }, "Widget snippet: paste it into the pages that show the chat."),
    copyable(widgetSnippet(inbox.identifier), `Widget snippet of ${inbox.name}`),
    members);

  function toggleSettings() {
    settings.hidden = !settings.hidden;
    editToggle.setAttribute("aria-expanded", String(!settings.hidden));
  }

  async function toggleMembers() {
    const open = members.hidden;
    members.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) await drawMembers(api, inbox, members);
  }
  return card;
}

async function drawMembers(api, inbox, container) {
  const error = errorLine();
  const picker = el("select", { "aria-label": `Agent to add to ${inbox.name}` });
  const form = el("form", { class: "admin-inline", onsubmit: add }, picker,
    el("button", { class: "btn", type: "submit" }, "Add member"), error.node);
  container.replaceChildren(el("p", { class: "admin-muted" }, "Loading members…"));
  try {
    const [{ payload: members }, agents] = await Promise.all([
      api.get(`/api/v1/inboxes/${inbox.id}/members`), api.get("/api/v1/agents"),
    ]);
    const memberIds = new Set(members.map((m) => m.id));
    picker.replaceChildren(...agents.filter((a) => !memberIds.has(a.id))
      .map((a) => el("option", { value: a.id }, `${a.name} (${a.email})`)));
    container.replaceChildren(
      el("ul", { class: "admin-member-list", "aria-label": `Members of ${inbox.name}` },
        members.map((m) => el("li", {}, `${m.name} · ${m.email} · ${m.role}`))),
      picker.options.length ? form : el("p", { class: "admin-muted" }, "Every agent is a member."));
  } catch (err) {
    error.show(err.message);
    container.replaceChildren(error.node);
  }

  async function add(e) {
    e.preventDefault();
    error.clear();
    try {
      await api.post(`/api/v1/inboxes/${inbox.id}/members`, { agent_ids: [Number(picker.value)] });
      await drawMembers(api, inbox, container);
    } catch (err) {
      error.show(err.message);
    }
  }
}

/** The inbox's settings (PATCH /api/v1/inboxes/{id}: only what is sent changes). */
function settingsForm(api, inbox, reload) {
  const name = el("input", { name: "name", required: true, maxlength: 255, value: inbox.name });
  const greeting = el("input", { name: "greeting_message", maxlength: 1000, value: inbox.greeting_message ?? "" });
  const hmac = el("input", { type: "checkbox", name: "hmac_mandatory" });
  hmac.checked = !!inbox.hmac_mandatory;
  const csat = el("input", { type: "checkbox", name: "csat_survey_enabled" });
  csat.checked = !!inbox.csat_survey_enabled;
  const replyTime = el("select", { name: "reply_time" },
    [["in_a_few_minutes", "In a few minutes"], ["in_a_few_hours", "In a few hours"], ["in_a_day", "In a day"]]
      .map(([value, label]) => el("option", { value, selected: inbox.reply_time === value }, label)));
  const error = errorLine();
  const form = el("form", { class: "admin-form admin-inbox-settings", "aria-label": `Settings of ${inbox.name}`, hidden: true, onsubmit: save },
    field("Name", name),
    field("Greeting", greeting),
    el("label", { class: "admin-check" }, hmac, "HMAC identity mandatory"),
    el("label", { class: "admin-check" }, csat, "Ask for a rating (CSAT) when a conversation is resolved"),
    field("Replies (the widget's header says it)", replyTime),
    error.node,
    el("button", { class: "btn primary", type: "submit" }, "Save"));

  async function save(e) {
    e.preventDefault();
    error.clear();
    try {
      await api.patch(`/api/v1/inboxes/${inbox.id}`, {
        name: name.value.trim(), greeting_message: greeting.value.trim(), hmac_mandatory: hmac.checked, csat_survey_enabled: csat.checked,
        reply_time: replyTime.value,
      });
      await reload();
    } catch (err) {
      error.show(err.message);
    }
  }
  return form;
}
