// Settings > Webhooks: the list, a create form (url and the events as checkboxes; the signing secret shown once),
// delete, and each webhook's recent deliveries.

import { el } from "../../render/dom.js";
import { localDateTime as when } from "../../render/time.js";
import { errorLine, field, shownOnce } from "./controls.js";

// The events the server sends (Chatwoot's names); webwidget_triggered is accepted but never sent, so not offered.
const EVENTS = [
  "conversation_created", "conversation_status_changed", "conversation_updated", "message_created", "message_updated",
  "contact_created", "contact_updated", "conversation_typing_on", "conversation_typing_off",
];
const DEFAULT_EVENTS = new Set(EVENTS.filter((e) => !e.startsWith("conversation_typing")));
const WEBHOOKS = "/api/v1/webhooks";

export function createWebhooksTab(api) {
  const root = el("section", { class: "admin-tab", "aria-label": "Webhooks" });
  const list = el("div", { class: "admin-list" });
  const listError = errorLine();
  const secret = el("div", { class: "admin-secret" });

  const url = el("input", { name: "url", type: "url", required: true, placeholder: "https://example.com/chathub" });
  const boxes = EVENTS.map((name) => el("input", { type: "checkbox", value: name, checked: DEFAULT_EVENTS.has(name) }));
  const formError = errorLine();
  const form = el("form", { class: "admin-form", "aria-label": "New webhook", onsubmit: create },
    el("h3", {}, "New webhook"),
    field("URL", url),
    el("fieldset", { class: "admin-events" }, el("legend", {}, "Events"),
      boxes.map((box) => el("label", { class: "admin-check" }, box, box.value))),
    formError.node,
    el("button", { class: "btn primary", type: "submit" }, "Create webhook"));

  root.append(form, secret, el("h3", {}, "Webhooks"), listError.node, list);

  async function create(e) {
    e.preventDefault();
    formError.clear();
    try {
      const subscriptions = boxes.filter((b) => b.checked).map((b) => b.value);
      const { payload } = await api.post(WEBHOOKS, { url: url.value.trim(), subscriptions });
      form.reset();
      secret.replaceChildren(shownOnce(`Signing secret of ${payload.webhook.url}`, payload.webhook.secret));
      await load();
    } catch (err) {
      formError.show(err.message);
    }
  }

  async function load() {
    listError.clear();
    try {
      const { payload } = await api.get(WEBHOOKS);
      list.replaceChildren(...payload.webhooks.map((webhook) => webhookCard(api, webhook, load)));
    } catch (err) {
      listError.show(err.message);
    }
  }

  return { node: root, load };
}

function webhookCard(api, webhook, reload) {
  const error = errorLine();
  const deliveries = el("div", { class: "admin-deliveries", hidden: true });
  const toggle = el("button", { class: "btn", type: "button", "aria-expanded": "false", onclick: toggleDeliveries }, "Deliveries");

  async function remove() {
    if (!confirm(`Delete the webhook to ${webhook.url}? Its pending deliveries are dropped.`)) return;
    error.clear();
    try {
      await api.del(`${WEBHOOKS}/${webhook.id}`);
      await reload();
    } catch (err) {
      error.show(err.message);
    }
  }

  async function toggleDeliveries() {
    const open = deliveries.hidden;
    deliveries.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (!open) return;
    deliveries.replaceChildren(el("p", { class: "admin-muted" }, "Loading deliveries…"));
    try {
      const { payload } = await api.get(`${WEBHOOKS}/${webhook.id}/deliveries?limit=50`);
      deliveries.replaceChildren(deliveryTable(payload.deliveries));
    } catch (err) {
      error.show(err.message);
      deliveries.replaceChildren();
    }
  }

  return el("article", { class: "admin-card admin-webhook", "data-webhook-id": webhook.id },
    el("div", { class: "admin-card-head" },
      el("strong", { class: "admin-card-title" }, webhook.url),
      toggle,
      el("button", { class: "btn danger", type: "button", onclick: remove }, "Delete")),
    el("p", { class: "admin-muted" }, webhook.subscriptions.join(", ")),
    error.node,
    deliveries);
}

function deliveryTable(rows) {
  if (!rows.length) return el("p", { class: "admin-muted admin-no-deliveries" }, "No deliveries yet.");
  const head = ["Event", "Status", "Attempts", "Last error", "Next attempt", "Created"];
  return el("table", { class: "admin-table", "aria-label": "Deliveries" },
    el("thead", {}, el("tr", {}, head.map((h) => el("th", {}, h)))),
    el("tbody", {}, rows.map((d) => el("tr", {},
      el("td", {}, d.event), el("td", {}, d.status), el("td", {}, d.attempts), el("td", {}, d.last_error || "—"),
      el("td", {}, when(d.next_attempt_at)), el("td", {}, when(d.created_at))))));
}
