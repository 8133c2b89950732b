// The conversation list: filters, one row per conversation (contact, last message, unread count, typing).

import { avatar } from "../render/avatar.js";
import { el, reconcile } from "../render/dom.js";
import { markdownText } from "../render/markdown.js";
import { ago, nowSeconds } from "../render/time.js";
import { teamName } from "./teams.js";
import { chipNode, labelChips } from "./labels.js";

const STATUSES = [["open", "Open"], ["pending", "Pending"], ["resolved", "Resolved"], ["all", "All"]];
const ASSIGNEES = [["all", "All"], ["me", "Mine"], ["unassigned", "Unassigned"]];

export function createListView(container, actions) {
  const cache = new Map();
  const statusTabs = el("div", { class: "segmented", role: "group", "aria-label": "Status" },
    STATUSES.map(([value, label]) => el("button", {
      type: "button", "data-status": value, text: label, onclick: () => actions.setFilter({ status: value }),
    })));
  const assignee = el("select", { class: "select", "aria-label": "Assignee", onchange: (e) => actions.setFilter({ assignee: e.target.value }) },
    ASSIGNEES.map(([value, label]) => el("option", { value, text: label })));
  const count = el("span", { class: "count" });
  const list = el("ul", { class: "conv-list", "aria-label": "Conversations" });
  const more = el("button", { type: "button", class: "load-more", text: "Load more", onclick: () => actions.loadMore() });
  const empty = el("div", { class: "list-empty" });
  container.append(
    el("div", { class: "sidebar-head" }, [
      el("div", { class: "sidebar-title" }, [el("h1", { text: "Conversations" }), count]),
      el("div", { class: "filters" }, [statusTabs, el("label", { class: "assignee-filter" }, [el("span", { text: "Assignee" }), assignee]),
        ...(actions.extraFilters ?? [])]),
    ]),
    el("div", { class: "list-scroll" }, [list, empty, more]),
  );

  let assigneeSig = JSON.stringify(ASSIGNEES);
  return function update(state, view) {
    for (const b of statusTabs.children) b.setAttribute("aria-pressed", String(b.dataset.status === state.filters.status));
    // The choices may name each agent (assignment.js).
    if (view.assignees && JSON.stringify(view.assignees) !== assigneeSig) {
      assigneeSig = JSON.stringify(view.assignees);
      assignee.replaceChildren(...view.assignees.map(([value, label]) => el("option", { value, text: label })));
    }
    assignee.value = state.filters.assignee;
    count.textContent = view.conversations.length ? String(view.conversations.length) : "";
    more.hidden = !state.hasMorePages || state.listLoading;
    empty.hidden = view.conversations.length > 0;
    empty.textContent = state.listLoading ? "Loading…" : "No conversations here. New ones appear live.";
    reconcile(list, view.conversations.map((row) => ({
      key: String(row.id),
      sig: JSON.stringify(row),
      build: () => rowNode(row, actions),
    })), cache);
  };
}

function rowNode(row, actions) {
  const preview = row.typing
    ? el("span", { class: "conv-preview typing", text: "typing…" })
    : el("span", { class: "conv-preview", text: row.preview || "No messages yet" });
  const tags = [];
  if (row.showStatus) tags.push(el("span", { class: `pill status-${row.status}`, text: row.status }));
  if (row.inbox) tags.push(el("span", { class: "pill inbox", text: row.inbox }));
  if (row.team) tags.push(el("span", { class: "pill team", text: row.team }));
  tags.push(el("span", { class: "pill assignee", text: row.assignee }));
  if (row.rating) tags.push(el("span", { class: "pill rating", text: `Rated ${row.rating}/5` }));
  for (const chip of row.labels) tags.push(chipNode(chip));
  return el("li", {}, [el("button", {
    type: "button",
    class: `conv${row.unread ? " unread" : ""}${row.selected ? " selected" : ""}`,
    "aria-current": row.selected ? "true" : null,
    "data-conversation-id": row.id,
    // Named by what it shows (axe: a label must contain the visible text), the unread count said in words.
    onclick: () => actions.select(row.id),
  }, [
    avatar(row.name, `c${row.contactId}`),
    el("span", { class: "conv-main" }, [
      el("span", { class: "conv-top" }, [el("span", { class: "conv-name", text: row.name }), el("time", { text: row.time })]),
      el("span", { class: "conv-bottom" }, [preview, row.unread ? el("span", { class: "unread-badge", text: row.unread > 99 ? "99+" : String(row.unread) }) : null,
        row.unread ? el("span", { class: "sr-only", text: " unread" }) : null]),
      el("span", { class: "conv-tags" }, tags),
    ]),
  ])]);
}

/** What the list shows of a conversation entry (a plain object, so its JSON is the row's signature). `plainText`
 *  reads a message's Markdown as one line of text; `now` (Unix seconds) dates the row's time. */
export function listRow(entry, state, names, { plainText = markdownText, now = nowSeconds() } = {}) {
  const c = entry.c;
  const last = entry.last;
  let preview = "";
  if (last) {
    const prefix = last.private ? "Note: " : last.messageType === 1 ? (last.sender?.id === state.me.id ? "You: " : `${last.sender?.name ?? "Agent"}: `) : "";
    const files = last.attachments?.length ? `Attachment: ${last.attachments.map((a) => a.fileName).join(", ")}` : "";
    preview = prefix + (plainText(last.content).slice(0, 140) || files);
  }
  return {
    id: c.id,
    contactId: c.contactId,
    name: names.contact(c),
    preview,
    time: ago(last?.createdAt ?? c.lastActivityAt, now),
    unread: entry.unread.size,
    typing: !!entry.typing,
    status: c.status,
    showStatus: state.filters.status === "all" || c.status !== state.filters.status,
    inbox: names.inbox?.(c.inboxId) ?? null,
    team: teamName(state, c.teamId),
    assignee: c.assigneeId == null ? "Unassigned" : c.assigneeId === state.me.id ? "You" : names.agent(c.assigneeId),
    selected: state.selectedId === c.id,
    rating: c.csatRating ?? null,
    labels: labelChips(c.labels, state.labels),
  };
}
