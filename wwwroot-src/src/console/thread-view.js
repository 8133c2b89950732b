// The open conversation: header with actions, history (lazy-loaded), typing, composer (reply / private note),
// and the details column. The composer shows one conversation's draft (shownId): what is typed, chosen, attached
// or sent in it is reported with that conversation's id, never with whichever conversation happens to be open.

import { attachmentNodes, attachmentsSignature, formatSize } from "../render/attachments.js";
import { avatar } from "../render/avatar.js";
import { el, reconcile } from "../render/dom.js";
import * as ICONS from "../render/icons.js";
import { markdownNode } from "../render/markdown.js";
import { dayLabel, fullTime, timeLabel } from "../render/time.js";
import { timeline } from "../render/timeline.js";
import { NOTE, REPLY } from "./drafts.js";
import { interactiveNode } from "./interactive.js";
import { postChatAnswersNode } from "./post-chat-answers.js";

/** The thread's messages in order: those held, then the agent's own still in the outbox (as pending), sent by `me`. */
export function threadItems(t, me) {
  const items = [...t.messages.values()].sort((a, b) => a.id - b.id);
  for (const o of t.outbox.items) {
    items.push({ pending: true, failed: o.failed, error: o.error, echoId: o.echoId, content: o.content, private: o.private, attachments: o.attachments ?? [],
      createdAt: o.createdAt, messageType: 1, sender: { id: me.id, name: me.name, type: "agent" } });
  }
  return items;
}

/** One sender in the log's groups: the same person, and notes never grouped with replies. */
export const sameSender = (a, b) => !!a.private === !!b.private && a.sender?.id === b.sender?.id;

/** The newest sent reply the customer has read: it carries the "Seen" line. */
export function lastSeenReplyId(items, deliveryOf) {
  let lastSeenId = null;
  for (const m of items) if (!m.pending && deliveryOf(m) === "read") lastSeenId = m.id;
  return lastSeenId;
}

export function createThreadView(main, details, actions) {
  const cache = new Map();
  const refs = {};
  let shownId = null; // the conversation whose draft the composer shows

  refs.empty = el("div", { class: "thread-empty" }, [
    el("span", { class: "thread-empty-icon", html: ICONS.inbox }),
    el("p", { class: "thread-empty-title", text: "Pick a conversation" }),
    el("p", { class: "thread-empty-text", text: "New conversations from the widget appear on the left as they start." }),
  ]);

  refs.avatar = el("span", { class: "thread-avatar" });
  refs.name = el("h2", { class: "thread-name", id: "thread-name" });
  refs.sub = el("p", { class: "thread-sub" });
  refs.status = el("span", { class: "pill" });
  refs.rating = el("span", { class: "pill rating", hidden: true });
  refs.assign = el("button", { type: "button", class: "btn", onclick: () => actions.toggleAssign() });
  refs.resolve = el("button", { type: "button", class: "btn primary", onclick: () => actions.toggleStatus() });
  refs.header = el("header", { class: "thread-head" }, [
    refs.avatar,
    el("div", { class: "thread-title" }, [el("div", { class: "thread-name-row" }, [refs.name, refs.status, refs.rating]), refs.sub]),
    actions.headerExtras ?? null, // the assignee picker, Pending and Snooze (assignment.js)
    el("div", { class: "thread-actions" }, [refs.assign, refs.resolve]),
  ]);

  refs.log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-labelledby": "thread-name" });
  refs.typingText = el("span", { class: "typing-text" });
  refs.typing = el("div", { class: "typing", hidden: true }, [
    el("span", { class: "dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]), refs.typingText,
  ]);
  refs.scroller = el("div", { class: "thread-body", onscroll: () => { if (refs.scroller.scrollTop < 80) actions.loadOlder(); } }, [refs.log]);

  refs.replyTab = el("button", { type: "button", role: "tab", class: "tab", text: "Reply", onclick: () => actions.setMode(shownId, REPLY) });
  refs.noteTab = el("button", { type: "button", role: "tab", class: "tab note", text: "Private note", onclick: () => actions.setMode(shownId, NOTE) });
  refs.noteLabel = el("div", { class: "note-label", id: "composer-note-label", hidden: true }, [
    el("span", { class: "note-label-lock", html: ICONS.lock }), document.createTextNode("Private note: only agents see this"),
  ]);
  refs.input = el("textarea", {
    class: "composer-input", rows: "3", "aria-label": "Message",
    oninput: () => {
      refs.send.disabled = !refs.input.value.trim();
      actions.draftChanged(shownId, refs.input.value);
      actions.typed(shownId, refs.input.value);
    },
    onkeydown: (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        submit();
      }
    },
    onblur: () => actions.typed(shownId, ""),
  });
  refs.send = el("button", { type: "button", class: "btn primary send", disabled: true, onclick: () => submit() }, [
    el("span", { class: "send-icon", html: ICONS.send }), el("span", { class: "send-label", text: "Send" }),
  ]);
  refs.picker = el("input", { type: "file", multiple: true, hidden: true, class: "file-picker",
    onchange: () => { const files = [...refs.picker.files]; refs.picker.value = ""; if (files.length) actions.attach(shownId, files); } });
  refs.attach = el("button", { type: "button", class: "btn attach", "aria-label": "Attach files", onclick: () => refs.picker.click() }, [
    el("span", { class: "btn-icon", html: ICONS.clip }), document.createTextNode("Attach"),
  ]);
  refs.uploads = el("div", { class: "uploads", hidden: true });
  refs.input.addEventListener("paste", (e) => {
    const files = [...(e.clipboardData?.files ?? [])];
    if (files.length) { e.preventDefault(); actions.attach(shownId, files); }
  });
  refs.composer = el("div", { class: "composer" }, [
    el("div", { class: "tabs", role: "tablist", "aria-label": "Write" }, [refs.replyTab, refs.noteTab]),
    refs.noteLabel,
    refs.input,
    refs.uploads,
    el("div", { class: "composer-foot" }, [el("span", { class: "composer-buttons" }, [refs.attach, refs.picker, refs.send])]),
  ]);
  refs.thread = el("section", { class: "thread", hidden: true, "aria-labelledby": "thread-name" }, [refs.header, actions.labelsBar ?? null, refs.scroller, refs.typing, actions.sneakPeek ?? null, refs.composer]);
  main.append(refs.empty, refs.thread);
  // The conversation's details are redrawn as it changes; what follows them (the contact's profile) keeps its state.
  refs.details = el("div", { class: "details-conversation" });
  details.append(refs.details, actions.detailsExtras ?? null);
  // Files dropped on the conversation are attached, as in the widget.
  refs.thread.addEventListener("dragover", (e) => { if ([...(e.dataTransfer?.types ?? [])].includes("Files")) e.preventDefault(); });
  refs.thread.addEventListener("drop", (e) => {
    const files = [...(e.dataTransfer?.files ?? [])];
    if (!files.length) return;
    e.preventDefault();
    actions.attach(shownId, files);
  });

  function submit() {
    const text = refs.input.value;
    if (!text.trim()) return;
    if (!actions.send(shownId, text)) return; // another conversation is opening: this text stays its draft
    refs.input.value = "";
    refs.send.disabled = true;
  }

  /** The composer shows conversation `id`'s draft: its text (only on a switch, so typing is never disturbed). */
  function showDraft(id, draft) {
    if (id === shownId) return;
    shownId = id;
    refs.input.value = draft?.text ?? "";
    refs.send.disabled = !refs.input.value.trim();
  }

  return function update(state, view, options = {}) {
    const t = state.thread;
    const c = view.conversation;
    refs.empty.hidden = !!t;
    refs.thread.hidden = !t;
    details.hidden = !t || !c;
    showDraft(t?.id ?? null, view.draft);
    if (!t) {
      cache.clear();
      refs.log.replaceChildren();
      return;
    }
    const s = refs.scroller;
    const fromBottom = s.scrollHeight - s.scrollTop;
    const atBottom = s.scrollHeight - s.scrollTop - s.clientHeight < 60;

    if (c) {
      const name = view.contactName;
      refs.avatar.replaceChildren(avatar(name, `c${c.contactId}`, "large"));
      refs.name.textContent = name;
      refs.sub.textContent = [view.contactEmail, view.inboxName, `#${c.id}`, c.assigneeId == null ? "Unassigned" : `Assigned to ${view.assigneeName}`,
        view.teamName ? `Team ${view.teamName}` : null].filter(Boolean).join(" · ");
      refs.status.className = `pill status-${c.status}`;
      refs.status.textContent = c.status;
      refs.rating.hidden = c.csatRating == null;
      refs.rating.textContent = c.csatRating == null ? "" : `Rated ${c.csatRating}/5`;
      const mine = c.assigneeId === state.me.id;
      refs.assign.replaceChildren(el("span", { class: "btn-icon", html: ICONS.user }), document.createTextNode(mine ? "Unassign" : "Assign to me"));
      const resolved = c.status === "resolved";
      refs.resolve.replaceChildren(el("span", { class: "btn-icon", html: resolved ? ICONS.reopen : ICONS.resolve }), document.createTextNode(resolved ? "Reopen" : "Resolve"));
      refs.resolve.classList.toggle("primary", !resolved);
      refs.assign.disabled = refs.resolve.disabled = !view.connected;
      const sig = JSON.stringify([c, view.contactName, view.contactEmail, view.assigneeName]);
      if (details.dataset.sig !== sig) {
        details.dataset.sig = sig;
        renderDetails(refs.details, view);
      }
    }

    // A note looks nothing like a reply: the whole composer turns yellow, says who sees it, and "Add note".
    const note = view.draft?.mode === NOTE;
    refs.composer.classList.toggle("note-mode", note);
    refs.replyTab.setAttribute("aria-selected", String(!note));
    refs.noteTab.setAttribute("aria-selected", String(note));
    refs.noteLabel.hidden = !note;
    refs.input.setAttribute("aria-label", note ? "Private note" : "Message");
    if (note) refs.input.setAttribute("aria-describedby", refs.noteLabel.id);
    else refs.input.removeAttribute("aria-describedby");
    refs.input.placeholder = note ? "Write a private note for the agents… (Enter to add it)" : "Reply to the customer… (Enter to send, Shift+Enter for a new line)";
    refs.send.querySelector(".send-label").textContent = note ? "Add note" : "Send";

    reconcile(refs.log, entries(state, view, t), cache);
    const uploads = t.pending.uploads.map((u) => el("div", { class: "upload" }, [
      el("span", { class: "upload-name", text: `${u.name} (${formatSize(u.size)})` }),
      el("progress", { max: "100", value: String(Math.round(u.progress * 100)), "aria-label": `Uploading ${u.name}` }),
    ]));
    if (t.pending.attachError) uploads.push(el("div", { class: "upload-error", role: "alert", text: t.pending.attachError }));
    refs.uploads.hidden = !uploads.length;
    refs.uploads.replaceChildren(...uploads);

    refs.typing.hidden = !view.typing;
    refs.typingText.textContent = view.typing ? `${view.typing} is typing…` : "";

    if (options.keepOffsetFromBottom) s.scrollTop = s.scrollHeight - fromBottom;
    else if (options.toBottom || atBottom) s.scrollTop = s.scrollHeight;
    if (options.focusComposer) refs.input.focus();
    if (t.loaded && t.hasOlder && !t.loadingOlder && s.scrollHeight <= s.clientHeight) actions.loadOlder();
  };
}

function entries(state, view, t) {
  const list = [];
  if (!t.loaded) {
    list.push({ key: "loading", sig: "", build: () => el("div", { class: "log-note", text: "Loading…" }) });
    return list;
  }
  if (t.hasOlder || t.loadingOlder) {
    list.push({
      key: "older", sig: String(t.loadingOlder),
      build: () => el("div", { class: "older" }, [el("button", {
        type: "button", class: "link", disabled: t.loadingOlder, onclick: () => view.actions.loadOlder(),
        text: t.loadingOlder ? "Loading earlier messages…" : "Load earlier messages",
      })]),
    });
  } else if (view.conversation) {
    const c = view.conversation;
    list.push({ key: "start", sig: String(c.createdAt), build: () => el("div", { class: "log-note", text: `Conversation started ${fullTime(c.createdAt)}` }) });
  }

  const items = threadItems(t, state.me);
  const lastSeenId = lastSeenReplyId(items, view.deliveryOf);

  for (const row of timeline(items, sameSender)) {
    if (row.day) {
      const label = dayLabel(row.at);
      list.push({ key: `day:${row.day}`, sig: label, build: () => el("div", { class: "day", role: "separator" }, [el("span", { text: label })]) });
      continue;
    }
    if (row.activity) {
      const m = row.activity;
      list.push({ key: `m:${m.id}`, sig: m.content, build: () => el("div", { class: "activity" }, [el("span", { text: m.content }), el("time", { text: timeLabel(m.createdAt) })]) });
      continue;
    }
    const { message: m, first, last } = row;
    const status = m.pending ? (m.failed ? "failed" : "sending") : view.deliveryOf(m);
    const seen = m.id === lastSeenId;
    const name = m.messageType === 0 ? view.contactName : (m.sender?.name ?? "Agent");
    const key = m.echoId ? `e:${m.echoId}` : `m:${m.id}`;
    const sig = [m.content, first, last, status, seen, name, m.error, timeLabel(m.createdAt), JSON.stringify(m.contentAttributes ?? null), attachmentsSignature(m)].join("\u0001");
    list.push({ key, sig, build: () => messageNode(m, { first, last, status, seen, name, view }) });
  }
  return list;
}

function messageNode(m, { first, last, status, seen, name, view }) {
  const incoming = m.messageType === 0;
  const side = incoming ? "in" : "out";
  const classes = ["msg", side, m.private ? "private" : "", first ? "first" : "", last ? "last" : ""].filter(Boolean).join(" ");
  const meta = [];
  if (last || m.pending || m.failed || seen) {
    meta.push(el("time", { title: fullTime(m.createdAt), text: timeLabel(m.createdAt) }));
    if (status === "sending") meta.push(el("span", { class: "meta-state" }, [el("span", { class: "meta-icon", html: ICONS.clock }), document.createTextNode("Sending")]));
    if (status === "failed") {
      meta.push(el("span", { class: "meta-state failed", text: m.error || "Not sent" }),
        el("button", { type: "button", class: "link", text: "Retry", onclick: () => view.actions.retry(m.echoId) }));
    }
    if (status === "sent" && !m.private && last) meta.push(el("span", { class: "meta-state" }, [el("span", { class: "meta-icon", html: ICONS.check }), document.createTextNode("Sent")]));
    if (seen) meta.push(el("span", { class: "meta-state seen" }, [el("span", { class: "meta-icon wide", html: ICONS.checks }), document.createTextNode("Seen")]));
  }
  return el("div", { class: classes, "data-message-id": m.id ?? null, "data-status": status ?? null, "data-private": m.private ? "true" : null }, [
    first ? avatar(name, incoming ? `c${view.conversation?.contactId}` : `a${m.sender?.id}`) : el("span", { class: "avatar spacer", "aria-hidden": "true" }),
    el("div", { class: "msg-stack" }, [
      first ? el("div", { class: "msg-author" }, [
        el("span", { text: name }),
        m.private ? el("span", { class: "note-tag" }, [el("span", { class: "meta-icon", html: ICONS.lock }), document.createTextNode("Private note")]) : null,
      ]) : null,
      m.content ? el("div", { class: "bubble" }, [markdownNode(m.content)]) : null,
      attachmentNodes(m, "", (url) => window.open(url, "_blank", "noopener")),
      interactiveNode(m),
      meta.length ? el("div", { class: "msg-meta" }, meta) : null,
    ]),
  ]);
}

function renderDetails(details, view) {
  const c = view.conversation;
  const attrs = Object.entries(c.customAttributes ?? {}).filter(([k]) => !["page_url", "page_title", "email"].includes(k));
  const rows = [
    ["Status", el("span", { class: `pill status-${c.status}`, text: c.status })],
    ["Assignee", view.assigneeName ?? "Unassigned"],
    ["Started", fullTime(c.createdAt)],
    ["Conversation", `#${c.id}`],
  ];
  const pageUrl = c.customAttributes?.page_url;
  if (pageUrl) {
    rows.push(["Started on", /^https?:/.test(pageUrl)
      ? el("a", { href: pageUrl, target: "_blank", rel: "noopener noreferrer", text: c.customAttributes.page_title || pageUrl })
      : String(pageUrl)]);
  }
  for (const [k, v] of attrs) rows.push([k.charAt(0).toUpperCase() + k.slice(1).replace(/_/g, " "), typeof v === "string" ? v : JSON.stringify(v)]);
  details.replaceChildren(
    el("div", { class: "details-card" }, [
      avatar(view.contactName, `c${c.contactId}`, "xl"),
      el("h3", { text: view.contactName }),
      el("p", { class: "details-email", text: view.contactEmail || "No email given" }),
    ]),
    el("dl", { class: "details-list" }, rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", {}, [v])])),
    postChatAnswersNode(c.id),
  );
}
