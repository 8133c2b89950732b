// Settings > Inboxes: the list, a create form, and for each inbox its settings (name, greeting, HMAC, CSAT survey),
// its widget snippet and its members (add, remove).

import { el } from "../../render/dom.js";
import { copyable, errorLine, field } from "./controls.js";
import { preChatFields } from "./prechat-fields.js";

/** The tag a site owner pastes: the widget from this server, for the inbox `identifier`. */
export function widgetSnippet(identifier, origin = location.origin) {
  return `<script src="${origin}/widget.js" data-inbox="${identifier}" async></script>`;
}

/** @param me the signed-in administrator ({id, ...}): removing oneself from an inbox gets its own warning.
 *  @param onLeftInbox (inbox) called once the administrator removed itself from an inbox. */
export function createInboxesTab(api, { me, onLeftInbox = () => {} }) {
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
      list.replaceChildren(...inboxes.map((inbox) => inboxCard(api, inbox, load, { me, onLeftInbox })));
    } catch (err) {
      listError.show(err.message);
    }
  }

  return { node: root, load };
}

function inboxCard(api, inbox, reload, self) {
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
    if (open) await drawMembers(api, inbox, members, self);
  }
  return card;
}

/** The members, each with a Remove button, and a picker of the other agents to add. Redrawn after each change. */
async function drawMembers(api, inbox, container, self) {
  const error = errorLine();
  const picker = el("select", { "aria-label": `Agent to add to ${inbox.name}` });
  const form = el("form", { class: "admin-inline", onsubmit: add }, picker,
    el("button", { class: "btn", type: "submit" }, "Add member"));
  container.replaceChildren(el("p", { class: "admin-muted" }, "Loading members…"));
  try {
    const [{ payload: members }, agents] = await Promise.all([
      api.get(`/api/v1/inboxes/${inbox.id}/members`), api.get("/api/v1/agents"),
    ]);
    const memberIds = new Set(members.map((m) => m.id));
    picker.replaceChildren(...agents.filter((a) => !memberIds.has(a.id))
      .map((a) => el("option", { value: a.id }, `${a.name} (${a.email})`)));
    container.replaceChildren(
      members.length
        ? el("ul", { class: "admin-member-list", "aria-label": `Members of ${inbox.name}` }, members.map(memberRow))
        : el("p", { class: "admin-muted" }, "No members: no agent sees this inbox's conversations."),
      picker.options.length ? form : el("p", { class: "admin-muted" }, "Every agent is a member."),
      error.node);
  } catch (err) {
    error.show(err.message);
    container.replaceChildren(error.node);
  }

  function memberRow(m) {
    const you = m.id === self.me.id;
    return el("li", { "data-agent-id": m.id },
      el("span", {}, `${m.name}${you ? " (you)" : ""} · ${m.email} · ${m.role}`),
      el("button", { class: "btn danger", type: "button", "aria-label": `Remove ${m.name} from ${inbox.name}`, onclick: () => remove(m, you) },
        "Remove"));
  }

  async function add(e) {
    e.preventDefault();
    error.clear();
    try {
      await api.post(`/api/v1/inboxes/${inbox.id}/members`, { agent_ids: [Number(picker.value)] });
      await drawMembers(api, inbox, container, self);
    } catch (err) {
      error.show(err.message);
    }
  }

  /** The server stops the agent's open connections hearing the inbox at once; its conversations leave its reach. */
  async function remove(member, you) {
    const question = you
      ? `Remove yourself from ${inbox.name}? You will no longer see this inbox's conversations.`
      : `Remove ${member.name} from ${inbox.name}? They will no longer see this inbox's conversations.`;
    if (!confirm(question)) return;
    error.clear();
    try {
      await api.del(`/api/v1/inboxes/${inbox.id}/members/${member.id}`);
      if (you) self.onLeftInbox(inbox);
      await drawMembers(api, inbox, container, self);
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
  const sneakPeek = el("input", { type: "checkbox", name: "sneak_peek_enabled" }); // issue 27
  sneakPeek.checked = inbox.sneak_peek_enabled !== false;
  const replyTime = el("select", { name: "reply_time" },
    [["in_a_few_minutes", "In a few minutes"], ["in_a_few_hours", "In a few hours"], ["in_a_day", "In a day"]]
      .map(([value, label]) => el("option", { value, selected: inbox.reply_time === value }, label)));
  const hours = workingHoursFields(inbox);
  const preChat = preChatFields(inbox);
  const error = errorLine();
  const form = el("form", { class: "admin-form admin-inbox-settings", "aria-label": `Settings of ${inbox.name}`, hidden: true, onsubmit: save },
    field("Name", name),
    field("Greeting", greeting),
    el("label", { class: "admin-check" }, hmac, "HMAC identity mandatory"),
    el("label", { class: "admin-check" }, csat, "Ask for a rating (CSAT) when a conversation is resolved"),
    el("label", { class: "admin-check" }, sneakPeek, "Sneak peek: agents see what the customer types before it is sent"),
    field("Replies (the widget's header says it)", replyTime),
    hours.node,
    preChat.node,
    error.node,
    el("button", { class: "btn primary", type: "submit" }, "Save"));

  async function save(e) {
    e.preventDefault();
    error.clear();
    try {
      await api.patch(`/api/v1/inboxes/${inbox.id}`, {
        name: name.value.trim(), greeting_message: greeting.value.trim(), hmac_mandatory: hmac.checked, csat_survey_enabled: csat.checked,
        reply_time: replyTime.value, timezone: hours.timezone(), working_hours: hours.value(),
        out_of_office_message: hours.outOfOffice(), sneak_peek_enabled: sneakPeek.checked,
        pre_chat_form_enabled: preChat.enabled(), pre_chat_form_options: preChat.options(),
      });
      await reload();
    } catch (err) {
      error.show(err.message);
    }
  }
  return form;
}

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** A day of the inbox's working hours (Chatwoot's {day_of_week, closed_all_day, open_hour, ...}, or none) as the
 *  form shows it: open or not, from and to as "HH:MM" (9 to 5 for a closed day, should it be opened). */
export function dayForm(d) {
  const pad = (n) => String(n ?? 0).padStart(2, "0");
  const open = !!d && !d.closed_all_day;
  return {
    open,
    from: open ? `${pad(d.open_hour)}:${pad(d.open_minutes)}` : "09:00",
    to: open ? `${pad(d.close_hour)}:${pad(d.close_minutes)}` : "17:00",
  };
}

/** The working_hours the form sends: every day, closed or open from-to; none when working hours are off (the
 *  server then turns them off). `days`: [{day (0 = Sunday), open, from, to}]. */
export function workingHoursPayload(enabled, days) {
  if (!enabled) return [];
  return days.map(({ day, open, from, to }) => {
    if (!open) return { day_of_week: day, closed_all_day: true };
    const [openHour, openMinutes] = from.split(":").map(Number);
    const [closeHour, closeMinutes] = to.split(":").map(Number);
    return { day_of_week: day, open_hour: openHour, open_minutes: openMinutes, close_hour: closeHour, close_minutes: closeMinutes };
  });
}

/** Working hours, Chatwoot's way: per day (0 = Sunday) closed, or open from-to, in the inbox's time zone. */
function workingHoursFields(inbox) {
  const byDay = new Map((inbox.working_hours || []).map((d) => [d.day_of_week, d]));
  const enabled = el("input", { type: "checkbox", name: "working_hours_enabled" });
  enabled.checked = !!inbox.working_hours_enabled;
  const timezone = el("input", { name: "timezone", maxlength: 64, value: inbox.timezone || "UTC" });
  const away = el("textarea", { name: "out_of_office_message", maxlength: 1024, rows: 2 });
  away.value = inbox.out_of_office_message ?? "";
  const rows = DAYS.map((label, day) => {
    const shown = dayForm(byDay.get(day));
    const open = el("input", { type: "checkbox", name: `open_${day}` });
    open.checked = shown.open;
    const from = el("input", { type: "time", name: `from_${day}`, value: shown.from });
    const to = el("input", { type: "time", name: `to_${day}`, value: shown.to });
    return { day, open, from, to, node: el("div", { class: "admin-inline" }, el("label", { class: "admin-check" }, open, label), from, "–", to) };
  });
  const node = el("fieldset", { class: "admin-hours" },
    el("legend", {}, "Working hours"),
    el("label", { class: "admin-check" }, enabled, "Only open during working hours (the widget says \"away\" outside them)"),
    field("Time zone (e.g. Europe/Berlin)", timezone),
    rows.map((r) => r.node),
    field("Out-of-office message (the widget shows it when nobody is online or outside working hours)", away));

  const value = () => workingHoursPayload(enabled.checked,
    rows.map(({ day, open, from, to }) => ({ day, open: open.checked, from: from.value, to: to.value })));
  return { node, value, timezone: () => timezone.value.trim() || "UTC", outOfOffice: () => away.value.trim() };
}
