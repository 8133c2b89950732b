// Teams in the console (issue 24): the thread header's team picker ("No team" clears it), the team's name on the
// header and the list's rows, and the list's team filter. The account's teams come from the application API
// (GET .../teams) into `state.teams` (id -> name); the picker asks again when opened, and a conversation naming a team
// the console does not know (created since) asks again once. Assigning is the hub's AssignTeam; other consoles follow
// through the ConversationUpdated push, which carries teamId.

import { el } from "../render/dom.js";

const ACCOUNT = "/api/v1/accounts/1";

/** The account's teams into `state.teams`; load() asks at most once at a time, known(id) asks again for a team not
 *  held yet (then render() shows its name). */
export function createTeams(api, state, render) {
  let asking = null;
  const asked = new Set(); // unknown ids asked for once already: a deleted team is not asked for in a loop
  const teams = {
    load() {
      asking ??= api.get(`${ACCOUNT}/teams`)
        .then((list) => { state.teams = new Map(list.map((t) => [t.id, t.name])); render(); })
        .catch((e) => { if (!e.retry) console.warn("ChatHub console:", e.message); })
        .finally(() => { asking = null; });
      return asking;
    },
    known(teamId) {
      if (teamId == null || state.teams?.has(teamId) || asked.has(teamId)) return;
      asked.add(teamId);
      teams.load();
    },
  };
  return teams;
}

/** A team's name, or a neutral one while the teams are being read. */
export function teamName(state, teamId) {
  if (teamId == null) return null;
  return state.teams?.get(teamId) ?? `Team #${teamId}`;
}

/** The picker's and the filter's choices: [value, label], teams by name. */
export function teamChoices(state, noneLabel) {
  const teams = [...(state.teams ?? new Map())].sort((a, b) => a[1].localeCompare(b[1]) || a[0] - b[0]);
  return [["", noneLabel], ...teams.map(([id, name]) => [String(id), name])];
}

/** Replaces a select's options when the choices changed (the select keeps its focus and open state otherwise). */
function fillSelect(select, choices, sig) {
  const next = JSON.stringify(choices);
  if (next === sig) return sig;
  select.replaceChildren(...choices.map(([value, label]) => el("option", { value, text: label })));
  return next;
}

/** The thread header's team picker. assign(conversationId, teamId | null); refresh() reads the teams again. */
export function createTeamPicker({ assign, refresh }) {
  let shownId = null;
  let sig = "";
  const picker = el("select", {
    class: "select team-picker", "aria-label": "Team",
    onfocus: () => refresh(),
    onchange: () => { if (shownId != null) assign(shownId, picker.value ? Number(picker.value) : null); },
  });
  return {
    node: picker,
    /** The open conversation (or none) as it is now. */
    update(c, state, connected) {
      picker.hidden = !c;
      if (!c) { shownId = null; return; }
      shownId = c.id;
      const choices = teamChoices(state, "No team");
      // A team the console does not know yet still shows as chosen.
      if (c.teamId != null && !choices.some(([value]) => value === String(c.teamId))) choices.push([String(c.teamId), teamName(state, c.teamId)]);
      sig = fillSelect(picker, choices, sig);
      picker.value = c.teamId == null ? "" : String(c.teamId);
      picker.disabled = !connected;
    },
  };
}

/** The list's team filter. onChange(change) takes {teamId} like list-view's setFilter. */
export function createTeamFilter(onChange, refresh) {
  let sig = "";
  const select = el("select", {
    class: "select team-filter", "aria-label": "Team filter",
    onfocus: () => refresh(),
    onchange: () => onChange({ teamId: select.value ? Number(select.value) : null }),
  });
  const node = el("label", { class: "team-filter-label" }, [el("span", { text: "Team" }), select]);
  return {
    node,
    update(state) {
      // Shown once the account has a team, or while filtering by one.
      node.hidden = !state.teams?.size && state.filters.teamId == null;
      const choices = teamChoices(state, "All teams");
      if (state.filters.teamId != null && !choices.some(([value]) => value === String(state.filters.teamId)))
        choices.push([String(state.filters.teamId), teamName(state, state.filters.teamId)]);
      sig = fillSelect(select, choices, sig);
      select.value = state.filters.teamId == null ? "" : String(state.filters.teamId);
    },
  };
}
