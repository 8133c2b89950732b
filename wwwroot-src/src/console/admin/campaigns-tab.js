// Settings > Campaigns (issue 27): the account's campaigns (Chatwoot's ongoing website campaigns: a message the widget
// of an inbox shows as a bubble after some seconds on a page whose URL matches), a create form, and each one's edit
// form with Enabled and Delete; below, each inbox's post-chat form (the questions the widget asks after the rating).

import { el } from "../../render/dom.js";
import { errorLine, field } from "./controls.js";

const PATH = "/api/v1/accounts/1/campaigns";
const URL_HINT = "The page's full URL; * matches anything (https://shop.example/pricing*). A trailing slash and the #part do not matter.";

export function createCampaignsTab(api) {
  const root = el("section", { class: "admin-tab", "aria-label": "Campaigns" });
  const list = el("div", { class: "admin-list" });
  const listError = errorLine();
  const postChat = el("div", { class: "admin-list" });

  const title = el("input", { name: "title", required: true, maxlength: 255 });
  const message = el("textarea", { name: "message", required: true, maxlength: 5000, rows: 3 });
  const inbox = el("select", { name: "inbox_id", required: true });
  const sender = el("select", { name: "sender_id" });
  const url = el("input", { name: "url", type: "text", required: true, maxlength: 2048, placeholder: "https://shop.example/pricing*" });
  const seconds = el("input", { name: "time_on_page", type: "number", min: 0, max: 3600, value: 10, required: true });
  const enabled = el("input", { name: "enabled", type: "checkbox", checked: true });
  const businessHours = el("input", { name: "trigger_only_during_business_hours", type: "checkbox" });
  const formError = errorLine();
  const form = el("form", { class: "admin-form", "aria-label": "New campaign", onsubmit: create },
    el("h3", {}, "New campaign"),
    field("Title", title), field("Message", message), field("Inbox", inbox), field("Sent as", sender),
    field("Page URL", url), el("p", { class: "admin-muted" }, URL_HINT), field("Seconds on the page", seconds),
    el("label", { class: "admin-check" }, enabled, " Enabled"),
    el("label", { class: "admin-check" }, businessHours, " Only within the inbox's working hours"),
    formError.node,
    el("button", { class: "btn primary", type: "submit" }, "Create campaign"));

  root.append(form, el("h3", {}, "Campaigns"), listError.node, list, el("h3", {}, "Post-chat forms"),
    el("p", { class: "admin-muted campaigns-hint" }, "Questions the widget asks after the customer's rating (the inbox's CSAT survey)."), postChat);

  let agents = [];
  let inboxes = [];

  async function create(e) {
    e.preventDefault();
    formError.clear();
    try {
      await api.post(PATH, {
        title: title.value.trim(), message: message.value, inbox_id: Number(inbox.value), sender_id: sender.value ? Number(sender.value) : null,
        enabled: enabled.checked, trigger_only_during_business_hours: businessHours.checked,
        trigger_rules: { url: url.value.trim(), time_on_page: Number(seconds.value) },
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
      [agents, inboxes] = await Promise.all([api.get("/api/v1/agents"), api.get("/api/v1/inboxes")]);
      inbox.replaceChildren(...inboxes.map((i) => el("option", { value: i.id }, i.name)));
      sender.replaceChildren(el("option", { value: "" }, "The inbox (no agent)"), ...agents.map((a) => el("option", { value: a.id }, a.display_name || a.name)));
      const rows = await api.get(PATH);
      list.replaceChildren(...(rows.length ? rows.map((c) => campaignCard(api, c, load))
        : [el("p", { class: "admin-muted campaigns-hint" }, "No campaigns yet.")]));
      postChat.replaceChildren(...inboxes.map((i) => postChatCard(api, i)));
    } catch (err) {
      listError.show(err.message);
    }
  }

  return { node: root, load };
}

function campaignCard(api, campaign, reload) {
  const error = errorLine();
  const message = el("textarea", { name: "message", required: true, maxlength: 5000, rows: 3, "aria-label": `Message of ${campaign.title}` });
  message.value = campaign.message;
  const url = el("input", { name: "url", required: true, maxlength: 2048, value: campaign.trigger_rules.url, "aria-label": `Page URL of ${campaign.title}` });
  const seconds = el("input", { name: "time_on_page", type: "number", min: 0, max: 3600, value: campaign.trigger_rules.time_on_page,
    "aria-label": `Seconds on the page of ${campaign.title}` });
  const enabled = el("input", { name: "enabled", type: "checkbox", checked: campaign.enabled, "aria-label": `${campaign.title} enabled` });

  async function save(e) {
    e.preventDefault();
    error.clear();
    try {
      await api.patch(`${PATH}/${campaign.id}`, {
        message: message.value, enabled: enabled.checked, trigger_rules: { url: url.value.trim(), time_on_page: Number(seconds.value) },
      });
      await reload();
    } catch (err) {
      error.show(err.message);
    }
  }

  async function remove() {
    if (!confirm(`Delete the campaign ${campaign.title}?`)) return;
    error.clear();
    try {
      await api.del(`${PATH}/${campaign.id}`);
      await reload();
    } catch (err) {
      error.show(err.message);
    }
  }

  const from = campaign.sender ? campaign.sender.available_name : "the inbox";
  return el("form", { class: "admin-card admin-form admin-campaign", "data-campaign-id": campaign.id, "aria-label": `Campaign ${campaign.title}`, onsubmit: save },
    el("div", { class: "admin-card-head" },
      el("strong", { class: "admin-card-title" }, campaign.title),
      el("button", { class: "btn", type: "button", onclick: remove }, "Delete")),
    el("p", { class: "admin-muted" }, `${campaign.inbox.name}, sent as ${from}`),
    field("Message", message), field("Page URL", url), field("Seconds on the page", seconds),
    el("label", { class: "admin-check" }, enabled, " Enabled"),
    error.node,
    el("div", {}, el("button", { class: "btn", type: "submit" }, "Save")));
}

/** An inbox's post-chat form: one line per question ("Label", type, options separated by commas, required). */
function postChatCard(api, inbox) {
  const path = `/api/v1/accounts/1/inboxes/${inbox.id}/post_chat_form`;
  const rows = el("div", { class: "admin-list" });
  const error = errorLine();
  const saved = el("span", { class: "admin-muted", role: "status" });

  function questionRow(q = { id: "", label: "", type: "text", options: [], required: false }) {
    const label = el("input", { name: "label", maxlength: 200, value: q.label, "aria-label": "Question" });
    const type = el("select", { name: "type", "aria-label": "Answer type" },
      el("option", { value: "text", selected: q.type === "text" }, "Text"), el("option", { value: "choice", selected: q.type === "choice" }, "Choice"));
    const options = el("input", { name: "options", value: (q.options || []).join(", "), placeholder: "Yes, No", "aria-label": "Options (comma separated)" });
    const required = el("input", { type: "checkbox", checked: q.required, "aria-label": "Required" });
    const row = el("div", { class: "admin-postchat-row" }, label, type, options, el("label", { class: "admin-check" }, required, " Required"),
      el("button", { class: "btn", type: "button", onclick: () => row.remove() }, "Remove"));
    row.read = (i) => ({
      id: q.id || `q${i + 1}-${Date.now().toString(36)}`, label: label.value.trim(), type: type.value, required: required.checked,
      options: type.value === "choice" ? options.value.split(",").map((o) => o.trim()).filter(Boolean) : null,
    });
    return row;
  }

  async function save(e) {
    e.preventDefault();
    error.clear();
    saved.textContent = "";
    try {
      await api.request("PUT", path, { questions: [...rows.children].map((r, i) => r.read(i)) });
      saved.textContent = "Saved";
    } catch (err) {
      error.show(err.message);
    }
  }

  api.get(path).then((r) => rows.replaceChildren(...r.questions.map(questionRow)), (err) => error.show(err.message));
  return el("form", { class: "admin-card admin-form admin-postchat", "data-inbox-id": inbox.id, "aria-label": `Post-chat form of ${inbox.name}`, onsubmit: save },
    el("strong", { class: "admin-card-title" }, inbox.name), rows,
    el("div", {}, el("button", { class: "btn", type: "button", onclick: () => rows.append(questionRow()) }, "Add question"), " ",
      el("button", { class: "btn", type: "submit" }, "Save post-chat form"), " ", saved),
    error.node);
}
