// Assignment in the console (issue 24): who and what the console can name (the agent's inboxes, the account's agents),
// the thread header's assignee picker with the inbox's members and their availability, the Pending and Snooze
// actions, the list's inbox and agent filters, and the notice an agent with no inbox sees. main.js wires them; the
// calls are REST (the application API) and the hub's Assign / SetStatus.

import { el } from "../render/dom.js";

const ACCOUNT = "/api/v1/accounts/1";
const HOUR = 3600;

/** The names the console shows, loaded from the application API into `state.inboxes` (id -> name, every inbox the
 *  agent may see), `state.myInboxes` (id -> name, those it is a member of: the list's) and `state.directory` (agents
 *  by id: {id, name, role, availability}); an inbox's members are asked for once each. */
export function createDirectory(api, state) {
  const members = new Map(); // inboxId -> Promise<[agent]>
  const directory = {
    async load() {
      const [inboxes, agents] = await Promise.all([api.get(`${ACCOUNT}/inboxes`), api.get(`${ACCOUNT}/agents`)]);
      members.clear();
      const named = new Map(inboxes.payload.map((i) => [i.id, i.name]));
      // An administrator sees every inbox: its own are those it is a member of.
      const mine = state.me.role !== "administrator" ? named : new Map((await Promise.all([...named].map(async ([id, name]) =>
        (await directory.members(id).catch(() => [])).some((a) => a.id === state.me.id) ? [[id, name]] : []))).flat());
      state.inboxes = named;
      state.myInboxes = mine;
      state.directory = new Map(agents.map((a) => [a.id, agentOf(a)]));
      for (const a of state.directory.values()) if (!state.agents.has(a.id)) state.agents.set(a.id, a.name);
    },
    /** The active members of an inbox, with their availability (cached until the next load). */
    members(inboxId) {
      if (!members.has(inboxId)) {
        const asked = api.get(`${ACCOUNT}/assignable_agents?inbox_ids[]=${inboxId}`).then((r) => r.payload.map(agentOf));
        asked.catch(() => members.delete(inboxId));
        members.set(inboxId, asked);
      }
      return members.get(inboxId);
    },
  };
  return directory;
}

const agentOf = (a) => ({ id: a.id, name: a.name, role: a.role, availability: a.availability_status ?? a.availability });

/** The administrators' names, for "ask an administrator". */
export function administrators(state) {
  return [...(state.directory?.values() ?? [])].filter((a) => a.role === "administrator").map((a) => a.name);
}

// ------------------------------------------------------------------ thread header

/** The picker and the status actions of the open conversation. actions: assign(id, agentId | null), setStatus(id,
 *  status), snooze(id, untilSeconds | null) (null: until the customer replies). */
export function createConversationActions(directory, actions) {
  let shown = null; // the conversation the controls were filled for: {id, inboxId}
  const picker = el("select", {
    class: "select assignee-picker", "aria-label": "Assign to",
    onchange: () => { if (shown) actions.assign(shown.id, picker.value ? Number(picker.value) : null); },
  });
  const pending = el("button", { type: "button", class: "btn", onclick: () => shown && actions.setStatus(shown.id, "pending") }, "Pending");
  const snooze = el("select", {
    class: "select snooze-picker", "aria-label": "Snooze",
    onchange: () => {
      const choice = snooze.value;
      snooze.value = "";
      if (shown && choice) actions.snooze(shown.id, snoozeUntil(choice, new Date()));
    },
  }, [["", "Snooze…"], ["reply", "Until the customer replies"], ["hour", "For an hour"], ["tomorrow", "Until tomorrow 9:00"],
    ["week", "Until next week"]].map(([value, label]) => el("option", { value, text: label })));
  const node = el("span", { class: "conversation-actions" }, [picker, pending, snooze]);
  let filled = null; // the inbox whose members the picker lists

  async function fill(c, state) {
    filled = c.inboxId;
    let agents = [];
    try {
      agents = await directory.members(c.inboxId);
    } catch {
      // Not loaded (offline, or no longer a member): the picker keeps what it knows.
    }
    if (filled !== c.inboxId) return;
    const options = [el("option", { value: "", text: "Unassigned" })];
    for (const a of agents) {
      const name = a.id === state.me.id ? `${a.name} (you)` : a.name;
      options.push(el("option", { value: String(a.id), text: `${name} · ${a.availability ?? "offline"}` }));
    }
    picker.replaceChildren(...options);
    picker.value = shown?.assigneeId == null ? "" : String(shown.assigneeId);
  }

  return {
    node,
    /** The open conversation (or none) as it is now. */
    update(c, state, connected) {
      node.hidden = !c;
      if (!c) { shown = null; return; }
      shown = { id: c.id, inboxId: c.inboxId, assigneeId: c.assigneeId };
      if (filled !== c.inboxId) fill(c, state);
      else if (![...picker.options].some((o) => o.value === String(c.assigneeId ?? ""))) fill(c, state);
      picker.value = c.assigneeId == null ? "" : String(c.assigneeId);
      pending.hidden = c.status === "pending";
      snooze.hidden = c.status === "snoozed";
      picker.disabled = pending.disabled = snooze.disabled = !connected;
    },
    /** Members changed somewhere (an inbox membership push): the next update asks again. */
    forget() { filled = null; },
  };
}

/** When a snooze choice ends (Unix seconds), from `now` (a Date); null for "until the customer replies". */
export function snoozeUntil(choice, now) {
  const seconds = Math.floor(now.getTime() / 1000);
  if (choice === "hour") return seconds + HOUR;
  if (choice === "week") return seconds + 7 * 24 * HOUR;
  if (choice === "tomorrow") {
    const t = new Date(now);
    t.setDate(t.getDate() + 1);
    t.setHours(9, 0, 0, 0);
    return Math.floor(t.getTime() / 1000);
  }
  return null;
}

// ------------------------------------------------------------------ list

/** The list's inbox filter (the agent's inboxes), and the assignee filter's choices: all, mine, unassigned, then
 *  each agent. onChange(change) takes {inboxId} like list-view's setFilter. */
export function createInboxFilter(onChange) {
  const select = el("select", {
    class: "select inbox-filter", "aria-label": "Inbox",
    onchange: () => onChange({ inboxId: select.value ? Number(select.value) : null }),
  });
  let sig = "";
  return {
    node: el("label", { class: "inbox-filter-label" }, [el("span", { text: "Inbox" }), select]),
    update(state) {
      const inboxes = [...(state.myInboxes ?? new Map())];
      const next = JSON.stringify(inboxes);
      if (next !== sig) {
        sig = next;
        select.replaceChildren(el("option", { value: "", text: "All inboxes" }),
          ...inboxes.map(([id, name]) => el("option", { value: String(id), text: name })));
      }
      select.value = state.filters.inboxId == null ? "" : String(state.filters.inboxId);
    },
  };
}

/** The assignee filter's choices: [value, label]. */
export function assigneeChoices(state) {
  const agents = [...(state.directory?.values() ?? [])].filter((a) => a.id !== state.me.id)
    .map((a) => [`agent:${a.id}`, a.name]);
  return [["all", "All"], ["me", "Mine"], ["unassigned", "Unassigned"], ...agents];
}

/** What a list call asks for, from the filters ({status, assignee: all | me | unassigned | agent:ID, inboxId, teamId}). */
export function listRequest(filters, page) {
  const agent = /^agent:(\d+)$/.exec(filters.assignee ?? "");
  return {
    status: filters.status,
    assignee: agent ? "all" : filters.assignee,
    ...(agent ? { assigneeId: Number(agent[1]) } : {}),
    ...(filters.inboxId != null ? { inboxId: filters.inboxId } : {}),
    ...(filters.teamId != null ? { teamId: filters.teamId } : {}),
    page,
  };
}

// ------------------------------------------------------------------ no inbox

/** The notice of an agent who is a member of no inbox: it sees nothing, and is told why and whom to ask. */
export function createNoInboxNotice() {
  const node = el("p", { class: "no-inbox-notice", role: "status", hidden: true });
  return {
    node,
    update(state) {
      const none = state.myInboxes != null && state.myInboxes.size === 0;
      node.hidden = !none;
      if (!none) return;
      const admins = administrators(state).filter((name) => name !== state.me.name);
      node.textContent = `You are not a member of any inbox yet; ask an administrator${admins.length ? `: ${admins.join(", ")}` : ""}.`;
    },
  };
}
