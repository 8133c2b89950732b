// Settings > Teams (issue 24): the teams (Chatwoot's teams: a name, a description and agents), a create form, each
// team's members (add, remove) and deleting a team; and each inbox's auto-assignment (new conversations go round
// robin to its online members, at most a number of open ones each). Kept beside the inboxes tab, not in it, so that
// each tab stays one concern.

import { el } from "../../render/dom.js";
import { errorLine, field } from "./controls.js";

const ACCOUNT = "/api/v1/accounts/1";

export function createTeamsTab(api) {
  const root = el("section", { class: "admin-tab", "aria-label": "Teams" });
  const list = el("div", { class: "admin-list" });
  const listError = errorLine();
  const autoList = el("div", { class: "admin-list" });

  const name = el("input", { name: "name", required: true, maxlength: 100 });
  const description = el("input", { name: "description", maxlength: 1000 });
  const formError = errorLine();
  const form = el("form", { class: "admin-form", "aria-label": "New team", onsubmit: create },
    el("h3", {}, "New team"),
    field("Name", name), field("Description", description),
    formError.node,
    el("button", { class: "btn primary", type: "submit" }, "Create team"));

  root.append(form, el("h3", {}, "Teams"), listError.node, list, el("h3", {}, "Auto-assignment"),
    el("p", { class: "admin-muted" }, "New conversations of an inbox with auto-assignment go to its online members in turn: "
      + "the one with the fewest open conversations of the inbox first, never past the limit."), autoList);

  async function create(e) {
    e.preventDefault();
    formError.clear();
    try {
      await api.post(`${ACCOUNT}/teams`, { name: name.value.trim(), description: description.value.trim() || undefined });
      form.reset();
      await load();
    } catch (err) {
      formError.show(err.message);
    }
  }

  async function load() {
    listError.clear();
    try {
      const [teams, agents, inboxes] = await Promise.all([api.get(`${ACCOUNT}/teams`), api.get(`${ACCOUNT}/agents`), api.get("/api/v1/inboxes")]);
      const cards = await Promise.all(teams.map(async (team) => teamCard(api, team, await api.get(`${ACCOUNT}/teams/${team.id}/team_members`), agents, load)));
      list.replaceChildren(...(cards.length ? cards : [el("p", { class: "admin-muted" }, "No teams yet.")]));
      autoList.replaceChildren(...inboxes.map((inbox) => autoAssignmentCard(api, inbox)));
    } catch (err) {
      listError.show(err.message);
    }
  }

  return { node: root, load };
}

function teamCard(api, team, members, agents, reload) {
  const error = errorLine();
  const candidates = agents.filter((a) => !members.some((m) => m.id === a.id));
  const adding = el("select", { "aria-label": `Add an agent to ${team.name}` },
    el("option", { value: "" }, "Add an agent…"), candidates.map((a) => el("option", { value: String(a.id) }, a.name)));
  adding.addEventListener("change", () => adding.value && change("post", [Number(adding.value)]));

  async function change(method, ids) {
    error.clear();
    try {
      if (method === "post") await api.post(`${ACCOUNT}/teams/${team.id}/team_members`, { user_ids: ids });
      else await api.request("DELETE", `${ACCOUNT}/teams/${team.id}/team_members`, { user_ids: ids });
      await reload();
    } catch (err) {
      error.show(err.message);
    }
  }

  async function remove() {
    if (!confirm(`Delete the team ${team.name}? Its conversations keep their agents but lose the team.`)) return;
    error.clear();
    try {
      await api.del(`${ACCOUNT}/teams/${team.id}`);
      await reload();
    } catch (err) {
      error.show(err.message);
    }
  }

  return el("article", { class: "admin-card admin-team", "data-team-id": team.id },
    el("div", { class: "admin-card-head" },
      el("strong", { class: "admin-card-title" }, team.name),
      team.description ? el("span", { class: "admin-muted" }, team.description) : null,
      el("button", { class: "btn", type: "button", onclick: remove }, "Delete")),
    el("ul", { class: "admin-members", "aria-label": `Members of ${team.name}` }, members.map((m) =>
      el("li", {}, el("span", {}, m.name),
        el("button", { class: "btn ghost", type: "button", "aria-label": `Remove ${m.name} from ${team.name}`, onclick: () => change("delete", [m.id]) }, "Remove")))),
    adding,
    error.node);
}

function autoAssignmentCard(api, inbox) {
  const error = errorLine();
  const saved = el("span", { class: "admin-muted", role: "status" });
  const enabled = el("input", { type: "checkbox", checked: inbox.enable_auto_assignment });
  const limit = el("input", { type: "number", min: 1, max: 100000, placeholder: "No limit", "aria-label": `Open conversations per agent in ${inbox.name}`,
    value: inbox.auto_assignment_config?.max_assignment_limit ?? null });
  const form = el("form", {
    class: "admin-form admin-auto-assignment", "aria-label": `Auto-assignment of ${inbox.name}`,
    onsubmit: async (e) => {
      e.preventDefault();
      error.clear();
      saved.textContent = "";
      try {
        await api.patch(`${ACCOUNT}/inboxes/${inbox.id}`, {
          enable_auto_assignment: enabled.checked,
          auto_assignment_config: { max_assignment_limit: limit.value ? Number(limit.value) : null },
        });
        saved.textContent = "Saved";
      } catch (err) {
        error.show(err.message);
      }
    },
  },
  el("strong", {}, inbox.name),
  el("label", { class: "admin-check" }, enabled, "Assign new conversations automatically"),
  field("At most this many open conversations per agent", limit),
  error.node,
  el("div", {}, el("button", { class: "btn", type: "submit" }, "Save"), saved));
  return form;
}
