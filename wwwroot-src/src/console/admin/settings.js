// The Settings view of the agent console, for administrators only: a gear in the header opens it in place of the
// conversations, with its tabs (Inboxes, Agents, Teams, Labels, Canned responses, Webhooks). Other agents never get the button (and the server
// refuses them these endpoints anyway). It brings its own stylesheet, so the console's stays untouched.

import { el } from "../../render/dom.js";
import { createAgentsTab } from "./agents-tab.js";
import { createCampaignsTab } from "./campaigns-tab.js";
import { createCannedTab } from "./canned-tab.js";
import { createInboxesTab } from "./inboxes-tab.js";
import { createLabelsTab } from "./labels-tab.js";
import { createTeamsTab } from "./teams-tab.js";
import { createWebhooksTab } from "./webhooks-tab.js";

/** Called once signed in; does nothing for an agent who is not an administrator. `api`: the REST API with the
 *  agent's token (protocol/http.js; its errors read "code: detail", as the forms show them). onLeftInbox(inbox):
 *  the administrator removed itself from an inbox (the console drops that inbox's conversations). */
export function installSettings({ me, api, header, columns, onLeftInbox }) {
  if (me.role !== "administrator") return;
  document.head.append(el("link", { rel: "stylesheet", href: "admin.css" }));

  const tabs = [
    { name: "Inboxes", ...createInboxesTab(api, { me, onLeftInbox }) },
    { name: "Agents", ...createAgentsTab(api) },
    { name: "Teams", ...createTeamsTab(api) },
    { name: "Labels", ...createLabelsTab(api) },
    { name: "Canned responses", ...createCannedTab(api) },
    { name: "Campaigns", ...createCampaignsTab(api) },
    { name: "Webhooks", ...createWebhooksTab(api) },
  ];
  const tabButtons = tabs.map((tab) => el("button", {
    class: "admin-tab-button", type: "button", role: "tab", "aria-selected": "false", onclick: () => show(tab),
  }, tab.name));
  const view = el("section", { id: "settings", class: "admin", "aria-label": "Settings", hidden: true },
    el("div", { class: "admin-head" },
      el("h2", {}, "Settings"),
      el("div", { class: "admin-tabs", role: "tablist" }, tabButtons),
      el("button", { class: "btn ghost", type: "button", onclick: close }, "Back to conversations")),
    tabs.map((tab) => tab.node));
  columns.after(view);
  let current = tabs[0];

  const gear = el("button", {
    id: "settings-button", class: "btn ghost admin-gear", type: "button", title: "Settings", "aria-label": "Settings",
    "aria-pressed": "false", onclick: () => (view.hidden ? open() : close()),
  }, "⚙ Settings");
  header.prepend(gear);

  // The header's "Conversations" link stops looking current while Settings is open.
  const conversationsLink = document.querySelector(".topnav a[aria-current]");

  function open() {
    view.hidden = false;
    columns.hidden = true;
    conversationsLink?.removeAttribute("aria-current");
    gear.setAttribute("aria-pressed", "true");
    show(current);
  }

  function close() {
    view.hidden = true;
    columns.hidden = false;
    conversationsLink?.setAttribute("aria-current", "page");
    gear.setAttribute("aria-pressed", "false");
  }

  function show(selected) {
    current = selected;
    tabs.forEach((tab, i) => {
      const on = tab === selected;
      tab.node.hidden = !on;
      // A token or secret shown once does not linger on a tab left behind.
      if (!on) tab.node.querySelectorAll(".admin-once").forEach((shown) => shown.remove());
      tabButtons[i].setAttribute("aria-selected", String(on));
    });
    selected.load(); // fresh each time: another administrator may have changed things
  }
}
