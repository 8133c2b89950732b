// Settings > Agents: the list, a create form with the role, the new agent's invitation link (a one-time link to set a
// password; emailed too when the server sends mail), a password reset link, resetting an agent's access token (a new
// token is shown once: the server keeps only its hash), and deactivating or reactivating an agent.

import { el } from "../../render/dom.js";
import { copyable, errorLine, field, shownOnce } from "./controls.js";

/** A one-time account link as the administrator passes it on (the server's path made absolute). */
function linkNode(agentName, link) {
  const what = link.purpose === "invitation" ? `Invitation link for ${agentName}` : `Password reset link for ${agentName}`;
  const until = new Date(link.expires_at * 1000).toLocaleString();
  return el("div", { class: "admin-link", role: "status" },
    el("p", { class: "admin-once-warning" }, `${what}: send it to them. It works once, until ${until}.`),
    copyable(location.origin + link.url, what));
}

export function createAgentsTab(api) {
  const root = el("section", { class: "admin-tab", "aria-label": "Agents" });
  const list = el("div", { class: "admin-list" });
  const listError = errorLine();
  const secret = el("div", { class: "admin-secret" });

  const name = el("input", { name: "name", required: true, maxlength: 255 });
  const email = el("input", { name: "email", type: "email", required: true, maxlength: 320 });
  const role = el("select", { name: "role" },
    el("option", { value: "agent" }, "Agent"), el("option", { value: "administrator" }, "Administrator"));
  const formError = errorLine();
  const form = el("form", { class: "admin-form", "aria-label": "New agent", onsubmit: create },
    el("h3", {}, "New agent"),
    field("Name", name), field("Email", email), field("Role", role),
    formError.node,
    el("button", { class: "btn primary", type: "submit" }, "Create agent"));

  root.append(form, secret, el("h3", {}, "Agents"), listError.node, list);

  async function create(e) {
    e.preventDefault();
    formError.clear();
    try {
      const agent = await api.post("/api/v1/agents", { name: name.value.trim(), email: email.value.trim(), role: role.value });
      form.reset();
      secret.replaceChildren(...(agent.invitation ? [linkNode(agent.name, agent.invitation)] : []),
        shownOnce(`Access token of ${agent.name} (for integrations)`, agent.access_token));
      await load();
    } catch (err) {
      formError.show(err.message);
    }
  }

  async function reset(agent, error) {
    if (!confirm(`Give ${agent.name} a new access token? The current one stops working.`)) return;
    error.clear();
    try {
      const answer = await api.post(`/api/v1/agents/${agent.id}/reset_access_token`);
      secret.replaceChildren(shownOnce(`New access token of ${agent.name}`, answer.access_token));
      secret.scrollIntoView({ block: "nearest" });
    } catch (err) {
      error.show(err.message);
    }
  }

  async function sendLink(agent, error) {
    error.clear();
    try {
      const link = await api.post(`/api/v1/agents/${agent.id}/account_link`, {});
      secret.replaceChildren(linkNode(agent.name, link));
      secret.scrollIntoView({ block: "nearest" });
    } catch (err) {
      error.show(err.message);
    }
  }

  async function setActive(agent, active, error) {
    if (!active && !confirm(`Deactivate ${agent.name}? Their token stops working until you reactivate them.`)) return;
    error.clear();
    try {
      await api.patch(`/api/v1/agents/${agent.id}`, { active });
      await load();
    } catch (err) {
      error.show(err.message);
    }
  }

  async function load() {
    listError.clear();
    try {
      const agents = await api.get("/api/v1/agents");
      list.replaceChildren(...agents.map((agent) => {
        const error = errorLine();
        return el("article", { class: "admin-card admin-agent", "data-agent-id": agent.id },
          el("div", { class: "admin-card-head" },
            el("strong", { class: "admin-card-title" }, agent.name),
            el("span", { class: "admin-muted" }, agent.email),
            el("span", { class: "pill" }, agent.role),
            agent.active ? el("span", { class: "pill admin-availability" }, agent.availability) : el("span", { class: "pill admin-deactivated" }, "deactivated"),
            agent.password_set ? null : el("span", { class: "pill" }, "invited"),
            agent.active ? el("button", { class: "btn", type: "button", onclick: () => sendLink(agent, error) },
              agent.password_set ? "Password reset link" : "New invitation link") : null,
            el("button", { class: "btn", type: "button", onclick: () => reset(agent, error) }, "Reset token"),
            el("button", { class: "btn", type: "button", onclick: () => setActive(agent, !agent.active, error) },
              agent.active ? "Deactivate" : "Reactivate")),
          error.node);
      }));
    } catch (err) {
      listError.show(err.message);
    }
  }

  // Live: each agent's availability as others see it (offline once their last connection closed and the grace passed).
  document.addEventListener("chathub:presence", (e) => {
    const pill = list.querySelector(`[data-agent-id="${Number(e.detail.agentId)}"] .admin-availability`);
    if (pill) pill.textContent = e.detail.availability;
  });

  return { node: root, load };
}
